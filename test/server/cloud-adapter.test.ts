/**
 * What is specific to the cloud adapter beyond the shared contract: how it uses the service
 * (duplicate-key races, get() limits and paging, fileID mapping) and that payload text never
 * reaches a query as an operator. Runs the real wx-server-sdk over the in-memory transport.
 */
import type * as WxServerSdk from 'wx-server-sdk';
import { openCloudStores } from '../../server/adapters/cloud';
import type { Stores } from '../../server/ports';
import { makeEvent, makeItem } from '../contract/stores-contract';
import { installCloudTransport } from '../helpers/cloud-transport';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as typeof WxServerSdk;
cloud.init({ env: 'test-env' });

let s: Stores;
beforeEach(() => {
  transport.reset();
  s = openCloudStores(cloud, { cloudEnv: '' });
});
afterAll(() => transport.restore());

const gets = (collection: string) => transport.db.log.filter((l) => l.action === 'database.getDocument' && l.collection === collection);

describe('cloud event log', () => {
  it('relies on the unique _id: concurrent appends race on the insert and the losers see duplicates', async () => {
    const e = makeEvent();
    const results = await Promise.all(Array.from({ length: 6 }, () => s.events.append([e])));
    expect(results.filter((r) => r.inserted.length === 1)).toHaveLength(1);
    expect(results.flatMap((r) => r.duplicates)).toHaveLength(5);
    // All six really went to the service (no client-side shortcut): one stored document.
    expect(transport.actions.filter((a) => a === 'database.insertDocument')).toHaveLength(6);
    expect(transport.db.dump('events')).toHaveLength(1);
  });

  it('fails the call on other database errors instead of calling them duplicates', async () => {
    transport.db.failNext('database.insertDocument');
    await expect(s.events.append([makeEvent()])).rejects.toMatchObject({ errCode: -501002 });
  });

  it('pages past the 1000-document get() limit in order, without gaps or repeats', async () => {
    const all = Array.from({ length: 1100 }, (_, i) => makeEvent({ serverTime: 1_000_000 + Math.floor(i / 3) }));
    await s.events.append(all);
    const page = await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 5000);
    expect(page.events).toHaveLength(1100);
    const order = page.events.map((e) => e.serverTime);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(page.events.map((e) => e.eventId)).size).toBe(1100);
    expect(gets('events').length).toBeGreaterThanOrEqual(4); // 1100 events in pages of at most 300
    expect(gets('events').every((g) => (g.limit ?? 0) <= 1000)).toBe(true);
    // Equal serverTimes across a page boundary: the (serverTime, _id) cursor neither skips nor repeats.
    let cursor: string | null = null;
    const seen: string[] = [];
    for (;;) {
      const p: Awaited<ReturnType<Stores['events']['readAfter']>> = await s.events.readAfter(cursor, Number.MAX_SAFE_INTEGER, 250);
      if (p.events.length === 0) break;
      seen.push(...p.events.map((e) => e.eventId));
      cursor = p.cursor;
    }
    expect(seen).toEqual(page.events.map((e) => e.eventId));
  });

  it('keeps each page under the 1 MB result cap even when every event is a longest comment', async () => {
    const longest = '评'.repeat(499) + '"';
    const all = Array.from({ length: 650 }, () => makeEvent({ type: 'comment', props: { text: longest }, variant: 'x'.repeat(128) }));
    await s.events.append(all);
    // The in-memory service refuses results over 1 MB, as the real one does.
    expect((await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 650)).events).toHaveLength(650);
  });

  it('refuses a cursor it did not make with a stable code', async () => {
    await expect(s.events.readAfter('{"$gt":""}', Date.now(), 10)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const forged = Buffer.from(JSON.stringify([0, { $gt: '' }])).toString('base64url');
    await expect(s.events.readAfter(forged, Date.now(), 10)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('keeps operator-shaped input out of queries: strings stay values, objects are refused', async () => {
    await s.events.append([makeEvent({ openid: 'user-a' }), makeEvent({ openid: '{"$gt":""}' })]);
    expect(await s.events.countForUser('{"$gt":""}')).toBe(1);
    expect(await s.events.countForUser('_.exists(true)')).toBe(0);
    await expect(s.events.countForUser({ $gt: '' } as unknown as string)).rejects.toThrow(/must be a string/);
    // Client-chosen props keys are stored as JSON text, never as field paths.
    await s.events.append([makeEvent({ props: { $set: 1, 'a.b': 'x' } })]);
    expect(transport.db.dump('events').every((d) => typeof d.props === 'string')).toBe(true);
  });
});

describe('cloud counters', () => {
  it('creates a new counter race-safely: update, insert, and on a lost insert update again', async () => {
    const d = { scope: 'ad', id: 'ad-1', bucket: '202611280100', field: 'spend', by: 5 };
    const results = await Promise.all(Array.from({ length: 10 }, () => s.counters.add([d])));
    expect(await s.counters.read('ad', ['ad-1'], '202611280100')).toEqual({ 'ad-1': { spend: 50 } });
    expect(Math.max(...results.flat())).toBe(50);
    // The race really happened: several callers tried the insert and all but one lost it.
    const inserts = transport.actions.filter((a) => a === 'database.insertDocument').length;
    expect(inserts).toBeGreaterThan(1);
    expect(transport.db.dump('counters')).toHaveLength(1);
  });

  it('reads many ids in chunks within the get() limit', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `item-${i}`);
    await s.counters.add(ids.map((id) => ({ scope: 'item', id, bucket: 'd', field: 'views', by: 1 })));
    const read = await s.counters.read('item', [...ids, 'unknown'], 'd');
    expect(Object.keys(read)).toHaveLength(150);
    expect(read['item-149']).toEqual({ views: 1 });
    expect(gets('counters').every((g) => (g.limit ?? 0) <= 1000)).toBe(true);
  });

  it('refuses field names that would be update paths or operators, and changes nothing', async () => {
    for (const field of ['$set', 'a.b', '', 'f.x']) {
      await expect(s.counters.add([{ scope: 's', id: 'i', bucket: 'b', field, by: 1 }])).rejects.toThrow(/invalid counter field/);
    }
    await expect(s.counters.add([{ scope: 's', id: 'i', bucket: 'b', field: 'ok', by: Number.NaN }])).rejects.toThrow(/finite/);
    expect(transport.db.dump('counters')).toEqual([]);
  });
});

