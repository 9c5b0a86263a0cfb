/**
 * The storage contract, written once and run against every adapter (SQLite + files, and
 * wx-server-sdk's database + storage over an in-memory transport).
 */
import type { Stores } from '../../server/ports';
import { allCampaignsByStatus } from '../../server/ports/ads';
import { makeCampaign, makeEvent, makeItem } from '../helpers/fixtures';
import type { OpenedStores } from '../helpers/sqlite-stores';

export type { OpenedStores } from '../helpers/sqlite-stores';

export function describeStoresContract(name: string, open: () => Promise<OpenedStores>): void {
  describe(`storage contract: ${name}`, () => {
    let opened: OpenedStores;
    let s: Stores;
    beforeEach(async () => {
      opened = await open();
      s = opened.stores;
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    describe('event log', () => {
      it('stores events and reads them back in order with every field intact', async () => {
        const a = makeEvent({ type: 'comment', props: { text: '好吃！' }, variant: 'exp1:b' });
        const b = makeEvent({
          type: 'dwell',
          itemId: undefined,
          slateId: undefined,
          position: undefined,
          props: { dwellMs: 5300 },
        });
        const res = await s.events.append([a, b]);
        expect(res).toEqual({ inserted: [a.eventId, b.eventId], duplicates: [] });
        const page = await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 10);
        expect(page.events).toEqual([a, b]);
        expect(page.cursor).not.toBeNull();
      });

      it('acknowledges an already stored event as a duplicate and does not store it again', async () => {
        const a = makeEvent();
        await s.events.append([a]);
        const again = await s.events.append([a, makeEvent({ eventId: a.eventId })]);
        expect(again).toEqual({ inserted: [], duplicates: [a.eventId, a.eventId] });
        expect(await s.events.countForUser('user-a')).toBe(1);
      });

      it('de-duplicates per user: the same event id from two users is two events', async () => {
        const a = makeEvent({ openid: 'user-a' });
        const b = { ...a, openid: 'user-b' };
        expect((await s.events.append([a, b])).inserted).toHaveLength(2);
        expect(await s.events.countForUser('user-b')).toBe(1);
      });

      it('stores each event exactly once under concurrent overlapping appends', async () => {
        const batch = Array.from({ length: 12 }, () => makeEvent());
        const results = await Promise.all([
          s.events.append(batch),
          s.events.append([...batch].reverse()),
          s.events.append(batch.slice(3, 9)),
        ]);
        const inserted = results.flatMap((r) => r.inserted).sort();
        expect(inserted).toEqual(batch.map((e) => e.eventId).sort());
        const dups = results.flatMap((r) => r.duplicates);
        expect(dups).toHaveLength(12 + 6);
        expect(await s.events.countForUser('user-a')).toBe(12);
      });

      it('pages through events with a cursor and never returns one twice', async () => {
        const all = Array.from({ length: 25 }, () => makeEvent());
        await s.events.append(all.slice(0, 10));
        await s.events.append(all.slice(10));
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 10; i++) {
          const page = await s.events.readAfter(cursor, Number.MAX_SAFE_INTEGER, 7);
          if (page.events.length === 0) break;
          seen.push(...page.events.map((e) => e.eventId));
          cursor = page.cursor;
        }
        expect(seen).toEqual(all.map((e) => e.eventId));
        const end = await s.events.readAfter(cursor, Number.MAX_SAFE_INTEGER, 7);
        expect(end.events).toEqual([]);
        expect(end.cursor).toBe(cursor);
      });

      it('stops before events that are not settled yet and returns them later', async () => {
        const early = makeEvent({ serverTime: 1000 });
        const late = makeEvent({ serverTime: 5000 });
        await s.events.append([early]);
        await s.events.append([late]);
        const first = await s.events.readAfter(null, 2000, 10);
        expect(first.events.map((e) => e.eventId)).toEqual([early.eventId]);
        const second = await s.events.readAfter(first.cursor, 10_000, 10);
        expect(second.events.map((e) => e.eventId)).toEqual([late.eventId]);
      });

      it('stores operator-looking text as plain values', async () => {
        const e = makeEvent({
          type: 'comment',
          itemId: '{"$gt":""}',
          props: { text: '{"$where":"sleep(1000)"}', $ne: 'x', 'a.b': '_.exists(true)' },
        });
        await s.events.append([e]);
        const page = await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 10);
        expect(page.events).toEqual([e]);
      });
    });

    describe('counters', () => {
      it('adds and returns the value after each add', async () => {
        const d = { scope: 'item', id: 'i1', bucket: '20261128', field: 'clicks', by: 1 };
        expect(await s.counters.add([d, d, { ...d, field: 'impressions', by: 3 }])).toEqual([
          1, 2, 3,
        ]);
        expect(await s.counters.add([{ ...d, by: 5 }])).toEqual([7]);
        expect(await s.counters.read('item', ['i1', 'i2'], '20261128')).toEqual({
          i1: { clicks: 7, impressions: 3 },
        });
        expect(await s.counters.read('item', ['i1'], '20261127')).toEqual({});
      });

      it('loses no increment under concurrent adds to a new counter', async () => {
        const d = { scope: 'ad', id: 'ad-9', bucket: '20261128', field: 'clicks', by: 1 };
        const results = await Promise.all(Array.from({ length: 20 }, () => s.counters.add([d])));
        expect(Math.max(...results.flat())).toBe(20);
        expect(await s.counters.read('ad', ['ad-9'], '20261128')).toEqual({
          'ad-9': { clicks: 20 },
        });
      });

      // 600 ids: past one IN-list chunk on both adapters (SQLite 500, cloud 100). Writing them takes the
      // cloud adapter about 1.5 s on an idle machine, hence the longer timeout.
      it('reads many ids at once (past one IN-list chunk), unknown and repeated ids too', async () => {
        const ids = Array.from({ length: 600 }, (_, i) => `c${i}`);
        await s.counters.add(
          ids.flatMap((id, i) => [
            { scope: 'spend', id, bucket: 'all', field: 'spentFen', by: i + 1 },
            ...(i % 3 === 0 ? [{ scope: 'spend', id, bucket: 'all', field: 'clicks', by: 2 }] : []),
            { scope: 'spend', id, bucket: 'day', field: 'spentFen', by: 7 },
          ]),
        );
        const read = await s.counters.read('spend', [...ids, 'unknown', 'c5', 'c599'], 'all');
        expect(Object.keys(read)).toHaveLength(600);
        for (const [i, id] of ids.entries())
          expect(read[id]).toEqual(
            i % 3 === 0 ? { spentFen: i + 1, clicks: 2 } : { spentFen: i + 1 },
          );
        expect(read.unknown).toBeUndefined();
        expect(await s.counters.read('spend', ['c3', 'c4'], 'all')).toEqual({
          c3: { spentFen: 4, clicks: 2 },
          c4: { spentFen: 5 },
        });
      }, 20_000);

      it('keeps scopes and buckets apart', async () => {
        await s.counters.add([
          { scope: 'item', id: 'x', bucket: 'b1', field: 'likes', by: 1 },
          { scope: 'ad', id: 'x', bucket: 'b1', field: 'likes', by: 2 },
          { scope: 'item', id: 'x', bucket: 'b2', field: 'likes', by: 4 },
        ]);
        expect(await s.counters.read('item', ['x'], 'b1')).toEqual({ x: { likes: 1 } });
        expect(await s.counters.read('ad', ['x'], 'b1')).toEqual({ x: { likes: 2 } });
      });
    });

    describe('catalog', () => {
      it('upserts, gets in the order asked and leaves out unknown ids', async () => {
        await s.catalog.upsert([makeItem('a'), makeItem('b'), makeItem('c')]);
        await s.catalog.upsert([makeItem('b', { title: '新标题', tags: ['甜品'] })]);
        const got = await s.catalog.get(['c', 'zz', 'b']);
        expect(got.map((i) => i.id)).toEqual(['c', 'b']);
        expect(got[1]).toEqual(makeItem('b', { title: '新标题', tags: ['甜品'] }));
        expect(await s.catalog.count()).toBe(3);
      });

      it("keeps a financial product's risk level, and drops it when rewritten without one", async () => {
        await s.catalog.upsert([makeItem('fund', { riskLevel: 4 }), makeItem('plain')]);
        const [fund, plain] = await s.catalog.get(['fund', 'plain']);
        expect(fund).toEqual(makeItem('fund', { riskLevel: 4 }));
        expect(plain).not.toHaveProperty('riskLevel');
        expect(
          (await s.catalog.list({ status: 'published', limit: 10 })).find((i) => i.id === 'fund'),
        ).toMatchObject({ riskLevel: 4 });
        await s.catalog.upsert([makeItem('fund')]);
        expect((await s.catalog.get(['fund']))[0]).not.toHaveProperty('riskLevel');
      });

      it("keeps a travel item's place, and drops it when rewritten without one", async () => {
        const place = { city: '成都', lat: 30.66, lng: 104.06 };
        await s.catalog.upsert([makeItem('sight', { place }), makeItem('plain')]);
        const [sight, plain] = await s.catalog.get(['sight', 'plain']);
        expect(sight).toEqual(makeItem('sight', { place }));
        expect(plain).not.toHaveProperty('place');
        await s.catalog.upsert([makeItem('sight')]);
        expect((await s.catalog.get(['sight']))[0]).not.toHaveProperty('place');
      });

      it('bumps its revision on every write, an unpublish too (count and newest item unchanged)', async () => {
        expect(await s.catalog.revision()).toBe(0);
        await s.catalog.upsert([makeItem('a'), makeItem('b')]);
        const r1 = await s.catalog.revision();
        expect(r1).toBeGreaterThan(0);
        await s.catalog.upsert([makeItem('b', { status: 'unpublished' })]);
        const r2 = await s.catalog.revision();
        expect(r2).toBeGreaterThan(r1);
        expect(await s.catalog.count()).toBe(2);
      });

      it('lists newest first with filters and a strict keyset cursor', async () => {
        const t = 1_700_000_000_000;
        await s.catalog.upsert([
          makeItem('a', { publishedAt: t + 3 }),
          makeItem('b', { publishedAt: t + 2, category: '旅行' }),
          makeItem('c', { publishedAt: t + 2 }),
          makeItem('d', { publishedAt: t + 1, status: 'unpublished' }),
          makeItem('e', { publishedAt: t }),
        ]);
        const page1 = await s.catalog.list({ status: 'published', limit: 2 });
        expect(page1.map((i) => i.id)).toEqual(['a', 'c']);
        const last = page1[1];
        const page2 = await s.catalog.list({
          status: 'published',
          limit: 10,
          after: { publishedAt: last.publishedAt, id: last.id },
        });
        expect(page2.map((i) => i.id)).toEqual(['b', 'e']);
        expect((await s.catalog.list({ category: '旅行', limit: 10 })).map((i) => i.id)).toEqual([
          'b',
        ]);
        expect((await s.catalog.list({ limit: 10 })).map((i) => i.id)).toEqual([
          'a',
          'c',
          'b',
          'd',
          'e',
        ]);
      });
    });

    describe('ads', () => {
      it('stores merchants and campaigns and reads them back whole', async () => {
        await s.ads.upsertMerchants([{ id: 'm-1', name: '小城咖啡', createdAt: 1 }]);
        expect(await s.ads.getMerchant('m-1')).toEqual({
          id: 'm-1',
          name: '小城咖啡',
          createdAt: 1,
        });
        expect(await s.ads.getMerchant('m-2')).toBeNull();
        const c = makeCampaign('c-1');
        await s.ads.upsertCampaigns([c]);
        expect(await s.ads.getCampaign('c-1')).toEqual(c);
        await s.ads.upsertCampaigns([{ ...c, status: 'paused', bidFen: 80 }]);
        expect(await s.ads.getCampaign('c-1')).toMatchObject({ status: 'paused', bidFen: 80 });
        expect(await s.ads.getCampaign('{"$ne":null}')).toBeNull();
      });

      it("lists a merchant's campaigns newest first and campaigns by status", async () => {
        await s.ads.upsertCampaigns([
          makeCampaign('c-1', { createdAt: 1 }),
          makeCampaign('c-2', { createdAt: 3 }),
          makeCampaign('c-3', { createdAt: 2, status: 'paused' }),
          makeCampaign('c-4', { createdAt: 5, merchantId: 'm-2' }),
        ]);
        expect((await s.ads.listCampaigns('m-1')).map((c) => c.id)).toEqual(['c-2', 'c-3', 'c-1']);
        expect((await s.ads.listCampaignsByStatus('active', 10)).map((c) => c.id)).toEqual([
          'c-1',
          'c-2',
          'c-4',
        ]);
        expect((await s.ads.listCampaignsByStatus('active', 2)).map((c) => c.id)).toEqual([
          'c-1',
          'c-2',
        ]);
        expect((await s.ads.listCampaignsByStatus('active', 2, 'c-2')).map((c) => c.id)).toEqual([
          'c-4',
        ]);
        expect((await s.ads.listCampaignsByStatus('active', 10, 'c-0')).map((c) => c.id)).toEqual([
          'c-1',
          'c-2',
          'c-4',
        ]);
        expect(await s.ads.listCampaignsByStatus('active', 10, 'c-4')).toEqual([]);
        expect(await s.ads.listCampaigns('nobody')).toEqual([]);
      });

      it('updates a campaign only at the revision read: of two writers from one read, one wins; no revision counts as 0', async () => {
        const legacy = makeCampaign('c-old');
        await s.ads.upsertCampaigns([legacy, makeCampaign('c-new', { revision: 3 })]);
        // Stored before revisions: matches 0, not 1.
        expect(await s.ads.updateCampaign({ ...legacy, bidFen: 60, revision: 2 }, 1)).toBe(false);
        expect(await s.ads.getCampaign('c-old')).toEqual(legacy);
        const [a, b] = await Promise.all([
          s.ads.updateCampaign({ ...legacy, bidFen: 70, revision: 1 }, 0),
          s.ads.updateCampaign({ ...legacy, status: 'paused', revision: 1 }, 0),
        ]);
        expect([a, b].sort()).toEqual([false, true]);
        const won = a
          ? { ...legacy, bidFen: 70, revision: 1 }
          : { ...legacy, status: 'paused', revision: 1 };
        expect(await s.ads.getCampaign('c-old')).toEqual(won);
        // Nested objects are replaced whole, and the status index follows.
        const next = {
          ...won,
          status: 'paused' as const,
          creative: {
            title: '新标题',
            description: '',
            image: '',
            landing: { kind: 'item' as const, itemId: 'i-9' },
          },
          hours: [9],
          revision: 2,
        };
        expect(await s.ads.updateCampaign(next, 1)).toBe(true);
        expect(await s.ads.getCampaign('c-old')).toEqual(next);
        expect((await s.ads.listCampaignsByStatus('paused', 10)).map((c) => c.id)).toEqual([
          'c-old',
        ]);
        expect(await s.ads.updateCampaign({ ...makeCampaign('c-new'), revision: 4 }, 2)).toBe(
          false,
        );
        expect(
          await s.ads.updateCampaign({ ...makeCampaign('c-new'), name: '改名', revision: 4 }, 3),
        ).toBe(true);
        expect(await s.ads.updateCampaign({ ...makeCampaign('c-none'), revision: 1 }, 0)).toBe(
          false,
        );
        expect(await s.ads.getCampaign('c-none')).toBeNull();
      });

      it('pages through more campaigns in a status than one query returns, none twice and none missed', async () => {
        const ids = Array.from({ length: 1_003 }, (_, i) => `c-${String(i).padStart(4, '0')}`);
        await s.ads.upsertCampaigns([
          ...ids.map((id) => makeCampaign(id)),
          makeCampaign('c-paused', { status: 'paused' }),
        ]);
        // One query returns at most 1000 (the cloud database's cap; SQLite keeps to it too).
        expect(await s.ads.listCampaignsByStatus('active', 5_000)).toHaveLength(1_000);
        expect((await allCampaignsByStatus(s.ads, 'active')).map((c) => c.id)).toEqual(ids);
        expect((await allCampaignsByStatus(s.ads, 'active', 1_000)).map((c) => c.id)).toEqual(ids);
        expect((await allCampaignsByStatus(s.ads, 'paused', 7)).map((c) => c.id)).toEqual([
          'c-paused',
        ]);
      });
    });

    describe('blobs', () => {
      it('round-trips bytes exactly, overwrites, and deletes', async () => {
        const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
        await s.blobs.put('models/ctr/v1.bin', bytes);
        expect(Buffer.from((await s.blobs.get('models/ctr/v1.bin'))!)).toEqual(Buffer.from(bytes));
        await s.blobs.put('models/ctr/v1.bin', new Uint8Array([1, 2, 3]));
        expect(Array.from((await s.blobs.get('models/ctr/v1.bin'))!)).toEqual([1, 2, 3]);
        await s.blobs.delete('models/ctr/v1.bin');
        expect(await s.blobs.get('models/ctr/v1.bin')).toBeNull();
        await expect(s.blobs.delete('models/ctr/v1.bin')).resolves.toBeUndefined();
      });

      it('answers null for a missing blob and refuses keys that escape their folder', async () => {
        expect(await s.blobs.get('nothing/here.bin')).toBeNull();
        await expect(s.blobs.put('../escape.bin', new Uint8Array([1]))).rejects.toThrow(
          /invalid blob key/,
        );
        await expect(s.blobs.put('/abs.bin', new Uint8Array([1]))).rejects.toThrow(
          /invalid blob key/,
        );
      });
    });
  });
}
