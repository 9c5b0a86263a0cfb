/** Content ranking engine: each candidate source, exclusions, the diversity rule, the item model, cold start and model fallback. */
import { blendSources } from '../../../server/engine/ranking/blend';
import { coldStartWeights, sceneGroup } from '../../../server/engine/ranking/candidates/cold-start';
import { exploreSource } from '../../../server/engine/ranking/candidates/explore';
import { freshSource } from '../../../server/engine/ranking/candidates/fresh';
import { interestSource } from '../../../server/engine/ranking/candidates/interests';
import { neighbourSource } from '../../../server/engine/ranking/candidates/neighbours';
import {
  popularityFromDaily,
  popularSource,
} from '../../../server/engine/ranking/candidates/popular';
import { exclusionMask } from '../../../server/engine/ranking/exclusions';
import { ItemIndex, type ItemFacts } from '../../../server/engine/ranking/item-index';
import { invertSpd, learnItemModel } from '../../../server/engine/ranking/item-model';
import {
  DEFAULT_FEED_PARAMS,
  rankFeed,
  warmEpsilon,
  type FeedState,
  type FeedUser,
} from '../../../server/engine/ranking/pipeline';
import { categoryShares, diversify } from '../../../server/engine/ranking/rerank';
import { mulberry32 } from '../../../server/engine/models/rng';
import { emptyProfile } from '../../../server/engine/profiles/profile';

const NOW = Date.UTC(2026, 10, 28);
const H = 3_600_000;
const items: ItemFacts[] = Array.from({ length: 12 }, (_, i) => ({
  id: `i${i}`,
  category: ['food', 'travel', 'tech'][i % 3],
  tags: [`t${i % 4}`],
  publishedAt: NOW - i * H,
}));
const index = new ItemIndex(items);
const all = () => true;
const idsOf = (m: Map<number, number>) => [...m.keys()].map((i) => items[i].id);

describe('candidate sources', () => {
  it('popular: engagement weighted by field and decayed by day; hides count against', () => {
    const pop = popularityFromDaily(
      index,
      [
        {
          ageDays: 0,
          counters: { i1: { clicks: 4 }, i2: { clicks: 2, likes: 1 }, i3: { hides: 5 } },
        },
        { ageDays: 2, counters: { i4: { clicks: 12 }, unknown: { clicks: 99 } } },
      ],
      1,
    );
    expect([...pop.slice(1, 5)]).toEqual([4, 4, 0, 3]);
    const top = popularSource(pop, 2, (i) => i !== 2);
    expect(idsOf(top)).toEqual(['i1', 'i4']);
    expect(top.get(1)).toBe(1);
    expect(top.get(4)).toBeCloseTo(0.75);
  });

  it('fresh: newest allowed items, score halving per half-life', () => {
    const f = freshSource(index, NOW, H, 3, (i) => i !== 0);
    expect(idsOf(f)).toEqual(['i1', 'i2', 'i3']);
    expect(f.get(1)).toBeCloseTo(0.5);
    expect(f.get(2)).toBeCloseTo(0.25);
  });

  it('neighbours: sums similarity over history, recent engagements weigh more', () => {
    const lists = new Map([
      [
        'i0',
        {
          itemId: 'i0',
          neighbours: [
            { itemId: 'i5', score: 1 },
            { itemId: 'i6', score: 0.5 },
          ],
        },
      ],
      [
        'i1',
        {
          itemId: 'i1',
          neighbours: [
            { itemId: 'i6', score: 1 },
            { itemId: 'i7', score: 0.2 },
          ],
        },
      ],
    ]);
    const history = [
      { itemId: 'i1', at: NOW - H },
      { itemId: 'i0', at: NOW - 2 * H },
    ];
    const s = neighbourSource(index, history, lists, NOW, 10, (i) => i !== 7, {
      rankDecay: 0.5,
      halfLifeMs: Infinity,
      maxHistory: 10,
    });
    expect(idsOf(s)).toEqual(['i6', 'i5']);
    expect(s.get(6)).toBeCloseTo(1 + 0.5 * 0.5);
    expect(s.get(5)).toBeCloseTo(0.5);
  });

  it('interests: category counts fully, tags share the weight', () => {
    const s = interestSource(
      index,
      [
        { tag: 'cat:tech', score: 2 },
        { tag: 'tag:t1', score: 1 },
      ],
      3,
      all,
    );
    // i5 is tech with tag t1; i1 has t1 only (food); i2 … tech only.
    expect(idsOf(s)[0]).toBe('i5');
    expect(s.get(5)).toBeCloseTo(3);
    expect(interestSource(index, [], 3, all).size).toBe(0);
  });

  it('explore: distinct allowed items, seeded, with their inclusion probability', () => {
    const a = exploreSource(index, 4, (i) => i % 2 === 0, mulberry32(3));
    const b = exploreSource(index, 4, (i) => i % 2 === 0, mulberry32(3));
    expect(idsOf(a.scores)).toEqual(idsOf(b.scores));
    expect(a.scores.size).toBe(4);
    expect([...a.scores.keys()].every((i) => i % 2 === 0)).toBe(true);
    expect(a.inclusion).toBeCloseTo(4 / 6);
  });

  it('cold start leans on the launch scene', () => {
    expect(sceneGroup(1007)).toBe('share');
    expect(sceneGroup(1053)).toBe('search');
    expect(sceneGroup(null)).toBe('other');
    expect(coldStartWeights(1053).fresh).toBeGreaterThan(coldStartWeights(1007).fresh);
    expect(coldStartWeights(1007).neighbours).toBe(0);
  });

  it('blend: sources normalised by their best, summed; the strongest contributor named', () => {
    const b = blendSources([
      {
        name: 'a',
        weight: 1,
        scores: new Map([
          [0, 10],
          [1, 5],
        ]),
      },
      { name: 'b', weight: 0.5, scores: new Map([[1, 0.2]]) },
    ]);
    expect(b.get(0)).toEqual(expect.objectContaining({ score: 1, source: 'a' }));
    expect(b.get(1)?.score).toBeCloseTo(1);
  });
});

