/**
 * `recommend`: one page of the feed, ranked by the engine's content pipeline (candidate
 * sources, click model, diversity) over a catalog cached per warm instance, paged by a session
 * cursor that never repeats an item, every slate logged.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RecommendResponse } from '../../../typings';
import type { Stores } from '../../ports';
import { isPersonalised } from '../../privacy/consent';
import { defineFunction } from '../../runtime/function';
import { decodeCursor, encodeCursor, MAX_PAGES } from './cursor';
import { servePage } from './feed';
import { WarmState } from './warm-state';

const FOR_YOU = 'foryou';

const input = z.strictObject({
  channel: z.string().trim().min(1).max(20).optional(),
  cursor: z.string().min(1).max(300).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  scene: z.number().int().min(1000).max(9999).optional(),
});

/** One per warm instance and store bundle (module scope survives between invocations). */
const warmStates = new WeakMap<Stores, WarmState>();
function warmFor(stores: Stores): WarmState {
  let w = warmStates.get(stores);
  if (!w) warmStates.set(stores, (w = new WarmState()));
  return w;
}

export default defineFunction({
  name: 'recommend',
  input,
  async handle(req, ctx): Promise<RecommendResponse> {
    const channel = req.channel ?? FOR_YOU;
    const limit = req.limit ?? 10;
    const after = req.cursor === undefined ? undefined : decodeCursor(req.cursor, channel);
    // Personalisation switch (PIPL art. 24, the user's opt-out via `account`): false ranks with nothing personal.
    const personalised = await isPersonalised(ctx.stores, ctx.openid);
    const session = after?.s ?? randomUUID();
    const page = after?.p ?? 0;
    const offset = after?.n ?? 0;
    const served = await servePage(ctx, warmFor(ctx.stores), {
      session, page, offset, after, channel: channel === FOR_YOU ? null : channel, limit, scene: req.scene ?? null, personalised,
    });
    // Ads are woven into their slots inside servePage (server/functions/recommend/ads.ts); the
    // next page starts after every card served, ads included, so slots stay put across pages.
    const next = page + 1;
    const more = !served.exhausted && next < MAX_PAGES;
    return {
      slateId: served.slateId,
      cards: served.cards,
      cursor: more ? encodeCursor({ s: session, p: next, n: offset + served.cards.length, c: channel }) : null,
    };
  },
});
