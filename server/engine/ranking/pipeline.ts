/**
 * The content ranking pipeline, fed data (no I/O): candidate sources → blend → click-model
 * scoring (or the retrieval order when no model serves) → freshness → diversity re-ranking →
 * an optional exploration slot. `recommend` and `bench:recsys` both run this.
 * Personalisation is switched in exactly one place, `personalView`.
 */
import type { CtrInput, UserFeatures } from '../features/transformer';
import type { UserProfile } from '../profiles/profile';
import type { GraphFeatures } from '../features/transformer';
import { topInterests } from '../profiles/profile';
import { cardInput, userFeatures, type CardContext, type CardItem } from '../training/features';
import { blendSources, type Blended } from './blend';
import { coldStartWeights, type SourceWeights } from './candidates/cold-start';
import { exploreSource } from './candidates/explore';
import { freshSource } from './candidates/fresh';
import { interestSource } from './candidates/interests';
import {
  DEFAULT_NEARBY,
  nearbySource,
  type GeoPoint,
  type NearbyParams,
} from './candidates/nearby';
import {
  DEFAULT_NEIGHBOUR_SOURCE,
  neighbourSource,
  type Engagement,
  type NeighbourSourceParams,
} from './candidates/neighbours';
import { popularSource } from './candidates/popular';
import { communityOf, socialSource } from './candidates/social';
import { authorSource } from './candidates/authors';
import type { SocialCandidate } from '../social/proof';
import { exclusionMask, type ExclusionInput } from './exclusions';
import { bestK, type ItemIndex } from './item-index';
import type { SimilarityList } from './item-model';
import {
  categoryShares,
  DEFAULT_RERANK,
  diversify,
  type Ranked,
  type RerankParams,
} from './rerank';

/** The promoted click model, ready to score (transformer and learner bound together). */
export interface ClickScorer {
  version: string;
  /** Examples the model learned over its whole lineage (ModelVersion.examplesSeen), when known. */
  examplesSeen?: number;
  predict(input: CtrInput): number;
  /**
   * Optional fast path for many cards of one user in one context (serving: click-scorer.ts):
   * the returned function gives what predict(cardInput(user, card, ctx)) gives, up to
   * floating-point summation order.
   */
  scoreFor?(user: UserFeatures, ctx: CardContext): (card: CardItem) => number;
}

/** What a warm instance holds: the catalog index, decayed popularity, neighbour lists, the model. */
export interface FeedState {
  index: ItemIndex;
  popularity: Float64Array;
  /** popularOrder(popularity), when the caller keeps it between requests. */
  popularOrder?: Int32Array;
  neighbours: ReadonlyMap<string, SimilarityList>;
  scorer: ClickScorer | null;
}

export interface FeedUser {
  openid: string;
  /** False when the user opted out of personalisation: nothing personal is used. */
  personalised: boolean;
  profile: UserProfile | null;
  /** Engagements, newest first (production: the profile's recent items). */
  history: readonly Engagement[];
  exclude: ExclusionInput;
  /**
   * What the user's close ties engaged with, best first (server/social/proof.ts reads it under
   * the privacy rules): the social candidate source and the communities the re-ranking spreads.
   */
  social?: readonly SocialCandidate[];
  /** The authors the user follows (关注作者): the followed-authors source. */
  authors?: readonly string[];
  /**
   * What the user's travel-interest ties liked (旅游出行: friends with whom travel items were
   * shared and opened; server/social/proof.ts reads them under the same privacy rules), best
   * first: the travel-ties source, where the deployment's scene reads them (server/scenes.ts).
   */
  travelFriends?: readonly SocialCandidate[];
  /** The user's share-graph features when the click model uses them (SOCIAL_GRAPH_FEATURES). */
  graph?: GraphFeatures | null;
}

export interface FeedRequest {
  now: number;
  scene: number | null;
  /** Restrict to one category (a channel), or null for every category. */
  category: string | null;
  /**
   * The categories the deployment's scene serves (server/scenes.ts), or null/absent for every
   * category: a hard restriction like the channel's.
   */
  categories?: readonly string[] | null;
  /** Cards per page. */
  count: number;
  /**
   * Pages ranked at once (default 1): the result holds up to count × pages cards, page k being
   * cards[k·count, (k+1)·count), each page with its own ε-greedy exploration draw, so that a
   * session's next pages can be served from this ranking (server/serving/continuation.ts).
   * The click model scores the pages' candidates in this request's context (position = offset).
   */
  pages?: number;
  /** Feed position of the first card (a model feature). */
  offset: number;
  rand: () => number;
  /**
   * Places the request is about (旅游出行): where the user is, when they shared it for this
   * request, and their destination; travel items near one are candidates (candidates/nearby.ts).
   */
  anchors?: readonly GeoPoint[];
}