describe('exclusions and diversity', () => {
  it('masks served, hidden, seen and engaged items', () => {
    const { allowed } = exclusionMask(index, {
      served: ['i0'],
      hidden: ['i1'],
      seen: ['i2'],
      engaged: ['i3', 'nope'],
    });
    expect(items.map((_, i) => allowed(i))).toEqual(items.map((_, i) => i > 3));
  });

  it('caps a category within the window and penalises repeats, unless nothing else is left', () => {
    const ranked = [0, 1, 2, 3, 4, 5].map((k) => ({
      index: k,
      score: 10 - k,
      category: k < 5 ? 'food' : 'tech',
    }));
    const out = diversify(ranked, 6, { window: 4, penalty: 0.1, maxShare: 0.5 });
    expect(out.map((r) => r.index)).toEqual([0, 1, 5, 2, 3, 4]);
    // No penalty, no cap: plain score order.
    expect(
      diversify(ranked, 6, { window: 4, penalty: 0, maxShare: 1 }).map((r) => r.index),
    ).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("calibrates to the user's own category shares (Steck 2018), shrunk by evidence", () => {
    // Ten food items scored 20…11, ten tech items 10…1: window 10, half at most of one category.
    const ranked = Array.from({ length: 20 }, (_, k) => ({
      index: k,
      score: 20 - k,
      category: k < 10 ? 'food' : 'tech',
    }));
    const params = { window: 10, penalty: 0.08, maxShare: 0.5 };
    const foodOf = (out: { category: string }[]) =>
      out.slice(0, 10).filter((r) => r.category === 'food').length;
    // Uncalibrated: five of a category at most.
    expect(foodOf(diversify(ranked, 10, params))).toBe(5);
    // 80 % of the interest in food, with much evidence: eight food items before the cap.
    const strong = categoryShares(
      [
        { tag: 'cat:food', score: 80 },
        { tag: 'cat:tech', score: 20 },
        { tag: 'tag:t1', score: 500 },
      ],
      0,
    );
    expect(strong.get('food')).toBeCloseTo(0.8);
    expect(foodOf(diversify(ranked, 10, params, strong))).toBe(8);
    // The same tastes from two clicks' worth of interest: the prior holds the plain rule.
    const weak = categoryShares(
      [
        { tag: 'cat:food', score: 1.6 },
        { tag: 'cat:tech', score: 0.4 },
      ],
      10,
    );
    expect(weak.get('food')).toBeCloseTo(1.6 / 12);
    expect(foodOf(diversify(ranked, 10, params, weak))).toBe(5);
    // Owed items carry no penalty: tech at 10 beats the 6th food item (15 × (1 − 0.08 · 5) = 9)
    // without calibration, not with food owed 6 (15 × 1 = 15).
    const six = new Map([['food', 0.6]]);
    expect(diversify(ranked, 7, { ...params, maxShare: 1 }).map((r) => r.index)[5]).toBe(10);
    expect(diversify(ranked, 7, { ...params, maxShare: 1 }, six).map((r) => r.index)[5]).toBe(5);
  });
});

describe('item model (EASE)', () => {
  it('inverts an SPD matrix', () => {
    const a = new Float64Array([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const inv = new Float64Array(a);
    invertSpd(inv, 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += a[i * 3 + k] * inv[k * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });

  it('items engaged together become neighbours; unrelated ones do not', () => {
    const rows = [];
    for (let u = 0; u < 20; u++) {
      rows.push(
        { user: u, item: u % 2 ? 0 : 2, weight: 1 },
        { user: u, item: u % 2 ? 1 : 3, weight: 1 },
      );
    }
    const lists = new Map(
      learnItemModel(rows, ['a', 'b', 'c', 'd'], { lambda: 1, topK: 5, maxItems: 10 }).map((l) => [
        l.itemId,
        l,
      ]),
    );
    expect(lists.get('a')!.neighbours.map((n) => n.itemId)).toEqual(['b']);
    expect(lists.get('c')!.neighbours.map((n) => n.itemId)).toEqual(['d']);
    expect(
      learnItemModel(rows, ['a', 'b', 'c', 'd'], { lambda: 1, topK: 5, maxItems: 2 }),
    ).toHaveLength(2);
  });
});

describe('pipeline', () => {
  const state = (over: Partial<FeedState> = {}): FeedState => ({
    index,
    popularity: new Float64Array(items.length).map((_, i) => (i === 9 ? 5 : 0)),
    neighbours: new Map(),
    scorer: null,
    ...over,
  });
  const req = { now: NOW, scene: null, category: null, count: 5, offset: 0, rand: mulberry32(1) };
  const anon: FeedUser = {
    openid: 'u',
    personalised: true,
    profile: null,
    history: [],
    exclude: {},
  };

  it('cold start without a model: popular and fresh, no model version, never empty', () => {
    const r = rankFeed(state(), anon, req);
    expect(r.coldStart).toBe(true);
    expect(r.modelVersion).toBeNull();
    expect(r.cards[0].itemId).toBe('i9');
    expect(r.cards).toHaveLength(5);
  });

  it('a serving model re-orders the candidates and is named on the result', () => {
    const scorer = {
      version: 'v7',
      predict: (x: { item: { id: string } }) => (x.item.id === 'i4' ? 0.9 : 0.01),
    };
    const r = rankFeed(state({ scorer: scorer as FeedState['scorer'] }), anon, {
      ...req,
      rand: () => 0.99,
    });
    expect(r.modelVersion).toBe('v7');
    expect(r.cards[0].itemId).toBe('i4');
    expect(r.cards[0].modelScore).toBe(0.9);
  });

  it('opted out: profile, history and behavioural exclusions are ignored; hides still hold', () => {
    const profile = emptyProfile('u', NOW);
    profile.interests = { 'cat:tech': 5 };
    const lists = new Map([['i0', { itemId: 'i0', neighbours: [{ itemId: 'i11', score: 1 }] }]]);
    const user: FeedUser = {
      openid: 'u',
      personalised: true,
      profile,
      history: [{ itemId: 'i0', at: NOW }],
      exclude: { engaged: ['i0'], hidden: ['i9'] },
    };
    const on = rankFeed(state({ neighbours: lists }), user, req);
    expect(on.coldStart).toBe(false);
    expect(on.cards[0].itemId).toBe('i11');
    const off = rankFeed(state({ neighbours: lists }), { ...user, personalised: false }, req);
    expect(off.coldStart).toBe(true);
    expect(off.cards.map((c) => c.itemId)).not.toContain('i9');
    expect(off.cards.map((c) => c.itemId)).toContain('i0');
  });

  it('ranks several pages at once: distinct cards, one ε-greedy draw per page, the same first page when no draw explores', () => {
    const many: ItemFacts[] = Array.from({ length: 40 }, (_, i) => ({
      id: `m${i}`,
      category: `cat${i % 4}`,
      tags: [],
      publishedAt: NOW - i * H,
    }));
    const big: FeedState = {
      index: new ItemIndex(many),
      popularity: new Float64Array(many.length).map((_, i) => 40 - i),
      neighbours: new Map(),
      scorer: null,
    };
    // Every draw explores (0.01 < cold ε = 0.1): each page ends on its own exploration card, none of them ranked elsewhere.
    const three = rankFeed(big, anon, { ...req, count: 4, pages: 3, rand: () => 0.01 });
    const ids = three.cards.map((c) => c.itemId);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(three.cards.flatMap((c, i) => (c.source === 'explore' ? [i] : []))).toEqual([3, 7, 11]);
    expect(three.cards.filter((_, i) => i % 4 !== 3).every((c) => c.propensity === 1)).toBe(true);
    // Exact: ε × 1 / (the 40 allowed items − the 12 ranked ones it is drawn from).
    expect(three.cards[3].propensity).toBeCloseTo(0.1 / (40 - 12), 12);
    // No draw explores: each page's last card carries 1 − ε (cold: 0.1).
    const kept = rankFeed(big, anon, { ...req, count: 4, pages: 3, rand: () => 0.99 });
    expect(kept.cards.map((c) => c.propensity)).toEqual([1, 1, 1, 0.9, 1, 1, 1, 0.9, 1, 1, 1, 0.9]);
    // Without exploration, page one of three is the one-page ranking of the same candidates (a one-page pool is a subset).
    const keep = () => 0.99;
    const one = rankFeed(big, anon, { ...req, count: 4, rand: keep });
    expect(
      rankFeed(big, anon, { ...req, count: 4, pages: 3, rand: keep })
        .cards.slice(0, 4)
        .map((c) => c.itemId),
    ).toEqual(one.cards.map((c) => c.itemId));
  });

  it('logs an exact propensity for every random choice of a cold-start page: what varies with the draws is never logged as certain', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...items[i % items.length],
      id: `r${i}`,
      category: `cat${i % 5}`,
      publishedAt: NOW - i * H,
    }));
    const big: FeedState = {
      index: new ItemIndex(many),
      popularity: new Float64Array(many.length).map((_, i) => 60 - i),
      neighbours: new Map(),
      scorer: null,
    };
    let varied = 0;
    for (const scene of [null, 1007, 1005]) {
      const pages = Array.from(
        { length: 40 },
        (_, seed) =>
          rankFeed(big, anon, { ...req, scene, count: 10, rand: mulberry32(seed) }).cards,
      );
      for (let k = 0; k < 10; k++) {
        const shown = new Set(pages.map((p) => p[k].itemId));
        // A slot whose card changes with the draws must carry propensities below 1, summing to at most 1 per card.
        if (shown.size > 1) for (const p of pages) expect(p[k].propensity).toBeLessThan(1);
        else for (const p of pages) expect(p[k].propensity).toBe(1);
        if (shown.size > 1) varied += 1;
      }
    }
    // Some slots did change with the draws, so the first rule was put to the test.
    expect(varied).toBeGreaterThan(0);
  });
});

describe('evidence-weighted exploration and a young model', () => {
  const many: ItemFacts[] = Array.from({ length: 40 }, (_, i) => ({
    id: `e${i}`,
    category: i % 2 ? 'tech' : 'food',
    tags: [],
    publishedAt: NOW - i * H,
  }));
  const big: FeedState = {
    index: new ItemIndex(many),
    popularity: new Float64Array(many.length).map((_, i) => 40 - i),
    neighbours: new Map(),
    scorer: null,
  };
  const warmUser = (impressions: number): FeedUser => {
    const profile = emptyProfile('u', NOW);
    profile.interests = { 'cat:tech': 3, 'cat:food': 3 };
    profile.counts = { impression: impressions };
    return {
      openid: 'u',
      personalised: true,
      profile,
      history: [{ itemId: 'e0', at: NOW }],
      exclude: { engaged: ['e0'] },
    };
  };
  const req = { now: NOW, scene: null, category: null, count: 10, offset: 0 };

  it('a warm page explores less as the user is known better, with exact propensities', () => {
    const p = DEFAULT_FEED_PARAMS;
    expect(warmEpsilon(p, 0)).toBeCloseTo(0.1, 12);
    expect(warmEpsilon(p, 50)).toBeCloseTo(0.05, 12);
    // Never below a quarter of ε, whatever the evidence.
    expect(warmEpsilon(p, 150)).toBeCloseTo(0.025, 12);
    expect(warmEpsilon(p, 10_000)).toBeCloseTo(0.025, 12);
    for (const [n, eps] of [
      [0, 0.1],
      [50, 0.05],
      [1000, 0.025],
    ] as const) {
      // No draw explores: the replaceable last card carries 1 − ε(n).
      const kept = rankFeed(big, warmUser(n), { ...req, rand: () => 0.999 });
      expect(kept.cards[9].propensity).toBeCloseTo(1 - eps, 12);
      // A draw just under ε(n) explores: ε(n) ÷ the 40 − 1 engaged − 10 ranked items it is drawn from.
      let first = true;
      const explored = rankFeed(big, warmUser(n), {
        ...req,
        rand: () => (first ? ((first = false), eps - 1e-9) : 0.5),
      });
      expect(explored.cards[9].source).toBe('explore');
      expect(explored.cards[9].propensity).toBeCloseTo(eps / (40 - 1 - 10), 12);
      // And just over it, the page does not explore.
      let once = true;
      const not = rankFeed(big, warmUser(n), {
        ...req,
        rand: () => (once ? ((once = false), eps + 1e-9) : 0.5),
      });
      expect(not.cards[9].source).not.toBe('explore');
    }
  });

  it("a young model shares its part with the user's content match; a learned one keeps it", () => {
    // The model prefers food by far; the user has shown interest in tech only.
    const user = warmUser(0);
    user.profile!.interests = { 'cat:tech': 6 };
    const scorer = (examplesSeen?: number) => ({
      version: 'v1',
      ...(examplesSeen !== undefined ? { examplesSeen } : {}),
      predict: (x: { item: { category: string } }) => (x.item.category === 'food' ? 0.9 : 0.1),
    });
    const techShare = (examplesSeen?: number) => {
      const r = rankFeed({ ...big, scorer: scorer(examplesSeen) as FeedState['scorer'] }, user, {
        ...req,
        rand: () => 0.999,
      });
      return r.cards
        .slice(0, 5)
        .filter((c) => many[big.index.pos.get(c.itemId)!].category === 'tech').length;
    };
    // 100 examples: the match takes 20,000 / 20,100 of the model's part, tech leads.
    expect(techShare(100)).toBeGreaterThanOrEqual(4);
    // 10 million examples (or unknown): the model's own order, food leads.
    expect(techShare(10_000_000)).toBeLessThanOrEqual(2);
    expect(techShare(undefined)).toBeLessThanOrEqual(2);
  });
});

describe('cold-start diversity', () => {
  it('a user with no known interest sees many categories on one page, even when one category is the most popular', () => {
    const many: ItemFacts[] = Array.from({ length: 40 }, (_, i) => ({
      id: `c${i}`,
      category: i < 20 ? 'food' : `cat${i % 5}`,
      tags: [],
      publishedAt: NOW - i * H,
    }));
    const idx = new ItemIndex(many);
    const popularity = new Float64Array(many.length).map((_, i) => (i < 20 ? 100 - i : 1));
    const r = rankFeed(
      { index: idx, popularity, neighbours: new Map(), scorer: null },
      { openid: 'u', personalised: true, profile: null, history: [], exclude: {} },
      { now: NOW, scene: null, category: null, count: 10, offset: 0, rand: () => 0.99 },
    );
    const cats = r.cards.map((c) => many[idx.pos.get(c.itemId)!].category);
    expect(cats.filter((c) => c === 'food').length).toBeLessThanOrEqual(2);
    expect(new Set(cats).size).toBeGreaterThanOrEqual(5);
  });
});
