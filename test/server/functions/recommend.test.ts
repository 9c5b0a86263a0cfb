/** `recommend`: the ranked feed through the function, paged per session without repeats, on both adapters. */
import type { FeedCard, RecommendResponse } from '../../../typings';
import recommend from '../../../server/functions/recommend';
import { emptyProfile } from '../../../server/engine/profiles/profile';
import { dayBucket } from '../../../server/engine/time';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(recommend);
const ids = (cards: FeedCard[]): string[] =>
  cards.map((c) => (c.kind === 'content' ? c.item.id : `ad:${c.adId}`));

describe.each(bothAdapters)('recommend on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: unknown, openid = 'user-a') => handler({ payload, openid }, deps);
  const ok = async (payload: unknown, openid = 'user-a'): Promise<RecommendResponse> => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(res.message);
    return res.data;
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    // Users who consented: their slates are logged (recommend-consent.test.ts covers those who did not).
    for (const u of ['user-a', 'user-b'])
      await opened.stores.privacy.recordConsent(u, {
        noticeVersion: 'v1',
        granted: true,
        at: deps.now() - 60_000,
      });
    const t = deps.now() - 10 * 86_400_000;
    await opened.stores.catalog.upsert(
      Array.from({ length: 25 }, (_, i) =>
        makeItem(`it-${String(i).padStart(2, '0')}`, {
          publishedAt: t + i * 3_600_000,
          category: i % 5 === 0 ? '旅行' : i % 2 ? '美食' : '数码',
          tags: [`t${i % 3}`],
          status: i === 24 ? 'unpublished' : 'published',
        }),
      ),
    );
  });
  afterEach(() => opened.cleanup());

  it('pages through every published item exactly once, with continuing positions', async () => {
    const seen: string[] = [];
    const positions: number[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < 10; page++) {
      const res: RecommendResponse = await ok({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(res.cards));
      positions.push(...res.cards.map((c) => c.position));
      cursor = res.cursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
    expect(seen).not.toContain('it-24');
    expect(positions).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('cold start without a model: popular first (decayed counters), never an error, slate logged without a model', async () => {
    await opened.stores.counters.add([
      { scope: 'item', id: 'it-03', bucket: dayBucket(deps.now()), field: 'clicks', by: 50 },
      {
        scope: 'item',
        id: 'it-07',
        bucket: dayBucket(deps.now() - 86_400_000),
        field: 'clicks',
        by: 30,
      },
    ]);
    const res = await ok({ limit: 5, scene: 1007 });
    expect(ids(res.cards).slice(0, 2)).toEqual(['it-03', 'it-07']);
    const [slate] = await opened.stores.slates.get([res.slateId]);
    expect(slate).toMatchObject({
      openid: 'user-a',
      modelVersion: null,
      personalised: true,
      scene: 1007,
    });
    expect(slate.cards.map((c) => c.itemId)).toEqual(ids(res.cards));
    for (const c of slate.cards) expect(c.propensity).toBeGreaterThan(0);
  });

  it('personal: neighbours of recent engagement first; hidden, engaged and recently seen items left out', async () => {
    const p = emptyProfile('user-a', deps.now() - 60_000);
    p.recent = [{ itemId: 'it-01', at: deps.now() - 60_000 }];
    p.hidden = ['it-23'];
    p.seen = [{ itemId: 'it-22', at: deps.now() - 3_600_000 }];
    await opened.stores.profiles.put([p]);
    await opened.stores.neighbours.put([
      {
        itemId: 'it-01',
        updatedAt: deps.now(),
        mass: 3,
        neighbours: [
          { itemId: 'it-05', co: 2, score: 0.9 },
          { itemId: 'it-11', co: 1, score: 0.5 },
        ],
      },
    ]);
    const res = await ok({ limit: 10 });
    const got = ids(res.cards);
    expect(got.slice(0, 2)).toEqual(['it-05', 'it-11']);
    expect(got).not.toContain('it-23');
    expect(got).not.toContain('it-01');
    expect(got).not.toContain('it-22');
  });

  it('keeps hidden items out with personalisation off too (hides are an instruction, not a signal)', async () => {
    const p = emptyProfile('user-a', deps.now() - 60_000);
    p.hidden = ['it-03', 'it-23'];
    p.recent = [{ itemId: 'it-01', at: deps.now() - 60_000 }];
    await opened.stores.profiles.put([p]);
    await opened.stores.privacy.setPersonalised('user-a', false, deps.now() - 1000);
    const seen: string[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < 5; page++) {
      const res: RecommendResponse = await ok({ limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(res.cards));
      cursor = res.cursor;
      if (cursor === null) break;
    }
    expect(seen).not.toContain('it-03');
    expect(seen).not.toContain('it-23');
    // Nothing else of the profile is used: the engaged item is not excluded as it is when personalised.
    expect(seen).toContain('it-01');
    expect(seen).toHaveLength(22); // 24 published, 2 hidden
  });

  it('filters by channel; a cursor is bound to its channel and to its user', async () => {
    const res = await ok({ channel: '旅行', limit: 2 });
    expect(res.cards.every((c) => c.kind === 'content' && c.item.category === '旅行')).toBe(true);
    expect(await call({ channel: '美食', cursor: res.cursor })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringContaining('cursor'),
    });
    expect(await call({ channel: '旅行', cursor: res.cursor }, 'user-b')).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    const rest = await ok({ channel: '旅行', cursor: res.cursor, limit: 10 });
    expect(ids(rest.cards).filter((id) => ids(res.cards).includes(id))).toEqual([]);
    expect(rest.cards.length).toBe(3); // 5 travel items in all
    expect(rest.cursor).toBeNull();
  });

  it('falls back to the retrieval order when the serving model cannot be loaded', async () => {
    await opened.stores.models.swapServing(null, {
      version: 'v000009',
      since: deps.now(),
      reason: 'test',
    });
    const res = await ok({ limit: 3 });
    expect(res.cards).toHaveLength(3);
    const [slate] = await opened.stores.slates.get([res.slateId]);
    expect(slate.modelVersion).toBeNull();
    expect(deps.errors.join('\n')).toContain('model version not loadable');
  });

  it('answers bad input with INVALID_INPUT', async () => {
    const forged = Buffer.from(
      JSON.stringify({ s: '00000000-0000-4000-8000-000000000000', p: 1, n: 7, c: 'foryou' }),
    ).toString('base64url');
    for (const bad of [
      { limit: 0 },
      { limit: 51 },
      { limit: '5' },
      { cursor: 'garbage' },
      { cursor: forged },
      { channel: '' },
      { scene: 3 },
      { surprise: 1 },
    ]) {
      expect(await call(bad)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await handler({ payload: [], openid: 'user-a' }, deps)).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
  });

  it('answers an empty catalog with an empty last page', async () => {
    const empty = await open();
    const res = await handler({ payload: {}, openid: 'u' }, testDeps(empty.stores));
    await empty.cleanup();
    expect(res).toMatchObject({ ok: true, data: { cards: [], cursor: null } });
  });

  it('names detail payloads to prefetch: the top content positions before any model, none for a user in an "off" variant', async () => {
    const first = await ok({ limit: 10 });
    const content = first.cards.flatMap((c) => (c.kind === 'content' ? [c] : []));
    // No trained model: no card carries a tap probability, so the learned policy falls back to positions.
    expect(content.every((c) => c.pctr === undefined)).toBe(true);
    expect(first.prefetch).toMatchObject({ policy: 'learned', itemIds: ids(content.slice(0, 2)) });
    expect(first.prefetch!.bytes.every((b) => b > 8 * 1024)).toBe(true);

    await opened.stores.experiments.create({
      id: 'exp_prefetch',
      merchantId: null,
      name: '预取',
      parameter: 'feed.prefetch',
      buckets: 10_000,
      range: [0, 10_000],
      variants: [
        { name: 'off', weight: 1, value: 'off' },
        { name: 'off2', weight: 1, value: 'off' },
      ],
      targetMetric: 'ctr',
      guardrails: [],
      status: 'running',
      salt: 'salt-prefetch',
      createdAt: deps.now(),
      startedAt: deps.now(),
      stoppedAt: null,
      version: 2,
    });
    // The warm instance re-reads running experiments every 30 s.
    deps.setNow(deps.now() + 31_000);
    const other = await ok({ limit: 10 }, 'user-b');
    expect(other.cards.length).toBeGreaterThan(0);
    expect(other.prefetch).toBeUndefined();
  });

  it('plans with the transition model train learned from route entries: rare feed → detail moves fetch no unscored card', async () => {
    const moves = (to: string, count: number) => ({
      page: to,
      version: '*',
      platform: '*',
      metric: 'move.from:pages/feed/index',
      count,
      sum: count,
      sketch: null,
    });
    // 4 of 40 measured moves from the feed open a detail: 0.1 spread over 10 cards is under the 0.05 floor.
    await opened.stores.rollups.addPerfCells(1, [
      moves('pages/detail/index', 4),
      moves('pages/me/index', 36),
    ]);
    const rare = await ok({ limit: 10 });
    expect(rare.cards.some((c) => c.kind === 'content' && c.pctr === undefined)).toBe(true);
    expect(rare.prefetch).toBeUndefined();

    // The instance reads the model again after its TTL: now most moves from the feed open a detail.
    await opened.stores.rollups.addPerfCells(2, [moves('pages/detail/index', 400)]);
    deps.setNow(deps.now() + 5 * 60_000);
    const often = await ok({ limit: 10 }, 'user-b');
    const content = often.cards.flatMap((c) => (c.kind === 'content' ? [c] : []));
    expect(often.prefetch).toMatchObject({ policy: 'learned', itemIds: ids(content.slice(0, 2)) });
  });
});
