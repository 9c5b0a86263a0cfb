/** servePage's ranking stage, its pure parts: the ranking key, the user the pipeline sees, a continued page, the page seed. */
import type { UserProfile } from '../../../../server/engine/profiles/profile';
import { emptyProfile } from '../../../../server/engine/profiles/profile';
import type { RankedCard } from '../../../../server/engine/ranking/pipeline';
import type { Continuation } from '../../../../server/serving/continuation';
import type { PageState } from '../../../../server/serving/page/read';
import {
  continuedPage,
  feedUserOf,
  pageSeed,
  rankingKey,
  relaxed,
  SEEN_WINDOW_MS,
} from '../../../../server/serving/page/rank';
import type { PageRequest } from '../../../../server/serving/page/request';
import type { CatalogSnapshot } from '../../../../server/serving/warm-state';

const NOW = Date.UTC(2026, 11, 6, 10, 0, 0);

const request = (over: Partial<PageRequest> = {}): PageRequest => ({
  session: { id: 's1', page: 1, offset: 10, channel: 'foryou' },
  category: null,
  limit: 10,
  scene: null,
  personalised: true,
  store: true,
  ...over,
});

const card = (itemId: string): RankedCard => ({
  itemId,
  score: 1,
  modelScore: 0.1,
  source: 'popular',
  propensity: 1,
});

describe('rankingKey', () => {
  const state = {
    snap: { serial: 3 } as CatalogSnapshot,
    scorer: { version: 'v1', predict: () => 0 },
    stored: { updatedAt: 100 } as UserProfile,
  };
  const base = rankingKey(request(), state, {});

  it('is the same for the same inputs and ignores what ranking does not read (the page, the limit, consent to store)', () => {
    expect(rankingKey(request(), state, {})).toBe(base);
    expect(
      rankingKey(
        request({ session: { id: 's2', page: 4, offset: 40, channel: 'foryou' } }),
        state,
        {},
      ),
    ).toBe(base);
  });

  it.each<[string, Partial<PageRequest>]>([
    ['channel', { category: '美食' }],
    ["scene's categories", { categories: ['美食'] }],
    ['personalisation', { personalised: false }],
    ['launch scene', { scene: 1007 }],
    ['risk tolerance', { riskTolerance: 3 }],
    ['chosen interests', { chosenInterests: ['旅行'] }],
    ['location', { location: { lat: 30, lng: 120 } }],
    ['destination', { destination: '成都' }],
  ])('changes with the %s', (_what, over) => {
    expect(rankingKey(request(over), state, {})).not.toBe(base);
  });

  it('changes with the catalog load, the model, the profile revision and the experiment overrides', () => {
    expect(
      rankingKey(request(), { ...state, snap: { serial: 4 } as CatalogSnapshot }, {}),
    ).not.toBe(base);
    expect(rankingKey(request(), { ...state, scorer: null }, {})).not.toBe(base);
    expect(rankingKey(request(), { ...state, stored: null }, {})).not.toBe(base);
    expect(rankingKey(request(), state, { diversityPenalty: 0.5 })).not.toBe(base);
  });
});

describe('feedUserOf', () => {
  const profile: UserProfile = {
    ...emptyProfile('u1', NOW),
    recent: [
      { itemId: 'r1', at: NOW - 1000 },
      { itemId: 'r2', at: NOW - 2000 },
    ],
    seen: [
      { itemId: 'fresh', at: NOW - SEEN_WINDOW_MS + 1 },
      { itemId: 'stale', at: NOW - SEEN_WINDOW_MS },
    ],
  };
  const state = (over: Partial<PageState> = {}) => ({
    req: request({ riskTolerance: 2 }),
    profile,
    stored: { ...emptyProfile('u1', NOW), hidden: ['h1'] },
    ties: [],
    travelTies: [],
    authors: ['a1'],
    graph: null,
    ...over,
  });

  it('excludes what was served, hidden, seen within the window and engaged with, and carries the tolerance', () => {
    const user = feedUserOf('u1', state(), ['s1'], NOW);
    expect(user.exclude).toEqual({
      served: ['s1'],
      hidden: ['h1'],
      seen: ['fresh'],
      engaged: ['r1', 'r2'],
      riskTolerance: 2,
    });
    expect(user.history.map((h) => h.itemId)).toEqual(['r1', 'r2']);
    expect(user.authors).toEqual(['a1']);
  });

  it('keeps the stored hides when personalisation is off (an instruction, not a signal), and nothing else of the profile', () => {
    const user = feedUserOf(
      'u1',
      state({ req: request({ personalised: false }), profile: null }),
      [],
      NOW,
    );
    expect(user.personalised).toBe(false);
    expect(user.exclude).toMatchObject({ hidden: ['h1'], seen: [], engaged: [] });
    expect(user.exclude.riskTolerance).toBeNull();
  });

  it('turns the ties into social candidates, strongest first', () => {
    const user = feedUserOf(
      'u1',
      state({
        ties: [
          { weight: 1, items: ['x'] },
          { weight: 3, items: ['y', 'x'] },
        ],
      }),
      [],
      NOW,
    );
    expect(user.social!.map((c) => c.itemId)).toEqual(['x', 'y']);
    expect(user.travelFriends).toEqual([]);
  });

  it('relaxed keeps only the hard exclusions: served, hidden, suitability', () => {
    const user = relaxed(feedUserOf('u1', state(), ['s1'], NOW));
    expect(user.exclude).toEqual({ served: ['s1'], hidden: ['h1'], riskTolerance: 2 });
  });
});

describe('continuedPage', () => {
  it('serves the first limit cards and keeps the rest, with what the session served so far', () => {
    const cont: Continuation = {
      openid: 'u1',
      key: 'k',
      next: 1,
      limit: 2,
      cards: ['a', 'b', 'c', 'd', 'e'].map(card),
      modelVersion: 'v9',
      served: ['p', 'q'],
      ads: [{ adId: 'ad1', at: NOW }],
    };
    const page = continuedPage(cont, 2);
    expect(page.ranked.map((c) => c.itemId)).toEqual(['a', 'b']);
    expect(page.rest.map((c) => c.itemId)).toEqual(['c', 'd', 'e']);
    expect(page.modelVersion).toBe('v9');
    expect(page.before).toEqual({ items: ['p', 'q'], ads: [{ adId: 'ad1', at: NOW }] });
  });
});

describe('pageSeed', () => {
  it('depends on who asks, when, where in the feed and the channel, not on the session id', () => {
    const s = pageSeed('u1', NOW, 0, null);
    expect(pageSeed('u1', NOW, 0, null)).toBe(s);
    expect(
      new Set([
        s,
        pageSeed('u2', NOW, 0, null),
        pageSeed('u1', NOW + 1, 0, null),
        pageSeed('u1', NOW, 10, null),
        pageSeed('u1', NOW, 0, '美食'),
      ]).size,
    ).toBe(5);
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });
});
