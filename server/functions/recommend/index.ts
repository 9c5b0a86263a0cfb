/**
 * `recommend`: one page of the feed. This first version serves the published catalog newest
 * first (per channel), with a keyset cursor so paging never repeats an item; ranking,
 * personalisation and ads come with the serving issue.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FeedCard, RecommendResponse } from '../../../typings';
import { invalidInput } from '../../errors';
import { defineFunction } from '../../runtime/function';

const FOR_YOU = 'foryou';

const input = z.strictObject({
  channel: z.string().trim().min(1).max(20).optional(),
  cursor: z.string().min(1).max(300).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  scene: z.number().int().min(0).max(100_000).optional(),
});

/** Where the previous page stopped: last item's (publishedAt, id), cards served so far, channel. */
const cursorShape = z.strictObject({
  p: z.number().int(),
  i: z.string().min(1).max(64),
  n: z.number().int().min(0),
  c: z.string(),
});
type Cursor = z.infer<typeof cursorShape>;

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(raw: string, channel: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const c = cursorShape.safeParse(parsed);
  if (!c.success || c.data.c !== channel) {
    throw invalidInput([{ path: 'cursor', message: '翻页位置无效，请下拉刷新后重试' }]);
  }
  return c.data;
}

export default defineFunction({
  name: 'recommend',
  input,
  async handle(req, ctx): Promise<RecommendResponse> {
    const channel = req.channel ?? FOR_YOU;
    const limit = req.limit ?? 10;
    const after = req.cursor === undefined ? undefined : decodeCursor(req.cursor, channel);
    // One extra row tells whether another page exists.
    const items = await ctx.stores.catalog.list({
      status: 'published',
      category: channel === FOR_YOU ? undefined : channel,
      after: after && { publishedAt: after.p, id: after.i },
      limit: limit + 1,
    });
    const page = items.slice(0, limit);
    const offset = after?.n ?? 0;
    const cards: FeedCard[] = page.map((it, k) => ({
      kind: 'content',
      position: offset + k,
      item: {
        id: it.id,
        title: it.title,
        summary: it.summary,
        category: it.category,
        tags: it.tags,
        cover: it.cover,
        publishedAt: it.publishedAt,
      },
    }));
    const last = page[page.length - 1];
    const slateId = randomUUID();
    // Every served slate is logged: train's label join turns its impressions and clicks into examples.
    // This order is newest-first: no model, deterministic (propensity 1). There is no opt-out yet
    // (the account function adds it), so the user's data may train personal features.
    await ctx.stores.slates.append({
      slateId,
      openid: ctx.openid,
      servedAt: ctx.now(),
      modelVersion: null,
      variant: null,
      personalised: true,
      scene: req.scene ?? null,
      cards: cards.map((c) => ({ position: c.position, itemId: c.item.id, score: null, propensity: 1 })),
    });
    return {
      slateId,
      cards,
      cursor: items.length > limit && last ? encodeCursor({ p: last.publishedAt, i: last.id, n: offset + page.length, c: channel }) : null,
    };
  },
});
