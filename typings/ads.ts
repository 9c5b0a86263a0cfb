/** Merchants and their ad campaigns, shared by the functions and the merchant pages. */
import type { Offer } from './pay';

export interface Merchant {
  id: string;
  name: string;
  /** Epoch ms. */
  createdAt: number;
}

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'ended';

export interface CampaignTargeting {
  /** Interest tags or categories the ad fits; empty = everyone. */
  interestTags: string[];
  genders: ('male' | 'female')[];
  /** Age bands such as "18-24"; empty = any. */
  ageBands: string[];
  cities: string[];
  /** WeChat launch scenes; empty = any. */
  scenes: number[];
  /**
   * "Likely buyers": only users among this top share by purchase propensity (0.1 = the top 10 %,
   * from train's propensity model; server/learning/propensity-step.ts), and only while their feed
   * is personalised. Absent: everyone.
   */
  likelyBuyers?: number;
}

export interface Creative {
  title: string;
  description: string;
  /** Cloud file id, https URL, or empty. */
  image: string;
  /** Where a click leads: a Mini Program page path or a content item. */
  landing: { kind: 'page'; path: string } | { kind: 'item'; itemId: string };
}

/**
 * How a campaign bids. `cpc` (the default, also when absent): its bid per click is `bidFen`.
 * `ocpc`: the merchant sets a target cost per pay-verified order; the auction bids
 * target × pCVR × the day's controller factor per click, never more than `bidFen` (the cap), and a
 * click is still charged by second price (server/engine/payments/ocpc.ts).
 */
export type Bidding = { mode: 'cpc' } | { mode: 'ocpc'; targetCpaFen: number };

export interface Campaign {
  id: string;
  merchantId: string;
  name: string;
  status: CampaignStatus;
  creative: Creative;
  targeting: CampaignTargeting;
  /**
   * R1–R5 when the campaign advertises a financial product: it is served only to users whose
   * risk tolerance (C1–C5) is at least this (suitability). Absent for other products.
   */
  riskLevel?: 1 | 2 | 3 | 4 | 5;
  /** Cost-per-click bid in fen (0.01 CNY); under oCPC bidding, the most a click may be bid. */
  bidFen: number;
  /** cpc when absent (campaigns stored before oCPC existed). */
  bidding?: Bidding;
  dailyBudgetFen: number;
  totalBudgetFen: number;
  /** Schedule, epoch ms; hours of day (0–23, CST) when serving, empty = all day. */
  startAt: number;
  endAt: number;
  hours: number[];
  createdAt: number;
  updatedAt: number;
  /**
   * Bumped by every change through the merchant side; edits and status changes are
   * compare-and-set on it, so of two edits from the same read one wins. Absent on campaigns
   * stored before revisions existed (read as 0).
   */
  revision?: number;
  /**
   * What the landing page sells through WeChat Pay (set with the merchant's `offer.set`; null
   * after `offer.clear`, absent when never set). The price of an order comes only from here.
   */
  offer?: Offer | null;
}