export interface FeedParams {
  warm: SourceWeights;
  /** Candidates each source contributes. */
  perSource: number;
  /** Blended candidates the click model scores. */
  scoreTop: number;
  /** Share of the final score given to the click model when one serves. */
  modelShare: number;
  /**
   * While the serving model is young, its share is split with the user's content match (the
   * interest profile's score of the item, candidates/interests.ts): the match takes
   * n0 ÷ (n0 + examples the model learned) of it, fading as the model learns. 0: off.
   */
  youngModelExamples: number;
  /** Relative boost of a just-published item, halving every freshHalfLifeMs. */
  freshBoost: number;
  freshHalfLifeMs: number;
  interestsUsed: number;
  /** Probability that a page carries one exploration card (a user with known interests, before any evidence). */
  exploreEpsilon: number;
  /**
   * Exploration that shrinks with evidence about the user: after n impressions a warm page
   * explores with ε · n0 ÷ (n0 + n), never below `floor` · ε (the items still need unbiased
   * looks, and off-policy evaluation its support). n is known when the page is served, so the
   * logged propensities stay exact.
   */
  exploreDecay: { impressions: number; floor: number };
  /** The same for a cold-start or non-personalised page, which has the most to learn. */
  coldExploreEpsilon: number;
  neighbour: NeighbourSourceParams;
  /** The place source's weight (used only when the request names places) and its distance scale. */
  nearby: NearbyParams & { weight: number };
  /** The travel-ties source's weight (used only for a user with travel-interest ties, see FeedUser.travelFriends). */
  travelTies: number;
  rerank: RerankParams;
  /** Diversity for a user with no known interest: more categories per page, so their first clicks tell which they like. */
  coldRerank: RerankParams;
}

/**
 * perSource 100 / scoreTop 50 (were 300 / 150: a third of the serving CPU): bench:recsys
 * 0.2339 / 0.2076 (was 0.2353 / 0.2086), simulate --compare lift 1.68 (1.76 before; runs vary
 * by ±0.1), docs/benchmarks.md.
 */
export const DEFAULT_FEED_PARAMS: FeedParams = {
  // social, authors: not tuned (the simulator has no ties or follows yet); below the neighbours,
  // above interests (a followed author is an explicit choice).
  warm: {
    neighbours: 1,
    interests: 0.15,
    popular: 0.1,
    fresh: 0.05,
    explore: 0,
    social: 0.3,
    authors: 0.3,
  },
  perSource: 100,
  scoreTop: 50,
  modelShare: 0.5,
  youngModelExamples: 20_000,
  freshBoost: 0.1,
  freshHalfLifeMs: 3 * 86_400_000,
  interestsUsed: 16,
  exploreEpsilon: 0.1,
  exploreDecay: { impressions: 50, floor: 0.25 },
  coldExploreEpsilon: 0.1,
  neighbour: DEFAULT_NEIGHBOUR_SOURCE,
  // As strong as the strongest personal source: the user asked about these places.
  nearby: { ...DEFAULT_NEARBY, weight: 1 },
  // As the followed-authors source: a social signal the user's own behaviour made (they opened a
  // friend's travel share). Not tuned (no measurement yet: docs/simulation.md, scenes).
  travelTies: 0.3,
  rerank: DEFAULT_RERANK,
  coldRerank: { window: 10, penalty: 0.15, maxShare: 0.2 },
};

export interface RankedCard {
  itemId: string;
  score: number;
  /** The model's click probability when a model scored the card, else null. */
  modelScore: number | null;
  source: string;
  /** Probability that this policy put this card on the page (1: deterministic). */
  propensity: number;
}

export interface FeedResult {
  cards: RankedCard[];
  modelVersion: string | null;
  /** True when no personal signal was available or allowed (popular/fresh/explore only). */
  coldStart: boolean;
}

/** The one switch: an opted-out user is ranked with no profile, no history, no per-user exclusions beyond this session and explicit hides. */
function personalView(
  user: FeedUser,
): Pick<
  FeedUser,
  'profile' | 'history' | 'exclude' | 'social' | 'authors' | 'graph' | 'travelFriends'
> {
  if (user.personalised) return user;
  return {
    profile: null,
    graph: null,
    history: [],
    social: [],
    authors: [],
    travelFriends: [],
    exclude: {
      served: user.exclude.served,
      hidden: user.exclude.hidden,
      riskTolerance: user.exclude.riskTolerance,
    },
  };
}

