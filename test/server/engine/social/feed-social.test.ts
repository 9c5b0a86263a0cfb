/** The social side of ranking: the social candidate source, its communities, and the re-ranking that spreads them. */
import { socialSource } from '../../../../server/engine/ranking/candidates/social';
import { authorSource } from '../../../../server/engine/ranking/candidates/authors';
import { ItemIndex, type ItemFacts } from '../../../../server/engine/ranking/item-index';
import {
  DEFAULT_FEED_PARAMS,
  rankFeed,
  type FeedParams,
  type FeedUser,
} from '../../../../server/engine/ranking/pipeline';
import { diversify } from '../../../../server/engine/ranking/rerank';
import { mulberry32 } from '../../../../server/engine/models/rng';
import { socialCandidates, type SocialCandidate } from '../../../../server/engine/social/proof';

const NOW = Date.UTC(2026, 11, 6);
const H = 3_600_000;
const items: ItemFacts[] = Array.from({ length: 20 }, (_, i) => ({
  id: `i${i}`,
  category: `cat${i}`,
  tags: [],
  publishedAt: NOW - i * H,
}));
const index = new ItemIndex(items);

describe('social candidates', () => {
  it('carry the community whose ties put the most weight on them', () => {
    const c = socialCandidates(
      [
        { weight: 3, items: ['a', 'b'], community: 1 },
        { weight: 2, items: ['a', 'c'], community: 2 },
        { weight: 2, items: ['c'], community: 2 },
        { weight: 1, items: ['d'], community: null },
      ],
      new Set(),
      10,
    );
    expect(c).toEqual([
      { itemId: 'a', score: 5, community: 1 },
      { itemId: 'c', score: 4, community: 2 },
      { itemId: 'b', score: 3, community: 1 },
      { itemId: 'd', score: 1, community: null },
    ]);
  });

  it('the source keeps the best k allowed ones on the index, unknown ids dropped', () => {
    const c: SocialCandidate[] = [
      { itemId: 'i3', score: 5, community: 1 },
      { itemId: 'gone', score: 4, community: 1 },
      { itemId: 'i4', score: 3, community: 1 },
      { itemId: 'i5', score: 2, community: 1 },
    ];
    const s = socialSource(index, c, 2, (i) => i !== 4);
    expect([...s]).toEqual([
      [3, 5],
      [5, 2],
    ]);
  });
});

describe('community-aware diversity', () => {
  const ranked = Array.from({ length: 8 }, (_, k) => ({
    index: k,
    score: 10 - k,
    category: `cat${k}`,
    ...(k < 5 ? { community: 'c1' } : {}),
  }));

  it('one community fills at most its share of a window while others have candidates', () => {
    const out = diversify(ranked, 8, {
      window: 5,
      penalty: 0,
      maxShare: 1,
      communityMaxShare: 0.4,
    });
    // At most 2 of c1 in any 5 consecutive picks.
    expect(out.map((r) => r.index)).toEqual([0, 1, 5, 6, 7, 2, 3, 4]);
    // Without communities: plain score order.
    expect(
      diversify(
        ranked.map(({ community: _c, ...r }) => r),
        8,
        { window: 5, penalty: 0, maxShare: 1, communityMaxShare: 0.4 },
      ).map((r) => r.index),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('the pipeline with social candidates', () => {
  const params: FeedParams = {
    ...DEFAULT_FEED_PARAMS,
    warm: { neighbours: 0, interests: 0, popular: 0, fresh: 0.01, explore: 0, social: 1 },
    rerank: { window: 10, penalty: 0, maxShare: 1 },
    exploreEpsilon: 0.1,
  };
  const req = { now: NOW, scene: null, category: null, count: 5, offset: 0, rand: () => 0.99 };
  // Warm (one engagement), so the warm weights apply; ties favour the oldest items, i10…i15.
  const user = (social: SocialCandidate[], over: Partial<FeedUser> = {}): FeedUser => ({
    openid: 'u',
    personalised: true,
    profile: null,
    history: [{ itemId: 'i19', at: NOW }],
    exclude: { engaged: ['i19'] },
    social,
    ...over,
  });
  const fromTies = (community: number | null): SocialCandidate[] =>
    [10, 11, 12, 13, 14, 15].map((k) => ({ itemId: `i${k}`, score: 20 - k, community }));

  it('brings what ties liked to the top, deterministic cards with propensity 1 (the last 1 − ε)', () => {
    const r = rankFeed(
      { index, popularity: new Float64Array(20), neighbours: new Map(), scorer: null },
      user(fromTies(null)),
      req,
      params,
    );
    expect(r.cards.map((c) => c.itemId)).toEqual(['i10', 'i11', 'i12', 'i13', 'i14']);
    expect(r.cards.map((c) => c.source)).toEqual(Array(5).fill('social'));
    expect(r.cards.map((c) => c.propensity)).toEqual([1, 1, 1, 1, 0.9]);
  });

  it('spreads one community’s favourites: at most 3 in a window of 10 (the default share)', () => {
    const state = { index, popularity: new Float64Array(20), neighbours: new Map(), scorer: null };
    const r = rankFeed(state, user(fromTies(7)), req, params);
    const fromCircle = r.cards.filter((c) =>
      ['i10', 'i11', 'i12', 'i13', 'i14', 'i15'].includes(c.itemId),
    );
    expect(fromCircle.map((c) => c.itemId)).toEqual(['i10', 'i11', 'i12']);
    expect(r.cards).toHaveLength(5);
  });

  it('ignores the ties for a user who opted out, and excluded items never come back', () => {
    const state = { index, popularity: new Float64Array(20), neighbours: new Map(), scorer: null };
    const off = rankFeed(state, user(fromTies(null), { personalised: false }), req, params);
    expect(off.cards.map((c) => c.source)).not.toContain('social');
    const hid = rankFeed(
      state,
      user(fromTies(null), { exclude: { engaged: ['i19'], hidden: ['i10'] } }),
      { ...req, rand: mulberry32(3) },
      params,
    );
    expect(hid.cards.map((c) => c.itemId)).not.toContain('i10');
  });
});

describe('followed authors', () => {
  const byAuthor = new ItemIndex(
    items.map((it, i) => ({
      ...it,
      authorId: i % 5 === 0 ? 'au-1' : i % 5 === 1 ? 'au-2' : 'au-3',
    })),
  );
  it('newest allowed items of the followed authors, scored by age like the fresh source', () => {
    const s = authorSource(byAuthor, ['au-1', 'au-1'], NOW, H, 3, (i) => i !== 0);
    // au-1 wrote i0, i5, i10, i15 (i0 excluded); one hour older halves the score.
    expect([...s.keys()]).toEqual([5, 10, 15]);
    expect(s.get(5)).toBeCloseTo(Math.pow(2, -5));
    expect(authorSource(byAuthor, ['nobody'], NOW, H, 3, () => true).size).toBe(0);
    expect(authorSource(index, ['au-1'], NOW, H, 3, () => true).size).toBe(0); // no author ids known
  });
});
