/**
 * `recommend` with the social graph, on both adapters: what a viewer's close ties liked comes in
 * through the social candidate source, and feed cards carry social proof ("3 位好友赞过") — only
 * counts from 3 ties up, only ties who consented and did not hide themselves, nothing for a
 * viewer who is not personalised or did not consent.
 */
import type { FeedCard, RecommendResponse } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import recommend from '../../../server/functions/recommend';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const recommendH = toHandler(recommend);
const accountH = toHandler(account);
const contentH = toHandler(content);
const ids = (cards: FeedCard[]): string[] =>
  cards.map((c) => (c.kind === 'content' ? c.item.id : `ad:${c.adId}`));
const proofs = (cards: FeedCard[]): Record<string, number> =>
  Object.fromEntries(
    cards.flatMap((c) =>
      c.kind === 'content' && c.socialProof !== undefined ? [[c.item.id, c.socialProof]] : [],
    ),
  );
const FEATURES = {
  degree: 1,
  activity: 1,
  influence: 1,
  clustering: 0,
  community: 1,
  sharedInterest: 0,
};

describe.each(bothAdapters)('recommend with social ties on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const feed = async (openid: string, limit = 5): Promise<RecommendResponse> => {
    const res = await recommendH({ payload: { limit }, openid }, deps);
    if (!res.ok) throw new Error(res.message);
    return res.data;
  };
  const acct = async (openid: string, payload: object) => {
    const res = await accountH({ payload, openid }, deps);
    if (!res.ok) throw new Error(res.message);
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    // The source's own test: weighted as the previous default (the measured default is 0,
    // docs/simulation.md), so that what ties liked reaches the page.
    deps.config = { ...deps.config, socialSourceWeight: 0.3 };
    const now = deps.now();
    for (const u of ['ann', 'bob', 'cid', 'dan', 'eve', 'zed'])
      await acct(u, { action: 'consent.set', noticeVersion: '2026-11', granted: true });
    // 40 items published an hour apart; it-00 and it-01 are the oldest, so fresh ranks them last.
    await opened.stores.catalog.upsert(
      Array.from({ length: 40 }, (_, i) =>
        makeItem(`it-${String(i).padStart(2, '0')}`, {
          publishedAt: now - 10 * 86_400_000 + i * 3_600_000,
          category: ['美食', '旅行', '数码', '家居'][i % 4],
        }),
      ),
    );
    // ann's ties as train's social step writes them (bob strongest); bob, cid and dan like it-00,
    // cid, dan and eve it-01, bob and cid it-02.
    await opened.stores.social.putRecord(
      { openid: 'ann', features: { ...FEATURES, degree: 4 }, updatedAt: now },
      ['bob', 'cid', 'dan', 'eve'].map((other, k) => ({ kind: 'tie', other, weight: 4 - k })),
    );
    for (const u of ['bob', 'cid', 'dan', 'eve'])
      await opened.stores.social.putRecord({ openid: u, features: FEATURES, updatedAt: now }, []);
    await opened.stores.likes.apply([
      ...['bob', 'cid', 'dan'].map((openid) => ({ openid, itemId: 'it-00', liked: true, at: now })),
      ...['cid', 'dan', 'eve'].map((openid) => ({ openid, itemId: 'it-01', liked: true, at: now })),
      ...['bob', 'cid'].map((openid) => ({ openid, itemId: 'it-02', liked: true, at: now })),
    ]);
  });
  afterEach(() => opened.cleanup());

  it('brings in what ties liked, with proof only where 3 ties did', async () => {
    const page = await feed('ann');
    // By summed tie weight: it-00 (4 + 3 + 2), it-02 (4 + 3), it-01 (3 + 2 + 1).
    expect(ids(page.cards).slice(0, 3)).toEqual(['it-00', 'it-02', 'it-01']);
    expect(proofs(page.cards)).toEqual({ 'it-00': 3, 'it-01': 3 });
    // Nothing names who: the card carries a count only.
    expect(JSON.stringify(page.cards)).not.toMatch(/bob|cid|dan/);
    // Someone without ties: neither the items (the oldest of 40) nor any proof.
    const other = await feed('zed');
    expect(ids(other.cards)).not.toContain('it-00');
    expect(proofs(other.cards)).toEqual({});
  });

  it('a tie who hides or withdraws consent stops counting; a viewer who opts out gets none', async () => {
    const hide = await contentH(
      { payload: { action: 'social.hide', hidden: true }, openid: 'dan' },
      deps,
    );
    expect(hide.ok).toBe(true);
    expect(proofs((await feed('ann')).cards)).toEqual({});
    await contentH({ payload: { action: 'social.hide', hidden: false }, openid: 'dan' }, deps);
    expect(proofs((await feed('ann')).cards)).toEqual({ 'it-00': 3, 'it-01': 3 });
    await acct('cid', { action: 'consent.set', noticeVersion: '2026-11', granted: false });
    deps.setNow(deps.now() + 10_000);
    expect(proofs((await feed('ann')).cards)).toEqual({});
    await acct('ann', { action: 'personalization.set', enabled: false });
    const off = await feed('ann');
    expect(ids(off.cards)).not.toContain('it-00');
    expect(proofs(off.cards)).toEqual({});
  });

  it('a next page (kept from the first page’s ranking) carries the proof too', async () => {
    const first = await feed('ann', 1);
    expect(proofs(first.cards)).toEqual({ 'it-00': 3 });
    const next = await recommendH(
      { payload: { limit: 2, cursor: first.cursor }, openid: 'ann' },
      deps,
    );
    if (!next.ok) throw new Error(next.message);
    expect(ids(next.data.cards)).toEqual(['it-02', 'it-01']);
    expect(proofs(next.data.cards)).toEqual({ 'it-01': 3 });
  });
});
