import {
  DEFAULT_PREFETCH_BUDGET,
  fallbackTap,
  planPrefetch,
  type PrefetchCandidate,
} from '../../../server/engine/prefetch/policy';
import { DEFAULT_PRELOAD, preloadRules } from '../../../server/engine/prefetch/preload';
import {
  fitTransitions,
  nextPages,
  transitionProbability,
} from '../../../server/engine/prefetch/transitions';

const FEED = 'pages/feed/index';
const DETAIL = 'pages/detail/index';
const AD = 'pages/ad/index';
const ME = 'pages/me/index';

describe('transition model', () => {
  const model = fitTransitions([
    { from: FEED, to: DETAIL, count: 80 },
    { from: FEED, to: AD, count: 20 },
    { from: DETAIL, to: FEED, count: 90 },
    { from: ME, to: 'merchant/pages/home/index', count: 3 },
    { from: FEED, to: FEED, count: 500 }, // not navigation: dropped
  ]);

  it('is a distribution per page, close to the counts where counts are many', () => {
    for (const from of [FEED, DETAIL, ME, 'pages/never/index']) {
      const total = nextPages(model, from).reduce((s, x) => s + x.p, 0);
      expect(total).toBeCloseTo(1, 9);
    }
    expect(transitionProbability(model, FEED, DETAIL)).toBeCloseTo((80 + 2 * (80 / 103)) / 102, 9);
    expect(transitionProbability(model, FEED, FEED)).toBe(0);
  });

  it('smooths a rarely seen page towards the overall distribution', () => {
    // ME has 3 moves, all to the merchant home; with α = 2 the prior still gives the detail page mass.
    const p = transitionProbability(model, ME, DETAIL);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeCloseTo((2 * 80) / 193 / 5, 9);
    // An unseen page is the prior itself.
    expect(transitionProbability(model, 'pages/x/index', DETAIL)).toBeCloseTo(80 / 193, 9);
  });

  it('adds to a base model without changing it', () => {
    const more = fitTransitions([{ from: FEED, to: AD, count: 5 }], model);
    expect(more.counts[FEED][AD]).toBe(25);
    expect(model.counts[FEED][AD]).toBe(20);
  });

  it('is zero everywhere on an empty model', () => {
    expect(transitionProbability(fitTransitions([]), FEED, DETAIL)).toBe(0);
  });
});

describe('prefetch policy', () => {
  const cards: PrefetchCandidate[] = [
    { itemId: 'a', position: 0, pctr: 0.04, bytes: 5000 },
    { itemId: 'b', position: 1, pctr: 0.4, bytes: 5000 },
    { itemId: 'c', position: 2, pctr: null, bytes: 5000 },
    { itemId: 'd', position: 4, pctr: 0.3, bytes: 5000 },
    { itemId: 'e', position: 5, pctr: 0.12, bytes: 5000 },
  ];

  it('off fetches nothing; position fetches the top positions within the budget', () => {
    expect(planPrefetch('off', cards)).toEqual([]);
    expect(planPrefetch('position', cards).map((c) => c.itemId)).toEqual(['a', 'b']);
  });

  it('learned takes the likeliest cards within the calls budget, most likely first', () => {
    expect(planPrefetch('learned', cards).map((c) => c.itemId)).toEqual(['b', 'd']);
    const three = { ...DEFAULT_PREFETCH_BUDGET, calls: 6 };
    expect(planPrefetch('learned', cards, three).map((c) => c.itemId)).toEqual(['b', 'd', 'e']);
  });

  it('learned skips cards below the minimum probability even with budget left', () => {
    const wide = { ...DEFAULT_PREFETCH_BUDGET, calls: 100 };
    expect(planPrefetch('learned', cards, wide).map((c) => c.itemId)).toEqual(['b', 'd', 'e']);
    // A card the model did not score takes the fallback tap probability.
    expect(planPrefetch('learned', cards, wide, 0.2).map((c) => c.itemId)).toEqual([
      'b',
      'd',
      'c',
      'e',
    ]);
  });

  it('keeps within the bytes budget, skipping a payload that does not fit for a smaller one', () => {
    const big = cards.map((c) => (c.itemId === 'd' ? { ...c, bytes: 95 * 1024 } : c));
    const chosen = planPrefetch('learned', big);
    expect(chosen.map((c) => c.itemId)).toEqual(['b', 'e']);
    expect(chosen.reduce((s, c) => s + c.bytes, 0)).toBeLessThanOrEqual(
      DEFAULT_PREFETCH_BUDGET.bytes,
    );
    expect(planPrefetch('position', big).map((c) => c.itemId)).toEqual(['a', 'b']);
  });

  it('spreads the feed → detail probability over the page for unscored cards', () => {
    expect(fallbackTap(0.8, 8)).toBeCloseTo(0.1, 9);
    expect(fallbackTap(0.8, 0)).toBe(0);
  });
});

describe('preloadRule', () => {
  const app = {
    pages: [FEED, DETAIL, ME],
    subPackages: [
      { root: 'merchant', name: 'merchant', pages: ['pages/home/index', 'pages/x/index'] },
    ],
  };

  it('preloads a subpackage from pages that lead into it, on Wi-Fi or any network by likelihood', () => {
    const model = fitTransitions([
      { from: FEED, to: DETAIL, count: 900 },
      { from: ME, to: 'merchant/pages/home/index', count: 30 },
      { from: ME, to: FEED, count: 10 },
      { from: DETAIL, to: FEED, count: 100 },
      { from: DETAIL, to: 'merchant/pages/x/index', count: 10 },
    ]);
    expect(preloadRules(model, app)).toEqual({
      'pages/detail/index': { network: 'wifi', packages: ['merchant'] },
      'pages/me/index': { network: 'all', packages: ['merchant'] },
    });
  });

  it('keeps no rule for a page with too few measured moves', () => {
    const model = fitTransitions([
      { from: ME, to: 'merchant/pages/home/index', count: DEFAULT_PRELOAD.minMoves - 1 },
    ]);
    expect(preloadRules(model, app)).toEqual({});
  });
});
