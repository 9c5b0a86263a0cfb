/**
 * servePage's ranking stage: the page's content cards (and the next pages', to keep) either from a
 * kept continuation whose key still matches what ranking would read, or ranked in full by the
 * engine's pipeline (candidates, blend, exclusions, click model, diversity, exploration:
 * engine/ranking/pipeline.ts). "Seen recently" is a soft exclusion: when it would leave a page
 * short, the page is ranked again with only the hard ones (served in this session, hidden).
 */
import type { ParameterOverrides } from '../../engine/experiments/assign';
import { mulberry32 } from '../../engine/models/rng';
import { cityAnchor, type GeoPoint } from '../../engine/ranking/candidates/nearby';
import {
  DEFAULT_FEED_PARAMS,
  rankFeed,
  type FeedParams,
  type FeedResult,
  type FeedState,
  type FeedUser,
  type RankedCard,
} from '../../engine/ranking/pipeline';
import { socialCandidates } from '../../engine/social/proof';
import type { ServedSlate } from '../../ports';
import type { FunctionContext } from '../../runtime/function';
import type { Continuation } from '../continuation';
import type { WarmState } from '../warm-state';
import { servedInSession, type PageState } from './read';
import type { PageRequest, SessionServed } from './request';

/** Impressions older than this no longer exclude an item. */
export const SEEN_WINDOW_MS = 2 * 86_400_000;

/** Social candidates read per page (the source's own cut is the pipeline's perSource). */
const SOCIAL_CANDIDATES = 100;

/** The ranking stage's output: this page's ranked content and what ranking it left for the next pages. */
export interface RankedPage {
  /** This page's content, in order (at most `limit`). */
  ranked: RankedCard[];
  /** The cards ranked for the next pages, in order (kept as the session's continuation). */
  rest: RankedCard[];
  modelVersion: string | null;
  /** What the session served before this page. */
  before: SessionServed;
}

/** This page was logged already (a retry whose answer was lost): answer that slate, rank nothing. */
export interface AlreadyLogged {
  logged: ServedSlate;
}

/** Ranking parameters: the configured exploration weights, with the experiment overrides applied. */
export function feedParams(
  o: ParameterOverrides,
  config?: { exploreEpsilon: number; coldExploreEpsilon: number; socialSourceWeight?: number },
): FeedParams {
  const p = config
    ? {
        ...DEFAULT_FEED_PARAMS,
        exploreEpsilon: config.exploreEpsilon,
        coldExploreEpsilon: config.coldExploreEpsilon,
        ...(config.socialSourceWeight !== undefined
          ? { warm: { ...DEFAULT_FEED_PARAMS.warm, social: config.socialSourceWeight } }
          : {}),
      }
    : DEFAULT_FEED_PARAMS;
  return {
    ...p,
    ...(o.exploreEpsilon !== undefined ? { exploreEpsilon: o.exploreEpsilon } : {}),
    // Warm users only: the cold-start re-rank is there to learn a newcomer's interests, not a tunable.
    ...(o.diversityPenalty !== undefined
      ? { rerank: { ...p.rerank, penalty: o.diversityPenalty } }
      : {}),
  };
}

/**
 * The page's random seed (FNV-1a of who asks, when and where in the feed): draws depend on these,
 * not on the random session id, so a seeded simulation replays exactly.
 */
