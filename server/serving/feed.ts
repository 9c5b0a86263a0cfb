/**
 * One feed page for one user: read the user's state (profile, this session's served items,
 * neighbour lists of recent engagement), rank with the engine's pipeline over the warm
 * catalog, and log the slate. "Seen recently" is a soft exclusion: when it would leave a page
 * short, the page is ranked again with only the hard ones (served in this session, hidden).
 */
import { randomUUID } from 'node:crypto';
import type { ContentCard, ContentItem, FeedCard } from '../../typings';
import {
  overridesOf,
  slateVariant,
  type Assignment,
  type ParameterOverrides,
} from '../engine/experiments/assign';
import { mulberry32 } from '../engine/models/rng';
import { cityAnchor, distanceKm, type GeoPoint } from '../engine/ranking/candidates/nearby';
import { suitable } from '../engine/suitability';
import {
  DEFAULT_FEED_PARAMS,
  rankFeed,
  type FeedParams,
  type FeedResult,
  type FeedUser,
  type ClickScorer,
  type RankedCard,
} from '../engine/ranking/pipeline';
import { cardInput, userFeatures } from '../engine/training/features';
import type { ServedSlate, SlateCard } from '../ports';
import type { FunctionContext } from '../runtime/function';
import type { AdScene } from '../engine/ads/scene';
import { loggedAdCards, serveAds, type SessionAd, type SharedAttributes } from './ads';
import { PAGES_RANKED } from './continuation';
import { badCursor, slateIdOf, type FeedSession } from './session';
import type { CatalogSnapshot, WarmState } from './warm-state';
import type { UserProfile } from '../engine/profiles/profile';
import { seededProfile } from '../engine/profiles/seed';
import type { GraphFeatures } from '../engine/features/transformer';
import { socialCandidates, type TieEngagement } from '../engine/social/proof';
import { engagementsOfTies, proofOf } from '../social/proof';
import { followedAuthors } from '../social/authors';
import { paymentAdjustedTolerance } from '../privacy/demographics';

/** Impressions older than this no longer exclude an item. */
export const SEEN_WINDOW_MS = 2 * 86_400_000;

export interface FeedPage {
  slateId: string;
  cards: FeedCard[];
  /** Fewer cards than asked: nothing more to serve in this session. */
  exhausted: boolean;
  modelVersion: string | null;
  /** What the session served before this page, when read from its logged slates or kept (empty when carried). */
  before: { items: string[]; ads: SessionAd[] };
  /** Feed positions the page takes when some of its logged cards are no longer shown (a replay). */
  span?: number;
}