export function rankFeed(
  state: FeedState,
  rawUser: FeedUser,
  req: FeedRequest,
  params: FeedParams = DEFAULT_FEED_PARAMS,
): FeedResult {
  const { index } = state;
  const user = personalView(rawUser);
  const { allowed: notExcluded } = exclusionMask(index, user.exclude);
  const inScene = req.categories ? new Set(req.categories) : null;
  const inChannel =
    req.category === null
      ? notExcluded
      : (i: number) => notExcluded(i) && index.items[i].category === req.category;
  const allowed = inScene
    ? (i: number) => inChannel(i) && inScene.has(index.items[i].category)
    : inChannel;

  const interests = user.profile ? topInterests(user.profile, params.interestsUsed, req.now) : [];
  const cold = user.history.length === 0 && interests.length === 0;
  const w = cold ? coldStartWeights(req.scene) : params.warm;
  const social = user.social ?? [];
  const circle = communityOf(social);
  const k = params.perSource;
  const explored =
    w.explore > 0 ? exploreSource(index, Math.max(1, Math.ceil(k / 10)), allowed, req.rand) : null;
  const blended = blendSources([
    {
      name: 'neighbours',
      weight: w.neighbours,
      scores:
        w.neighbours > 0
          ? neighbourSource(
              index,
              user.history,
              state.neighbours,
              req.now,
              k,
              allowed,
              params.neighbour,
            )
          : new Map(),
    },
    {
      name: 'interests',
      weight: w.interests,
      scores: w.interests > 0 ? interestSource(index, interests, k, allowed) : new Map(),
    },
    {
      name: 'popular',
      weight: w.popular,
      scores:
        w.popular > 0 ? popularSource(state.popularity, k, allowed, state.popularOrder) : new Map(),
    },
    {
      name: 'fresh',
      weight: w.fresh,
      scores:
        w.fresh > 0 ? freshSource(index, req.now, params.freshHalfLifeMs, k, allowed) : new Map(),
    },
    {
      name: 'social',
      weight: w.social ?? 0,
      scores: (w.social ?? 0) > 0 ? socialSource(index, social, k, allowed) : new Map(),
    },
    {
      name: 'authors',
      weight: w.authors ?? 0,
      scores:
        (w.authors ?? 0) > 0 && user.authors?.length
          ? authorSource(index, user.authors, req.now, params.freshHalfLifeMs, k, allowed)
          : new Map(),
    },
    { name: 'explore', weight: w.explore, scores: explored?.scores ?? new Map() },
    {
      // Like the place source, for cold and warm users alike: the ties are the user's own doing.
      name: 'travel-ties',
      weight: user.travelFriends?.length ? params.travelTies : 0,
      scores: user.travelFriends?.length
        ? socialSource(index, user.travelFriends, k, allowed)
        : new Map(),
    },
    {
      name: 'nearby',
      weight: req.anchors?.length ? params.nearby.weight : 0,
      scores: req.anchors?.length
        ? nearbySource(index, req.anchors, k, allowed, params.nearby)
        : new Map(),
    },
  ]);

  // Two stages: the click model scores only the retrieval's best candidates — scoreTop for the
  // first page and, as ranking one page after another would, a page's worth more for each further page.
  const pages = Math.max(1, Math.floor(req.pages ?? 1));
  const total = req.count * pages;
  const pool = bestBlended(
    index,
    blended,
    Math.max(params.scoreTop + (pages - 1) * req.count, total),
  );
  const maxBlend = pool.length ? pool[0][1].score : 1;
  const scorer = state.scorer;
  const uf = scorer
    ? userFeatures(rawUser.openid, user.profile, req.now, rawUser.personalised, user.graph ?? null)
    : null;
  const model = new Map<number, number>();
  let maxP = 0;
  if (scorer && uf) {
    const ctx: CardContext = { at: req.now, position: req.offset, scene: req.scene };
    const score = scorer.scoreFor
      ? scorer.scoreFor(uf, ctx)
      : (card: CardItem) => scorer.predict(cardInput(uf, card, ctx));
    for (const [i] of pool) {
      const it = index.items[i];
      const p = score({ itemId: it.id, meta: it });
      model.set(i, p);
      if (p > maxP) maxP = p;
    }
  }
  // A young model shares its part with the content match (FeedParams.youngModelExamples).
  const young =
    scorer && params.youngModelExamples > 0 && interests.length
      ? params.youngModelExamples /
        (params.youngModelExamples + Math.max(0, scorer.examplesSeen ?? Infinity))
      : 0;
  const inPool = new Set(pool.map(([i]) => i));
  const content =
    young > 0 ? interestSource(index, interests, pool.length, (i) => inPool.has(i)) : new Map();
  let maxContent = 0;
  for (const c of content.values()) if (c > maxContent) maxContent = c;
  const ranked: Array<Ranked & { source: string }> = pool.map(([i, b]) => {
    const retrieval = b.score / maxBlend;
    const p = model.get(i);
    const learned =
      p === undefined || !(maxP > 0)
        ? null
        : maxContent > 0
          ? (1 - young) * (p / maxP) + (young * (content.get(i) ?? 0)) / maxContent
          : p / maxP;
    const base =
      learned === null
        ? retrieval
        : (1 - params.modelShare) * retrieval + params.modelShare * learned;
    const age = Math.max(0, req.now - index.items[i].publishedAt);
    const score = base * (1 + params.freshBoost * Math.pow(2, -age / params.freshHalfLifeMs));
    const community = circle.get(index.items[i].id);
    return {
      index: i,
      score,
      category: index.items[i].category,
      source: b.source,
      ...(community !== undefined ? { community } : {}),
    };
  });
  const rerank = cold ? params.coldRerank : params.rerank;
  const calibration =
    user.profile && rerank.calibrationPrior !== undefined
      ? categoryShares(
          topInterests(user.profile, Number.MAX_SAFE_INTEGER, req.now),
          rerank.calibrationPrior,
        )
      : undefined;
  const picked = diversify(ranked, total, rerank, calibration) as Array<
    Ranked & { source: string }
  >;
  const cards: RankedCard[] = picked.map((r) => ({
    itemId: index.items[r.index].id,
    score: r.score,
    modelScore: model.get(r.index) ?? null,
    source: r.source,
    propensity: 1,
  }));
  // Exploration is an explicit mixture with a known weight (no random source inside the blend,
  // whose inclusion probabilities nobody could log): see addExplorationCard.
  const epsilon = cold
    ? params.coldExploreEpsilon
    : warmEpsilon(params, user.profile?.counts.impression ?? 0);
  if (pages === 1) addExplorationCard(cards, cards, state, allowed, req, epsilon);
  else
    for (let k = 0; k * req.count < cards.length; k++)
      addExplorationCard(
        cards,
        cards.slice(k * req.count, (k + 1) * req.count),
        state,
        allowed,
        req,
        epsilon,
        k * req.count,
      );
  return { cards, modelVersion: scorer && model.size ? scorer.version : null, coldStart: cold };
}

