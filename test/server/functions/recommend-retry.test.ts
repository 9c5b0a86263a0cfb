/**
 * `recommend` is idempotent per page on both adapters: the logged slate is the truth, so a retry
 * of a page already logged (the answer lost in a crash after the log) answers that slate exactly,
 * on another instance and at another time, and a page logged by a twin request wins over a fresh ranking.
 */
import type { Campaign, FeedCard, RecommendResponse } from '../../../typings';
import recommend from '../../../server/functions/recommend';
import type { ServedSlate, Stores } from '../../../server/ports';
import { toHandler } from '../../../server/runtime/function';
import { makeCampaign, makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(recommend);
const shown = (cards: FeedCard[]): string[] =>
  cards.map((c) => `${c.position}:${c.kind === 'content' ? c.item.id : `ad:${c.adId}`}`);
const logged = (s: ServedSlate): string[] =>
  s.cards.map((c) => `${c.position}:${c.itemId ?? `ad:${c.adId}`}`);

describe.each(bothAdapters)('recommend retries on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const ok = async (
    payload: unknown,
    d: TestDeps = deps,
    openid = 'user-a',
  ): Promise<RecommendResponse> => {
    const res = await handler({ payload, openid }, d);
    if (!res.ok) throw new Error(res.message);
    return res.data;
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    deps.config = { ...deps.config, adSlots: [2, 8, 14, 20] };
    const now = deps.now();
    await opened.stores.privacy.recordConsent('user-a', {
      noticeVersion: 'v1',
      granted: true,
      at: now - 60_000,
    });
    await opened.stores.catalog.upsert(
      Array.from({ length: 40 }, (_, i) =>
        makeItem(`it-${String(i).padStart(2, '0')}`, {
          publishedAt: now - 86_400_000 + i * 1000,
          category: ['美食', '旅行', '数码'][i % 3],
          tags: ['火锅'],
        }),
      ),
    );
    const broad = (id: string, bidFen: number): Campaign =>
      makeCampaign(id, {
        bidFen,
        targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
        startAt: now - 86_400_000,
        endAt: now + 86_400_000,
      });
    await opened.stores.ads.upsertCampaigns([broad('camp-1', 50), broad('camp-2', 60)]);
  });
  afterEach(() => opened.cleanup());

  it('answers a retried page with its logged slate after a crash between the log and the answer', async () => {
    const first = await ok({ limit: 5 });
    // An instance that logs page 1 and dies before it answers (its own store bundle: its own warm state).
    const crashing: Stores = {
      ...opened.stores,
      slates: {
        append: async (s) => {
          await opened.stores.slates.append(s);
          throw new Error('instance killed after the slate was logged');
        },
        get: (ids) => opened.stores.slates.get(ids),
      },
    };
    const dying = testDeps(crashing, deps.now() + 1000);
    dying.config = deps.config;
    const lost = await handler(
      { payload: { limit: 5, cursor: first.cursor }, openid: 'user-a' },
      dying,
    );
    expect(lost.ok).toBe(false);
    // The retry reaches another instance (a fresh warm state) a few seconds later: another ranking seed.
    const other = testDeps({ ...opened.stores }, deps.now() + 7000);
    other.config = deps.config;
    const retry = await ok({ limit: 5, cursor: first.cursor }, other);
    const [slate] = await opened.stores.slates.get([retry.slateId]);
    expect(slate.slateId).toBe(retry.slateId);
    expect(shown(retry.cards)).toEqual(logged(slate));
    expect(retry.cards.some((c) => c.kind === 'ad')).toBe(true);
    // Nothing logged twice, and the next page continues after it.
    const again = await ok({ limit: 5, cursor: first.cursor }, other);
    expect(shown(again.cards)).toEqual(shown(retry.cards));
    expect(again.cursor).toBe(retry.cursor);
    const next = await ok({ limit: 5, cursor: retry.cursor }, other);
    const before = new Set(
      [...shown(first.cards), ...shown(retry.cards)].map((s) => s.split(':')[1]),
    );
    expect(next.cards.filter((c) => c.kind === 'content' && before.has(c.item.id))).toEqual([]);
    expect(next.cards[0].position).toBe(retry.cards[retry.cards.length - 1].position + 1);
  });

  it('answers the slate already logged for a page, whatever a new ranking would give', async () => {
    const first = await ok({ limit: 5 });
    const session = first.slateId.slice(0, -2);
    // Page 1 was logged (by an instance whose answer never arrived) with cards a ranking now would not pick.
    const slate: ServedSlate = {
      slateId: `${session}.1`,
      openid: 'user-a',
      servedAt: deps.now(),
      modelVersion: null,
      variant: null,
      personalised: true,
      scene: null,
      cards: [
        { position: 5, itemId: 'it-00', score: null, propensity: 1 },
        { position: 6, itemId: 'it-01', score: null, propensity: 1 },
        { position: 7, itemId: 'it-02', score: null, propensity: 1 },
        { position: 8, adId: 'camp-1', score: 0.02, propensity: 1, priceFen: 5 },
        { position: 9, itemId: 'it-03', score: null, propensity: 1 },
        { position: 10, itemId: 'it-04', score: null, propensity: 1 },
      ],
    };
    expect(await opened.stores.slates.append(slate)).toBe(true);
    deps.setNow(deps.now() + 2000);
    const res = await ok({ limit: 5, cursor: first.cursor });
    expect(res.slateId).toBe(slate.slateId);
    expect(shown(res.cards)).toEqual(logged(slate));
    const ad = res.cards.find((c) => c.kind === 'ad');
    expect(ad).toMatchObject({ adId: 'camp-1', sponsored: true });
    // Another user cannot read it through a forged cursor.
    await opened.stores.privacy.recordConsent('user-b', {
      noticeVersion: 'v1',
      granted: true,
      at: deps.now() - 60_000,
    });
    expect(
      await handler({ payload: { limit: 5, cursor: first.cursor }, openid: 'user-b' }, deps),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });
});