export interface PageRequest {
  /** The session and which of its pages (session.ts). */
  session: FeedSession;
  /** The channel's category; null for the personal feed. */
  category: string | null;
  /** The categories the deployment's scene serves (server/scenes.ts); null or absent: every one. */
  categories?: readonly string[] | null;
  /** The scene's rule on ads (engine/ads/scene.ts); null or absent: every campaign. */
  adScene?: AdScene | null;
  /** The scene reads the user's travel-interest ties as a candidate source (server/scenes.ts). */
  travelTies?: boolean;
  limit: number;
  scene: number | null;
  /** The user's personalisation choice (issue 8: read from the account settings). */
  personalised: boolean;
  /** Gender / age band / city the user shared for ad targeting (server/privacy/demographics.ts). */
  shared?: SharedAttributes;
  /**
   * The user's risk tolerance C1–C5 (suitability, a hard rule: no content or ad above it); null
   * or absent when not assessed, which withholds every risk-rated product.
   */
  riskTolerance?: number | null;
  /** Categories the user picked at first launch: a floor under a cold profile (engine/profiles/seed.ts). */
  chosenInterests?: readonly string[];
  /**
   * Where the user is, when they shared it for this request and the feed is personalised
   * (session.ts locatedFor), and the destination city they asked about (旅游出行): travel items
   * near either are candidates. Neither is stored.
   */
  location?: GeoPoint | null;
  destination?: string;
  /** The user's experiment variants (none outside experiments). */
  experiments?: Assignment[];
  /**
   * Whether anything tied to the user may be kept or read (server/privacy/gate.ts): false logs no
   * slate and reads none of their counters (the session's state rides in the cursor instead).
   */
  store: boolean;
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
 * Item ids and ad cards this session already served, from its logged slates, and this page's own
 * slate if it was logged already (read in the same lookup); a cursor naming another user's
 * session, or pages that were never served, is refused. (Its position is not held to the logged
 * cards: a replayed page may miss a card no longer shown.)
 */
async function servedInSession(
  ctx: FunctionContext,
  req: PageRequest,
): Promise<{ items: string[]; ads: SessionAd[]; logged?: ServedSlate }> {
  const { id, page, carried } = req.session;
  if (page === 0 || carried) return { items: [], ads: [] };
  const ids = Array.from({ length: page + (req.store ? 1 : 0) }, (_, p) => slateIdOf(id, p));
  const read = await ctx.stores.slates.get(ids);
  const own = slateIdOf(id, page);
  const logged = read.find((s) => s.slateId === own);
  const slates = read.filter((s) => s !== logged);
  if (slates.length !== page || read.some((s) => s.openid !== ctx.openid)) throw badCursor();
  return {
    items: slates.flatMap((s) =>
      s.cards.map((c) => c.itemId).filter((x): x is string => x !== undefined),
    ),
    ads: slates.flatMap((s) =>
      s.cards.flatMap((c) => (c.adId !== undefined ? [{ adId: c.adId, at: s.servedAt }] : [])),
    ),
    ...(logged ? { logged } : {}),
  };
}

/** Social candidates read per page (the source's own cut is the pipeline's perSource). */
const SOCIAL_CANDIDATES = 100;

/**
 * What the viewer's close ties engaged with, for the social source and social proof: only for a
 * viewer who may be stored and is personalised (the ties' side of the rules: server/social/proof.ts).
 */
const tiesOf = (ctx: FunctionContext, req: PageRequest, now: number): Promise<TieEngagement[]> =>
  req.store && req.personalised
    ? engagementsOfTies(ctx.stores, ctx.openid, now, ctx.config)
    : Promise.resolve([]);

/** What the user's travel-interest ties liked (旅游出行), where the scene reads them; same rules as tiesOf. */
const travelTiesOf = (
  ctx: FunctionContext,
  req: PageRequest,
  now: number,
): Promise<TieEngagement[]> =>
  req.travelTies && req.store && req.personalised
    ? engagementsOfTies(ctx.stores, ctx.openid, now, ctx.config, 'travel')
    : Promise.resolve([]);

/** Social proof on the page's content cards ("3 位好友赞过"): counts only, only from 3 ties up. */
function withProof(cards: FeedCard[], ties: readonly TieEngagement[]): FeedCard[] {
  if (!ties.length) return cards;
  const proof = proofOf(
    ties,
    cards.flatMap((c) => (c.kind === 'content' ? [c.item.id] : [])),
  );
  return cards.map((c) => {
    const n = c.kind === 'content' ? proof.get(c.item.id) : undefined;
    return n !== undefined ? { ...c, socialProof: n } : c;
  });
}

/** A content card; `pctr`, the click model's tap probability, rides along for the client's prefetch (issue 18). */
function contentCard(
  it: ContentItem,
  position: number,
  from: GeoPoint | null | undefined,
  pctr: number | null,
): ContentCard {
  return {
    kind: 'content',
    position,
    item: {
      id: it.id,
      title: it.title,
      summary: it.summary,
      category: it.category,
      tags: it.tags,
      cover: it.cover,
      publishedAt: it.publishedAt,
      ...(it.place
        ? {
            place: {
              city: it.place.city,
              // Whole km, or one decimal under 10 km: what a card shows, no more precise than that.
              ...(from ? { distanceKm: roundKm(distanceKm(from, it.place)) } : {}),
            },
          }
        : {}),
    },
    ...(pctr !== null && Number.isFinite(pctr) ? { pctr: Math.round(pctr * 1e4) / 1e4 } : {}),
  };
}

const roundKm = (km: number): number => (km < 10 ? Math.round(km * 10) / 10 : Math.round(km));

/**
 * A page answered from its logged slate: the same cards at the same positions (an item
 * unpublished or a campaign stopped since is left out, its position stays taken), nothing ranked,
 * auctioned or logged again. Another user's slate under this id is a forged cursor.
 */
async function replayPage(
  ctx: FunctionContext,
  snap: CatalogSnapshot,
  req: PageRequest,
  slate: ServedSlate,
  profile: UserProfile | null,
  ties: readonly TieEngagement[],
): Promise<FeedPage> {
  if (slate.openid !== ctx.openid) throw badCursor();
  const logged = [...slate.cards].sort((a, b) => a.position - b.position);
  const content = logged.flatMap((c) => {
    const it = c.itemId !== undefined ? snap.items.get(c.itemId) : undefined;
    // Suitability holds on a replay too (an assessment withdrawn since the page was logged).
    return it && suitable(it.riskLevel, req.riskTolerance)
      ? [contentCard(it, c.position, req.location, c.score)]
      : [];
  });
  const ads = await loggedAdCards(
    ctx,
    {
      personalised: req.personalised,
      scene: req.scene,
      profile,
      shared: req.shared,
      riskTolerance: req.riskTolerance,
      adScene: req.adScene ?? null,
      categoryOf: (id) => snap.items.get(id)?.category,
      content,
      now: ctx.now(),
      creatives: (req.experiments ?? []).filter((a) => a.campaignId !== undefined),
    },
    logged.filter((c) => c.adId !== undefined),
  );
  return {
    slateId: slate.slateId,
    cards: withProof(
      [...content, ...ads.cards].sort((a, b) => a.position - b.position),
      ties,
    ),
    exhausted: logged.filter((c) => c.itemId !== undefined).length < req.limit,
    modelVersion: slate.modelVersion,
    before: { items: [], ads: [] },
    span: logged.length,
  };
}

/**
 * Each content card with the click model's tap probability where it was served: the ranking
 * scored candidates at the page's first position (all it knew then), and the model's position
 * feature matters to whoever acts on a card's own chance of a tap (the client's prefetch, issue 18).
 */
function tapProbabilities(
  cards: FeedCard[],
  scorer: ClickScorer | null,
  openid: string,
  profile: UserProfile | null,
  req: PageRequest,
  now: number,
  snap: CatalogSnapshot,
  graph: GraphFeatures | null,
): FeedCard[] {
  if (!scorer) return cards;
  const user = userFeatures(openid, profile, now, req.personalised, graph);
  return cards.map((c) => {
    const it = c.kind === 'content' ? snap.items.get(c.item.id) : undefined;
    if (c.kind !== 'content' || !it) return c;
    const p = scorer.predict(
      cardInput(
        user,
        { itemId: it.id, meta: it },
        { at: now, position: c.position, scene: req.scene },
      ),
    );
    return Number.isFinite(p) ? { ...c, pctr: Math.round(p * 1e4) / 1e4 } : c;
  });
}

const seedOf = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

export async function servePage(
  ctx: FunctionContext,
  warm: WarmState,
  req: PageRequest,
): Promise<FeedPage> {
  const now = ctx.now();
  const { id: sessionId, page, offset, carried } = req.session;
  const slateId = slateIdOf(sessionId, page);
  // A carried session names its items in a Bloom filter: the catalog's items it holds are excluded.
  // Only a logged session keeps its next pages in the warm instance (continuation.ts).
  const keep = req.store && !carried;
  const cont =
    keep && page > 0
      ? warm.continuations.take(sessionId, ctx.openid, page, req.limit, now)
      : undefined;
  // A session that may no longer be logged (consent withdrawn, erasure) keeps nothing here either.
  if (!keep && page > 0) warm.continuations.drop(sessionId, ctx.openid);
  const [snap, scorer, read, profiles, ties, authors, graphRecord, travelTies] = await Promise.all([
    warm.catalog(ctx.stores, now),
    warm.scorer(ctx.stores, now, ctx.log),
    cont ? Promise.resolve(null) : servedInSession(ctx, req),
    // Read for a user whose data may be kept even when personalisation is off: their "不感兴趣"
    // hides are an instruction, not a signal, and hold whatever the setting; nothing else of it is used then.
    req.store ? ctx.stores.profiles.get([ctx.openid]) : Promise.resolve([]),
    tiesOf(ctx, req, now),
    // Followed authors, for a user who may be stored and is personalised (read with the rest, in parallel).
    req.store && req.personalised ? followedAuthors(ctx.stores, ctx.openid) : Promise.resolve([]),
    // The user's graph features (SOCIAL_GRAPH_FEATURES): the record train's social step wrote, as training reads it.
    req.store && req.personalised && ctx.config.socialGraphFeatures
      ? ctx.stores.social.record(ctx.openid)
      : Promise.resolve(null),
    travelTiesOf(ctx, req, now),
  ]);
  const graph = graphRecord?.features ?? null;
  const stored = profiles[0] ?? null;
  // Suitability acts on the stated tolerance capped by what payments support (never raised), for
  // ranking, ads and replays alike; a user whose data may not be read keeps the stated level.
  req = { ...req, riskTolerance: paymentAdjustedTolerance(req.riskTolerance, stored?.payments) };
  const hidden = stored?.hidden ?? [];
  const profile = req.personalised
    ? seededProfile(stored, ctx.openid, req.chosenInterests, now)
    : null;
  // The logged slate is the truth: a page already logged (a retry after its answer was lost) is
  // answered with that slate, not ranked again. A continuation is taken only once, so a page it
  // serves was not logged by this instance; one logged elsewhere meanwhile fails the append below.
  if (read?.logged) return replayPage(ctx, snap, req, read.logged, profile, ties);
  const overrides = overridesOf(req.experiments ?? []);
  // Draws depend on who asks, when and where in the feed (not on the random session id), so a seeded simulation replays exactly.
  const seed = seedOf(`${ctx.openid}|${now}|${offset}|${req.category ?? ''}`);
  const key = [
    snap.serial,
    scorer?.version ?? '',
    stored?.updatedAt ?? '',
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
  let ranked: RankedCard[];
  let rest: RankedCard[] = [];
  let modelVersion: string | null;
  let before: FeedPage['before'];
  if (cont && cont.key === key) {
    ranked = cont.cards.slice(0, req.limit);
    rest = cont.cards.slice(req.limit);
    modelVersion = cont.modelVersion;
    before = { items: cont.served, ads: cont.ads };
  } else {
    const fresh = read ?? (await servedInSession(ctx, req));
    if (fresh.logged) return replayPage(ctx, snap, req, fresh.logged, profile, ties);
    before = { items: fresh.items, ads: fresh.ads };
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
    const state = {
      index: snap.index,
      popularity: snap.popularity,
      popularOrder: snap.popularOrder,
      neighbours,
      scorer,
    };
    const user: FeedUser = {
      openid: ctx.openid,
      personalised: req.personalised,
      profile,
      history,
      exclude: {
        served,
        hidden,
        seen: (profile?.seen ?? []).filter((s) => now - s.at < SEEN_WINDOW_MS).map((s) => s.itemId),
        engaged: history.map((h) => h.itemId),
        riskTolerance: req.riskTolerance ?? null,
      },
      social: socialCandidates(ties, new Set(), SOCIAL_CANDIDATES),
      travelFriends: socialCandidates(travelTies, new Set(), SOCIAL_CANDIDATES),
      authors,
      graph,
    };
    const params = feedParams(overrides, ctx.config);
    const pages = keep ? PAGES_RANKED : 1;
    const destination = req.destination ? cityAnchor(snap.index, req.destination) : null;
    const anchors = [req.location, destination].filter((a): a is GeoPoint => !!a);
    const rank = (u: FeedUser): FeedResult =>
      rankFeed(
        state,
        u,
        {
          now,
          scene: req.scene,
          category: req.category,
          categories: req.categories ?? null,
          count: req.limit,
          pages,
          offset,
          rand: mulberry32(seed),
          ...(anchors.length ? { anchors } : {}),
        },
        params,
      );
    let result = rank(user);
    if (result.cards.length < req.limit)
      // Relaxes what was seen and engaged with, never the hard rules (hides, suitability).
      result = rank({
        ...user,
        exclude: { served, hidden: user.exclude.hidden, riskTolerance: user.exclude.riskTolerance },
      });
    ranked = result.cards.slice(0, req.limit);
    rest = result.cards.slice(req.limit);
    modelVersion = result.modelVersion;
  }

  const content: ContentCard[] = ranked.map((c, k) =>
    contentCard(snap.items.get(c.itemId)!, offset + k, req.location, null),
  );
  // Ads go into their fixed slots at the end of the content pipeline; content positions shift around them.
  const withAds = await serveAds(ctx, {
    openid: ctx.openid,
    personalised: req.personalised,
    scene: req.scene,
    profile,
    graph,
    shared: req.shared,
    riskTolerance: req.riskTolerance,
    adScene: req.adScene ?? null,
    categoryOf: (id) => snap.items.get(id)?.category,
    content,
    offset,
    now,
    scorer,
    random: mulberry32(seed ^ 0x5bd1e995),
    slots: overrides.adSlots,
    sessionAds: carried ? carried.ads : before.ads,
    perUserCounters: req.store,
    creatives: (req.experiments ?? []).filter((a) => a.campaignId !== undefined),
  });
  const cards = tapProbabilities(withAds.cards, scorer, ctx.openid, profile, req, now, snap, graph);
  const byItem = new Map(ranked.map((c) => [c.itemId, c]));
  const contentLog: SlateCard[] = withAds.cards.flatMap((c) => {
    if (c.kind !== 'content') return [];
    const r = byItem.get(c.item.id)!;
    return [
      {
        position: c.position,
        itemId: c.item.id,
        score: r.modelScore,
        propensity: r.propensity,
        ...(r.source === 'explore' ? { explored: true } : {}),
      },
    ];
  });
  // Every served slate of a user who may be stored is logged: train's label join turns its impressions
  // and clicks into examples, and `track` charges ad clicks against it. Nobody else's is (PIPL).
  const slate: ServedSlate = {
    slateId,
    openid: ctx.openid,
    servedAt: now,
    modelVersion,
    // Feed-wide assignments always; a creative experiment's only when its campaign is on this slate.
    variant: slateVariant([
      ...(req.experiments ?? []).filter((a) => a.campaignId === undefined),
      ...withAds.exposures,
    ]),
    personalised: req.personalised,
    scene: req.scene,
    cards: [...contentLog, ...withAds.slateCards].sort((a, b) => a.position - b.position),
  };
  // A carried session's id comes from the client: a page whose id is taken is logged under a fresh one.
  // A logged session's page whose id is taken was logged by a twin request first: answer that slate.
  if (req.store && !(await ctx.stores.slates.append(slate))) {
    if (!carried) {
      const [first] = await ctx.stores.slates.get([slateId]);
      if (first) return replayPage(ctx, snap, req, first, profile, ties);
    }
    slate.slateId = slateIdOf(randomUUID(), page);
    await ctx.stores.slates.append(slate);
  }
  if (keep) {
    warm.continuations.put(
      sessionId,
      {
        openid: ctx.openid,
        key,
        next: page + 1,
        limit: req.limit,
        cards: rest,
        modelVersion,
        served: [...before.items, ...ranked.map((c) => c.itemId)],
        ads: [
          ...before.ads,
          ...withAds.slateCards.flatMap((c) =>
            c.adId !== undefined ? [{ adId: c.adId, at: now }] : [],
          ),
        ],
      },
      now,
    );
  }
  return {
    slateId: slate.slateId,
    cards: withProof(cards, ties),
    exhausted: ranked.length < req.limit,
    modelVersion,
    before,
  };
}
