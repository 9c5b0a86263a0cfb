/**
 * Paging with ads woven in, through `recommend` on both adapters: one session serves every
 * published item exactly once, ads sit at their configured feed positions across pages (counted
 * with the ads, so the slots stay put), positions run on without a gap, and the slate log holds
 * the same cards at the same positions.
 */
import type { Campaign, FeedCard, RecommendResponse } from '../../../typings';
import { toHandler } from '../../../server/runtime/function';
import { emptyProfile } from '../../../server/engine/profiles/profile';
import recommend from '../../../server/functions/recommend';
import { warmFor } from '../../../server/serving/recommend';
import { makeCampaign, makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(recommend);
const ITEMS = 24;
const SLOTS = [3, 10, 17];

describe.each(bothAdapters)('recommend paging with ads on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    deps.config = { ...deps.config, adSlots: SLOTS };
    await opened.stores.privacy.recordConsent('user-a', {
      noticeVersion: 'v1',
      granted: true,
      at: deps.now() - 60_000,
    });
    const now = deps.now();
    await opened.stores.catalog.upsert([
      ...Array.from({ length: ITEMS }, (_, i) =>
        makeItem(`it-${String(i).padStart(2, '0')}`, {
          publishedAt: now - 86_400_000 + i * 60_000,
          category: i % 2 ? '美食' : '旅行',
          tags: [],
        }),
      ),
      makeItem('gone', { status: 'unpublished', publishedAt: now - 1000 }),
    ]);
    const broad = (id: string): Campaign =>
      makeCampaign(id, {
        targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
        startAt: now - 86_400_000,
        endAt: now + 86_400_000,
      });
    await opened.stores.ads.upsertCampaigns([
      broad('camp-a'),
      broad('camp-b'),
      broad('camp-c'),
      broad('camp-d'),
    ]);
  });
  afterEach(() => opened.cleanup());

  it('serves every item once with ads at slots 3, 10 and 17 across pages of 7', async () => {
    const cards: FeedCard[] = [];
    const slates: string[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await handler(
        { payload: { limit: 7, ...(cursor ? { cursor } : {}) }, openid: 'user-a' },
        deps,
      );
      if (!res.ok) throw new Error(res.message);
      const data: RecommendResponse = res.data;
      expect(data.cards.filter((c) => c.kind === 'content')).toHaveLength(
        Math.min(7, ITEMS - cards.filter((c) => c.kind === 'content').length),
      );
      cards.push(...data.cards);
      slates.push(data.slateId);
      cursor = data.cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    const content = cards.flatMap((c) => (c.kind === 'content' ? [c.item.id] : []));
    expect(content).toHaveLength(ITEMS);
    expect(new Set(content).size).toBe(ITEMS);
    expect(content).not.toContain('gone');
    expect(cards.map((c) => c.position)).toEqual(Array.from({ length: cards.length }, (_, i) => i));
    expect(cards.filter((c) => c.kind === 'ad').map((c) => c.position)).toEqual(SLOTS);
    expect(cards.every((c) => c.kind === 'content' || c.sponsored)).toBe(true);

    // The log of each page holds the same cards at the same feed positions.
    const logged = (await opened.stores.slates.get(slates)).flatMap((s) => s.cards);
    const key = (position: number, id: string) => `${position}:${id}`;
    expect(logged.map((c) => key(c.position, c.itemId ?? `ad:${c.adId}`)).sort()).toEqual(
      cards.map((c) => key(c.position, c.kind === 'content' ? c.item.id : `ad:${c.adId}`)).sort(),
    );
  });

  it("refuses the user's own cursor naming pages that were never served", async () => {
    const first = await handler({ payload: { limit: 7 }, openid: 'user-a' }, deps);
    if (!first.ok || !first.data.cursor) throw new Error('no first page');
    const c = JSON.parse(Buffer.from(first.data.cursor, 'base64url').toString('utf8')) as {
      s: string;
      p: number;
      n: number;
      c: string;
    };
    expect(c).toMatchObject({ p: 1, n: 8 }); // 7 items and the ad at 3
    const forge = (over: object) =>
      Buffer.from(JSON.stringify({ ...c, ...over })).toString('base64url');
    for (const cursor of [forge({ p: 3 }), forge({ p: 2 })]) {
      expect(
        await handler({ payload: { limit: 7, cursor }, openid: 'user-a' }, deps),
      ).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
        message: expect.stringContaining('翻页位置无效'),
      });
    }
    // The untouched cursor still works.
    expect(
      await handler({ payload: { limit: 7, cursor: first.data.cursor }, openid: 'user-a' }, deps),
    ).toMatchObject({ ok: true });
  });

  describe('next pages ranked with the first (continuation)', () => {
    let reads: number;
    beforeEach(async () => {
      await opened.stores.privacy.recordConsent('user-b', {
        noticeVersion: 'v1',
        granted: true,
        at: deps.now() - 60_000,
      });
      reads = 0;
      const get = opened.stores.slates.get.bind(opened.stores.slates);
      opened.stores.slates.get = (ids) => {
        reads++;
        return get(ids);
      };
    });
    const page = async (openid: string, cursor?: string | null) => {
      const res = await handler(
        { payload: { limit: 5, ...(cursor ? { cursor } : {}) }, openid },
        deps,
      );
      if (!res.ok) throw new Error(`${res.code} ${res.message}`);
      return {
        ids: res.data.cards.flatMap((c) => (c.kind === 'content' ? [c.item.id] : [])),
        cursor: res.data.cursor,
        ads: res.data.cards.filter((c) => c.kind === 'ad').length,
      };
    };

    it("serves the next two pages from the first page's ranking without reading the session's slates, then ranks again", async () => {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      const readsBefore: number[] = [];
      for (let p = 0; p < 4; p++) {
        readsBefore.push(reads);
        const r = await page('user-a', cursor);
        expect(r.ids).toHaveLength(5);
        seen.push(...r.ids);
        cursor = r.cursor;
      }
      // Pages 1 and 2 came from page 0's ranking; page 3 read the session's slates (once) and ranked anew.
      expect(readsBefore).toEqual([0, 0, 0, 0]);
      expect(reads).toBe(1);
      expect(new Set(seen).size).toBe(20);
    });

    it("goes the full way for a changed profile or a retried page, and leaves the user's continuation alone for another user's cursor", async () => {
      const first = await page('user-a');
      await expect(page('user-b', first.cursor)).rejects.toThrow(/INVALID_INPUT.*翻页位置无效/);
      expect(reads).toBe(1);
      const second = await page('user-a', first.cursor);
      expect(reads).toBe(1); // still served from page 0's ranking
      const retried = await page('user-a', first.cursor);
      expect(reads).toBe(2);
      // A retried page answers its logged slate (issue 14: the logged slate is the truth).
      expect(retried.ids).toEqual(second.ids);
      expect(retried.cursor).toBe(second.cursor);
      await opened.stores.profiles.put([
        { ...emptyProfile('user-a', deps.now()), interests: { 'cat:旅行': 3 } },
      ]);
      const third = await page('user-a', retried.cursor);
      expect(reads).toBe(3);
      // The log holds page 1 as first served (a retried page keeps its slate id): those are what page 2 excludes.
      expect(third.ids.some((id) => [...first.ids, ...second.ids].includes(id))).toBe(false);
    });

    it('keeps nothing for a user without consent (their session rides in the cursor), and drops it on withdrawal', async () => {
      const r = await page('user-x');
      await page('user-x', r.cursor);
      expect(warmFor(opened.stores).continuations.size).toBe(0);
      const first = await page('user-a');
      expect(warmFor(opened.stores).continuations.size).toBe(1);
      await opened.stores.privacy.recordConsent('user-a', {
        noticeVersion: 'v1',
        granted: false,
        at: deps.now(),
      });
      deps.setNow(deps.now() + 6_000); // past the consent gate's cached "yes"
      const next = await page('user-a', first.cursor);
      expect(next.ids).toHaveLength(5);
      expect(warmFor(opened.stores).continuations.size).toBe(0);
    });
  });
});