describe('cloud catalog', () => {
  it('lists past the get() limit with keyset paging', async () => {
    const t = 1_700_000_000_000;
    await s.catalog.upsert(Array.from({ length: 1050 }, (_, i) => makeItem(`it-${String(i).padStart(4, '0')}`, { publishedAt: t + Math.floor(i / 2) })));
    const items = await s.catalog.list({ limit: 1020 });
    expect(items).toHaveLength(1020);
    expect(items[0].id).toBe('it-1049');
    expect(new Set(items.map((i) => i.id)).size).toBe(1020);
    expect(gets('catalog').every((g) => (g.limit ?? 0) <= 1000)).toBe(true);
    expect(await s.catalog.count()).toBe(1050);
  });

  it('matches filters as values only', async () => {
    await s.catalog.upsert([makeItem('a', { category: '_.exists' }), makeItem('b', { category: '美食' })]);
    expect((await s.catalog.list({ category: '_.exists', limit: 10 })).map((i) => i.id)).toEqual(['a']);
    await expect(s.catalog.list({ category: { $ne: 'x' } as unknown as string, limit: 10 })).rejects.toThrow(/must be a string/);
  });
});

describe('cloud blobs', () => {
  it('stores bytes under one storage folder and maps each key to its fileID', async () => {
    await s.blobs.put('models/ctr/v2.bin', new Uint8Array([1, 2, 3, 4]));
    expect(transport.storage.paths()).toEqual(['recsys/blobs/models/ctr/v2.bin']);
    expect(transport.db.dump('blobs')).toEqual([
      expect.objectContaining({ key: 'models/ctr/v2.bin', size: 4, fileID: expect.stringMatching(/^cloud:\/\/test-env\..*\/recsys\/blobs\/models\/ctr\/v2\.bin$/) }),
    ]);
    expect(Array.from((await s.blobs.get('models/ctr/v2.bin'))!)).toEqual([1, 2, 3, 4]);
  });

  it('answers null when the file is gone from storage but its record remains', async () => {
    await s.blobs.put('k.bin', new Uint8Array([7]));
    const [{ fileID }] = transport.db.dump('blobs') as unknown as { fileID: string }[];
    await cloud.deleteFile({ fileList: [fileID] });
    expect(await s.blobs.get('k.bin')).toBeNull();
    await expect(s.blobs.delete('k.bin')).resolves.toBeUndefined();
    expect(transport.db.dump('blobs')).toEqual([]);
  });
});
