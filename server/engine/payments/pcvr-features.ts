/**
 * The pCVR model's dense features of one ad click, the same at training (train's oCPC step, from
 * the stored click) and at serving (the auction's bid): the campaign (hashed into a one-hot of
 * CAMPAIGN_BUCKETS; a collision only shares a weight), the user's paid orders before the click
 * (log-scaled, and whether any: buyers buy again), and the ad slot's place in the feed.
 */
import { bucketOf } from '../features/hash';

/** 2^6 buckets: campaigns that share one share its weight (a few, with a few hundred campaigns). */
export const CAMPAIGN_BITS = 6;
export const CAMPAIGN_BUCKETS = 1 << CAMPAIGN_BITS;
/** Dense features per click: the campaign one-hot, then three numeric ones. */
export const PCVR_DIM = CAMPAIGN_BUCKETS + 3;

export interface PcvrClick {
  campaignId: string;
  /** The user's pay-verified orders known when the click happened (0: none, or not personalised). */
  userOrders: number;
  /** Feed position of the ad card (0-based across pages). */
  position: number;
}

export function pcvrFeatures(c: PcvrClick): number[] {
  const x = new Array<number>(PCVR_DIM).fill(0);
  x[bucketOf(`ocpc:${c.campaignId}`, CAMPAIGN_BITS)] = 1;
  const orders = Number.isFinite(c.userOrders) && c.userOrders > 0 ? c.userOrders : 0;
  x[CAMPAIGN_BUCKETS] = Math.log1p(Math.min(orders, 1000));
  x[CAMPAIGN_BUCKETS + 1] = orders > 0 ? 1 : 0;
  // Deeper slots are reached by people who scroll more; 0 at the first slot, about 1 by 30.
  const pos = Number.isFinite(c.position) && c.position > 0 ? c.position : 0;
  x[CAMPAIGN_BUCKETS + 2] = Math.log1p(Math.min(pos, 1000)) / Math.log1p(30);
  return x;
}