export function pageSeed(
  openid: string,
  now: number,
  offset: number,
  category: string | null,
): number {
  const s = `${openid}|${now}|${offset}|${category ?? ''}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Everything the ranking read, as one string: a kept continuation serves the page only while its
 * key is this one (continuation.ts).
 */
export function rankingKey(
  req: PageRequest,
  state: Pick<PageState, 'snap' | 'scorer' | 'stored'>,
  overrides: ParameterOverrides,
): string {
  return [
    state.snap.serial,
    state.scorer?.version ?? '',
    state.stored?.updatedAt ?? '',
    req.category ?? '',
    req.categories?.join(',') ?? '',
    req.personalised,
    req.scene ?? '',
    req.riskTolerance ?? '',
    (req.chosenInterests ?? []).join(','),
    req.location ? `${req.location.lat},${req.location.lng}` : '',
    req.destination ?? '',
    JSON.stringify(overrides),
  ].join('|');
}

/** The page from a kept continuation whose key matched: its first `limit` cards, the rest kept on. */
export const continuedPage = (cont: Continuation, limit: number): RankedPage => ({
  ranked: cont.cards.slice(0, limit),
  rest: cont.cards.slice(limit),
  modelVersion: cont.modelVersion,
  before: { items: cont.served, ads: cont.ads },
});

/**
 * The user as the ranking pipeline sees them: profile and history, what to exclude (served in
 * the session, hidden, seen within SEEN_WINDOW_MS, engaged with, above their risk tolerance),
 * their ties' and travel ties' candidates, followed authors and graph features.
 */
export function feedUserOf(
  openid: string,
  state: Pick<
    PageState,
    'req' | 'profile' | 'stored' | 'ties' | 'travelTies' | 'authors' | 'graph'
  >,
  served: string[],
  now: number,
): FeedUser {
  const { req, profile } = state;
  const history = profile?.recent ?? [];
  return {
    openid,
    personalised: req.personalised,
    profile,
    history,
    exclude: {
      served,
      hidden: state.stored?.hidden ?? [],
      seen: (profile?.seen ?? []).filter((s) => now - s.at < SEEN_WINDOW_MS).map((s) => s.itemId),
      engaged: history.map((h) => h.itemId),
      riskTolerance: req.riskTolerance ?? null,
    },
    social: socialCandidates(state.ties, new Set(), SOCIAL_CANDIDATES),
    travelFriends: socialCandidates(state.travelTies, new Set(), SOCIAL_CANDIDATES),
    authors: state.authors,
    graph: state.graph,
  };
}

/** The user with only the hard exclusions (served in the session, hidden, suitability): a short page's second try. */
export const relaxed = (user: FeedUser): FeedUser => ({
  ...user,
  exclude: {
    served: user.exclude.served,
    hidden: user.exclude.hidden,
    riskTolerance: user.exclude.riskTolerance,
  },
});

/**
 * Ranks the page (and `pages - 1` more to keep) in full: reads the session's slates unless the
 * read stage did, the neighbour lists of the user's recent engagement, then the pipeline.
 */
export async function rankContent(
  ctx: FunctionContext,
  warm: WarmState,
  state: PageState,
  opts: { now: number; seed: number; overrides: ParameterOverrides; pages: number },
): Promise<RankedPage | AlreadyLogged> {
  const { req, snap, profile } = state;
  const { now } = opts;
  const { offset, carried } = req.session;
  const fresh = state.read ?? (await servedInSession(ctx, req));
  if (fresh.logged) return { logged: fresh.logged };
  const before = { items: fresh.items, ads: fresh.ads };
  // A carried session names its items in a Bloom filter: the catalog's items it holds are excluded.
  const served = carried
    ? snap.index.items.filter((it) => carried.items.has(it.id)).map((it) => it.id)
    : before.items;
  const history = profile?.recent ?? [];
  const neighbours = history.length
    ? await warm.neighbours(
        ctx.stores,
        history.map((h) => h.itemId),
        now,
      )
    : new Map();
  const feedState: FeedState = {
    index: snap.index,
    popularity: snap.popularity,
    popularOrder: snap.popularOrder,
    neighbours,
    scorer: state.scorer,
  };
  const user = feedUserOf(ctx.openid, state, served, now);
  const params = feedParams(opts.overrides, ctx.config);
  const destination = req.destination ? cityAnchor(snap.index, req.destination) : null;
  const anchors = [req.location, destination].filter((a): a is GeoPoint => !!a);
  const rank = (u: FeedUser): FeedResult =>
    rankFeed(
      feedState,
      u,
      {
        now,
        scene: req.scene,
        category: req.category,
        categories: req.categories ?? null,
        count: req.limit,
        pages: opts.pages,
        offset,
        // Each try draws the same stream: the second differs from the first only by what it excludes.
        rand: mulberry32(opts.seed),
        ...(anchors.length ? { anchors } : {}),
      },
      params,
    );
  let result = rank(user);
  // Relaxes what was seen and engaged with, never the hard rules (hides, suitability).
  if (result.cards.length < req.limit) result = rank(relaxed(user));
  return {
    ranked: result.cards.slice(0, req.limit),
    rest: result.cards.slice(req.limit),
    modelVersion: result.modelVersion,
    before,
  };
}
