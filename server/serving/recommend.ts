/**
 * The `recommend` use case: one page of the feed, ranked by the engine's content pipeline
 * (candidate sources, click model, diversity) over a catalog cached per warm instance, paged by a
 * session cursor that never repeats an item (session.ts), every slate logged — for users `track`
 * may store data of (server/privacy/gate.ts). Anyone else (no recorded consent, or being erased)
 * gets the non-personalised feed, nothing tied to their openid is read for it or kept, and their
 * session's state rides in the cursor.
 */
import type { EmptySlateReason, RecommendRequest, RecommendResponse } from '../../typings';
import type { Stores } from '../ports';
import { servingOf } from '../privacy/demographics';
import { servingGate } from '../privacy/gate';
import type { FunctionContext } from '../runtime/function';
import { perStores } from '../runtime/per-stores';
import { experimentsFor } from './experiments';
import { overridesOf } from '../engine/experiments/assign';
import { servePage } from './feed';
import { pDetailFromFeed, prefetchPlanOf } from './prefetch';
import { locatedFor, nextCursor, openSession } from './session';
import { WarmState } from './warm-state';
import { sceneOf } from '../scenes';

/** The personal feed's channel name; any other channel is a content category. */
export const FOR_YOU = 'foryou';
export const DEFAULT_LIMIT = 10;

/** One per warm instance and store bundle (exported for tests). */
export const warmFor = perStores(() => new WarmState());

export async function recommend(
  req: RecommendRequest,
  ctx: FunctionContext,
): Promise<RecommendResponse> {
  const channel = req.channel ?? FOR_YOU;
  const category = channel === FOR_YOU ? null : channel;
  const limit = req.limit ?? DEFAULT_LIMIT;
  const session = openSession(req.cursor, channel);
  // The deployment's scene (SCENE): the content it serves and whether places are a source.
  const scene = sceneOf(ctx.config.scene);
  // PIPL: without a recorded consent (or while being erased) nothing personal is used or kept: the
  // non-personalised feed, no slate logged. Otherwise the personalisation switch (art. 24, the
  // user's opt-out via `account`) and what the user shared for ad targeting (gender / age band / city).
  const { settings, verdict } = await servingGate(ctx.stores, ctx.openid, ctx.now(), ctx.config);
  const { personalised, shared, riskTolerance, chosenInterests } = verdict.store
    ? servingOf(settings, ctx.now())
    : { personalised: false, shared: {}, riskTolerance: null, chosenInterests: [] };
  // A location is used only for a personalised feed (it is a personal characteristic: PIPL
  // art. 24), only for this request, and not if it jumped implausibly since the session's last page.
  const { located, jumped } = locatedFor(
    session,
    personalised && scene.nearby ? req.location : undefined,
    ctx.now(),
  );
  if (jumped) ctx.log.info('recommend: location jumped implausibly; the previous one stands');
  // The user's experiment variants, once per request: they set ranking and ads parameters and are logged on the slate.
  const experiments = await experimentsFor(ctx.stores).assignments(
    ctx.stores,
    ctx.openid,
    ctx.now(),
    ctx.log,
  );
  // Ads are woven into their slots inside servePage (ads.ts); the next page starts after every
  // card served, ads included, so slots stay put across pages.
  const served = await servePage(ctx, warmFor(ctx.stores), {
    session,
    category,
    categories: scene.categories,
    // The scene restricts the ads as it does the content.
    adScene: { categories: scene.categories, ratedProducts: scene.ratedProducts },
    travelTies: scene.travelTies,
    limit,
    scene: req.scene ?? null,
    personalised,
    shared,
    riskTolerance,
    chosenInterests,
    location: located && { lat: located.lat, lng: located.lng },
    ...(req.destination && scene.nearby ? { destination: req.destination } : {}),
    experiments,
    store: verdict.store,
  });
  // What the client may fetch ahead of a tap: the user's feed.prefetch variant, else the configured policy.
  const policy = overridesOf(experiments).prefetchPolicy ?? ctx.config.prefetchPolicy;
  const prefetch = prefetchPlanOf(
    served.cards,
    policy,
    policy === 'learned' ? await pDetailFromFeed(ctx.stores, ctx.now()) : null,
  );
  const reason = served.cards.some((c) => c.kind === 'content')
    ? undefined
    : await emptyReason(ctx.stores, ctx.now(), category, scene.categories);
  return {
    slateId: served.slateId,
    cards: served.cards,
    cursor: nextCursor(session, served, verdict.store, ctx.now(), located),
    ...(prefetch ? { prefetch } : {}),
    ...(reason ? { reason } : {}),
    // A session's first page tells the client the scene's channels and entry points.
    ...(req.cursor === undefined ? { appScene: scene.view } : {}),
  };
}

/** Why a slate has no content, from the warm catalog snapshot (no extra read). */
async function emptyReason(
  stores: Stores,
  now: number,
  category: string | null,
  categories: readonly string[] | null,
): Promise<EmptySlateReason> {
  const { index } = await warmFor(stores).catalog(stores, now);
  if (index.size === 0) return 'empty_catalog';
  const inScene = (c: string) => categories === null || categories.includes(c);
  if (
    !index.items.some(
      (it) => (category === null || it.category === category) && inScene(it.category),
    )
  )
    return category === null ? 'empty_catalog' : 'empty_channel';
  return 'exhausted';
}
