/**
 * servePage's read stage: everything a page's ranking and ads read, in one parallel step — the
 * warm catalog and model, the session's logged slates, the user's profile, ties, followed authors
 * and graph features — and the request as it is served (the risk tolerance capped by payments).
 */
import type { ClickScorer } from '../../engine/ranking/pipeline';
import type { GraphFeatures } from '../../engine/features/transformer';
import type { UserProfile } from '../../engine/profiles/profile';
import { seededProfile } from '../../engine/profiles/seed';
import type { TieEngagement } from '../../engine/social/proof';
import type { ServedSlate } from '../../ports';
import { paymentAdjustedTolerance } from '../../privacy/demographics';
import type { FunctionContext } from '../../runtime/function';
import { followedAuthors } from '../../social/authors';
import { engagementsOfTies } from '../../social/proof';
import { badCursor, slateIdOf } from '../session';
import type { CatalogSnapshot, WarmState } from '../warm-state';
import type { PageRequest, SessionServed } from './request';

/** The session's earlier pages from its logged slates, and this page's own slate if it was logged already. */
export interface SessionRead extends SessionServed {
  logged?: ServedSlate;
}

/** The read stage's output. */
export interface PageState {
  /** The request as served: its risk tolerance capped by what the user's payments support. */
  req: PageRequest;
  snap: CatalogSnapshot;
  scorer: ClickScorer | null;
  /** The session's logged slates; null when a kept continuation made reading them unnecessary. */
  read: SessionRead | null;
  /** The stored profile (hides, payments, revision), for a user who may be stored; else null. */
  stored: UserProfile | null;
  /** The profile ranking and ads use: the stored one seeded with chosen interests; null unless personalised. */
  profile: UserProfile | null;
  ties: TieEngagement[];
  travelTies: TieEngagement[];
  authors: string[];
  graph: GraphFeatures | null;
}

/**
 * Item ids and ad cards this session already served, from its logged slates, and this page's own
 * slate if it was logged already (read in the same lookup); a cursor naming another user's
 * session, or pages that were never served, is refused. (Its position is not held to the logged
 * cards: a replayed page may miss a card no longer shown.)
 */
export async function servedInSession(
  ctx: Pick<FunctionContext, 'stores' | 'openid'>,
  req: Pick<PageRequest, 'session' | 'store'>,
): Promise<SessionRead> {
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

/** Reads, in parallel, what the page needs; `continued`: a kept continuation serves it, so the session's slates are not read. */
export async function readPageState(
  ctx: FunctionContext,
  warm: WarmState,
  req: PageRequest,
  now: number,
  continued: boolean,
): Promise<PageState> {
  const [snap, scorer, read, profiles, ties, authors, graphRecord, travelTies] = await Promise.all([
    warm.catalog(ctx.stores, now),
    warm.scorer(ctx.stores, now, ctx.log),
    continued ? Promise.resolve(null) : servedInSession(ctx, req),
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
  const stored = profiles[0] ?? null;
  return {
    // Suitability acts on the stated tolerance capped by what payments support (never raised), for
    // ranking, ads and replays alike; a user whose data may not be read keeps the stated level.
    req: { ...req, riskTolerance: paymentAdjustedTolerance(req.riskTolerance, stored?.payments) },
    snap,
    scorer,
    read,
    stored,
    profile: req.personalised ? seededProfile(stored, ctx.openid, req.chosenInterests, now) : null,
    ties,
    travelTies,
    authors,
    graph: graphRecord?.features ?? null,
  };
}
