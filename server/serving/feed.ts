/**
 * One feed page for one user, as a pipeline of named stages (each in server/serving/page/):
 * take the session's kept continuation → read the user's state (read.ts) → rank the content, or
 * continue the kept ranking (rank.ts) → content cards (cards.ts) → place the ads (place-ads.ts)
 * → each card's tap probability (cards.ts) → log the slate (slate.ts) → keep the next pages
 * (continuation.ts) → social proof (cards.ts). A page already logged is answered from its slate
 * at any stage that finds it (replay.ts). The prefetch plan is recommend.ts's, over this page.
 */
import { overridesOf } from '../engine/experiments/assign';
import type { ServedSlate } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { continuationAfter, PAGES_RANKED, type Continuation } from './continuation';
import { contentCards, tapProbabilities, withProof } from './page/cards';
import { placeAds } from './page/place-ads';
import { readPageState } from './page/read';
import { continuedPage, pageSeed, rankContent, rankingKey } from './page/rank';
import { replayPage } from './page/replay';
import type { FeedPage, PageRequest } from './page/request';
import { logSlate, slateOf } from './page/slate';
import { slateIdOf } from './session';
import type { WarmState } from './warm-state';

export type { FeedPage, PageRequest } from './page/request';
export { feedParams, SEEN_WINDOW_MS } from './page/rank';

/**
 * Only a logged session keeps its next pages in the warm instance (a carried one names its items
 * in the cursor, continuation.ts).
 */
const keepsPages = (req: PageRequest): boolean => req.store && !req.session.carried;

/**
 * The session's kept continuation for this page, if any. A session that may no longer be logged
 * (consent withdrawn, erasure) keeps nothing here either.
 */
function takeContinuation(
  ctx: FunctionContext,
  warm: WarmState,
  req: PageRequest,
  now: number,
): Continuation | undefined {
  const { id, page } = req.session;
  const keep = keepsPages(req);
  const cont =
    keep && page > 0 ? warm.continuations.take(id, ctx.openid, page, req.limit, now) : undefined;
  if (!keep && page > 0) warm.continuations.drop(id, ctx.openid);
  return cont;
}

export async function servePage(
  ctx: FunctionContext,
  warm: WarmState,
  request: PageRequest,
): Promise<FeedPage> {
  const now = ctx.now();
  const { id: sessionId, page, offset } = request.session;
  const keep = keepsPages(request);
  const cont = takeContinuation(ctx, warm, request, now);
  const state = await readPageState(ctx, warm, request, now, cont !== undefined);
  const { req, snap, profile, ties } = state;
  const replay = (slate: ServedSlate): Promise<FeedPage> =>
    replayPage(ctx, snap, req, slate, profile, ties);
  // The logged slate is the truth: a page already logged (a retry after its answer was lost) is
  // answered with that slate, not ranked again. A continuation is taken only once, so a page it
  // serves was not logged by this instance; one logged elsewhere meanwhile fails the append below.
  if (state.read?.logged) return replay(state.read.logged);
  const overrides = overridesOf(req.experiments ?? []);
  const seed = pageSeed(ctx.openid, now, offset, req.category);
  const key = rankingKey(req, state, overrides);
  const ranked =
    cont && cont.key === key
      ? continuedPage(cont, req.limit)
      : await rankContent(ctx, warm, state, {
          now,
          seed,
          overrides,
          pages: keep ? PAGES_RANKED : 1,
        });
  if ('logged' in ranked) return replay(ranked.logged);

  const content = contentCards(ranked.ranked, snap.items, offset, req.location);
  const withAds = await placeAds(ctx, state, {
    content,
    now,
    seed,
    overrides,
    before: ranked.before,
  });
  const cards = tapProbabilities(withAds.cards, state.scorer, snap.items, {
    openid: ctx.openid,
    profile,
    personalised: req.personalised,
    graph: state.graph,
    scene: req.scene,
    now,
  });
  const slate = slateOf(
    {
      slateId: slateIdOf(sessionId, page),
      openid: ctx.openid,
      now,
      modelVersion: ranked.modelVersion,
    },
    req,
    ranked.ranked,
    withAds,
  );
  const logged = await logSlate(ctx, slate, req);
  if ('twin' in logged) return replay(logged.twin);
  if (keep)
    warm.continuations.put(
      sessionId,
      continuationAfter(
        { openid: ctx.openid, key, page, limit: req.limit, now },
        ranked,
        withAds.slateCards,
      ),
      now,
    );
  return {
    slateId: logged.slateId,
    cards: withProof(cards, ties),
    exhausted: ranked.ranked.length < req.limit,
    modelVersion: ranked.modelVersion,
    before: ranked.before,
  };
}
