/**
 * servePage's logging stage: the served slate as train's label join and `track`'s ad charges read
 * it (positions, model scores, propensities, prices, the experiment variant), and its append —
 * for a user who may be stored only (PIPL); nobody else's is logged.
 */
import { randomUUID } from 'node:crypto';
import type { FeedCard } from '../../../typings';
import { slateVariant } from '../../engine/experiments/assign';
import type { RankedCard } from '../../engine/ranking/pipeline';
import type { ServedSlate, SlateCard } from '../../ports';
import type { FunctionContext } from '../../runtime/function';
import type { ServedAds } from '../ads';
import { slateIdOf } from '../session';
import type { PageRequest } from './request';

/** The slate to log (pure): the served content cards with their ranking's scores and propensities, and the ads' entries. */
export function slateOf(
  slate: { slateId: string; openid: string; now: number; modelVersion: string | null },
  req: Pick<PageRequest, 'experiments' | 'personalised' | 'scene'>,
  ranked: readonly RankedCard[],
  ads: Pick<ServedAds, 'cards' | 'slateCards' | 'exposures'>,
): ServedSlate {
  const byItem = new Map(ranked.map((c) => [c.itemId, c]));
  const content: SlateCard[] = ads.cards.flatMap((c: FeedCard) => {
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
  return {
    slateId: slate.slateId,
    openid: slate.openid,
    servedAt: slate.now,
    modelVersion: slate.modelVersion,
    // Feed-wide assignments always; a creative experiment's only when its campaign is on this slate.
    variant: slateVariant([
      ...(req.experiments ?? []).filter((a) => a.campaignId === undefined),
      ...ads.exposures,
    ]),
    personalised: req.personalised,
    scene: req.scene,
    cards: [...content, ...ads.slateCards].sort((a, b) => a.position - b.position),
  };
}

/**
 * Logs the slate of a user who may be stored: train's label join turns its impressions and clicks
 * into examples, and `track` charges ad clicks against it. A carried session's id comes from the
 * client: a page whose id is taken is logged under a fresh one. A logged session's page whose id
 * is taken was logged by a twin request first: that slate is the answer (`twin`).
 */
export async function logSlate(
  ctx: Pick<FunctionContext, 'stores'>,
  slate: ServedSlate,
  req: Pick<PageRequest, 'store' | 'session'>,
): Promise<{ slateId: string } | { twin: ServedSlate }> {
  if (!req.store || (await ctx.stores.slates.append(slate))) return { slateId: slate.slateId };
  if (!req.session.carried) {
    const [first] = await ctx.stores.slates.get([slate.slateId]);
    if (first) return { twin: first };
  }
  const again = { ...slate, slateId: slateIdOf(randomUUID(), req.session.page) };
  await ctx.stores.slates.append(again);
  return { slateId: again.slateId };
}
