/**
 * `recommend`: one page of the feed, ranked by the engine's content pipeline (candidate
 * sources, click model, diversity) over a catalog cached per warm instance, paged by a session
 * cursor that never repeats an item, every slate logged — for users `track` may store data of
 * (server/privacy/gate.ts). Anyone else (no recorded consent, or being erased) gets the
 * non-personalised feed, nothing tied to their openid is read for it or kept, and their
 * session's state rides in the cursor (server/functions/recommend/cursor.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EmptySlateReason, RecommendResponse } from '../../../typings';
import type { Stores } from '../../ports';
import { servingOf } from '../../privacy/demographics';
import { servingGate } from '../../privacy/gate';
import { defineFunction } from '../../runtime/function';
import { perStores } from '../../runtime/per-stores';
import {
  decodeCursor,
  encodeCursor,
  MAX_CURSOR_CHARS,
  MAX_PAGES,
  type CarriedSession,
} from './cursor';
import { experimentsFor } from './experiments';
import { servePage, type FeedPage } from './feed';
import { ServedFilter } from './served-filter';
import { WarmState } from './warm-state';

const FOR_YOU = 'foryou';
const SCENE_ERROR = 'scene 必须是微信场景值（1000–9999 的整数）';

const input = z.strictObject({
  channel: z.string().trim().min(1).max(20).optional(),
  cursor: z.string().min(1).max(MAX_CURSOR_CHARS).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  // WeChat launch scene values are four-digit codes (场景值 1000…); anything else is not a scene.
  scene: z
    .number({ error: SCENE_ERROR })
    .int({ error: SCENE_ERROR })
    .min(1000, { error: SCENE_ERROR })
    .max(9999, { error: SCENE_ERROR })
    .optional(),
});

/** One per warm instance and store bundle (exported for tests). */
export const warmFor = perStores(() => new WarmState());

export default defineFunction({
  name: 'recommend',
  input,
  async handle(req, ctx): Promise<RecommendResponse> {
    const channel = req.channel ?? FOR_YOU;
    const limit = req.limit ?? 10;
    const after = req.cursor === undefined ? undefined : decodeCursor(req.cursor, channel);
    // PIPL: without a recorded consent (or while being erased) nothing personal is used or kept: the
    // non-personalised feed, no slate logged. Otherwise the personalisation switch (art. 24, the
    // user's opt-out via `account`) and what the user shared for ad targeting (gender / age band / city).
    const { settings, verdict } = await servingGate(ctx.stores, ctx.openid, ctx.now());
    const { personalised, shared } = verdict.store
      ? servingOf(settings)
      : { personalised: false, shared: {} };
    const session = after?.s ?? randomUUID();
    const page = after?.p ?? 0;
    const offset = after?.n ?? 0;
    // The user's experiment variants, once per request: they set ranking and ads parameters and are logged on the slate.
    const experiments = await experimentsFor(ctx.stores).assignments(
      ctx.stores,
      ctx.openid,
      ctx.now(),
      ctx.log,
    );
    const served = await servePage(ctx, warmFor(ctx.stores), {
      session,
      page,
      offset,
      after,
      channel: channel === FOR_YOU ? null : channel,
      limit,
      scene: req.scene ?? null,
      personalised,
      shared,
      experiments,
      store: verdict.store,
    });
    // A session whose pages are not all logged carries its state in the cursor from here on.
    const carried =
      !verdict.store || after?.carried
        ? carriedAfter(after?.carried, served, ctx.now())
        : undefined;
    // Ads are woven into their slots inside servePage (server/functions/recommend/ads.ts); the
    // next page starts after every card served, ads included, so slots stay put across pages.
    const next = page + 1;
    const more = !served.exhausted && next < MAX_PAGES;
    const reason = served.cards.some((c) => c.kind === 'content')
      ? undefined
      : await emptyReason(ctx.stores, ctx.now(), channel === FOR_YOU ? null : channel);
    return {
      slateId: served.slateId,
      cards: served.cards,
      cursor: more
        ? encodeCursor({
            s: session,
            p: next,
            n: offset + served.cards.length,
            c: channel,
            ...(carried ? { carried } : {}),
          })
        : null,
      ...(reason ? { reason } : {}),
    };
  },
});

/** The session's state after this page: what it carried (or read from its logged slates) plus this page's cards. */
function carriedAfter(
  before: CarriedSession | undefined,
  served: FeedPage,
  now: number,
): CarriedSession {
  const items = before ? before.items.copy() : ServedFilter.of(served.session.items);
  const ads = [...(before?.ads ?? served.session.ads)];
  for (const card of served.cards) {
    if (card.kind === 'content') items.add(card.item.id);
    else ads.push({ adId: card.adId, at: now });
  }
  return { items, ads };
}

/** Why a slate has no content, from the warm catalog snapshot (no extra read). */
async function emptyReason(
  stores: Stores,
  now: number,
  channel: string | null,
): Promise<EmptySlateReason> {
  const { index } = await warmFor(stores).catalog(stores, now);
  if (index.size === 0) return 'empty_catalog';
  if (channel !== null && !index.items.some((it) => it.category === channel))
    return 'empty_channel';
  return 'exhausted';
}