/** A warm page's exploration probability after `impressions` (decayed) impressions of the user: FeedParams.exploreDecay. */
export function warmEpsilon(params: FeedParams, impressions: number): number {
  const { impressions: n0, floor } = params.exploreDecay;
  const n = Number.isFinite(impressions) && impressions > 0 ? impressions : 0;
  return params.exploreEpsilon * Math.max(floor, n0 / (n0 + n));
}

/** Blend scores per index, zero between calls. */
const poolScratch = new WeakMap<ItemIndex, Float64Array>();

/** The k best blended candidates, best first (ties by index). */
function bestBlended(
  index: ItemIndex,
  blended: ReadonlyMap<number, Blended>,
  k: number,
): Array<[number, Blended]> {
  let score = poolScratch.get(index);
  if (!score) poolScratch.set(index, (score = new Float64Array(index.size)));
  const ids: number[] = [];
  for (const [i, b] of blended) {
    score[i] = b.score;
    ids.push(i);
  }
  const best = bestK(ids, score, k);
  for (const i of ids) score[i] = 0;
  return best.map((i) => [i, blended.get(i)!]);
}

/**
 * ε-greedy as an explicit two-component mixture (Sutton & Barto 2018, §2.2; logged for
 * off-policy evaluation as in Li et al. 2011, "Unbiased offline evaluation of contextual-bandit-
 * based news article recommendation algorithms"): with probability ε the page's last card is
 * replaced by a uniformly drawn allowed item not already among the ranked cards. Every
 * propensity is exact: the explored card's is ε ÷ the number of items it was drawn from, the
 * ranked card it could have replaced carries 1 − ε, every other card 1. `page` is the page's
 * cards within `all`, starting at `start`.
 */
function addExplorationCard(
  all: RankedCard[],
  page: readonly RankedCard[],
  state: FeedState,
  allowed: (i: number) => boolean,
  req: FeedRequest,
  epsilon: number,
  start = 0,
): void {
  const last = start + page.length - 1;
  if (!(epsilon > 0) || page.length === 0 || req.rand() >= epsilon) {
    if (epsilon > 0 && page.length) all[last].propensity = 1 - epsilon;
    return;
  }
  const ranked = new Set(all.map((c) => state.index.pos.get(c.itemId)));
  const pick = exploreSource(state.index, 1, (i) => allowed(i) && !ranked.has(i), req.rand);
  const [i] = [...pick.scores.keys()];
  if (i === undefined) return;
  all[last] = {
    itemId: state.index.items[i].id,
    score: 0,
    modelScore: null,
    source: 'explore',
    propensity: epsilon * pick.inclusion,
  };
}
