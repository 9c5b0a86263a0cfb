/**
 * The simulator's paying users and oCPC merchants (issue 17). Some demo campaigns switch to oCPC
 * with a target cost per order; every simulated user has a hidden buying propensity and every
 * campaign a hidden conversion rate, so a click pays with probability base(campaign) ×
 * factor(user), after a delay (most within minutes, some hours later: the delayed feedback the
 * pCVR model must handle). Pays are written as pay-verified orders through the orders port,
 * attributed to the clicked slate card as WeChat Pay's attach would carry it: this stands in for
 * the buyer's trip through `pay` and WeChat Pay's notify (those are tested on their own,
 * test/server/functions/pay*.test.ts). Its own random stream, so the browsing draws of the
 * population are the same with or without it.
 */
import type { Campaign } from '../../typings';
import { ALL, SPEND } from '../engine/ads/counter-keys';
import { mulberry32 } from '../engine/models/rng';
import { DAY_MS } from '../engine/payments/records';
import { readServing } from '../learning/ocpc-state';
import type { Order, Stores } from '../ports';

/** Every OCPC_EVERY-th active demo campaign bids oCPC. */
export const OCPC_EVERY = 3;
/** The CVR a merchant assumes when it turns its bid into a target (target = bid ÷ this). */
export const ASSUMED_CVR = 0.1;
/** Under oCPC the merchant's bid becomes a cap per click this many times the old bid. */
export const CAP_FACTOR = 3;
/** Share of users who buy readily (×BUYER_FACTOR); the others buy at ×OTHER_FACTOR (mean 1). */
const BUYER_SHARE = 0.25;
const BUYER_FACTOR = 2.5;
const OTHER_FACTOR = 0.5;
/** Campaigns' base conversion rates given a click, uniform in this range. */
const BASE_CVR: [number, number] = [0.04, 0.2];
/** Pays: QUICK_SHARE within minutes (mean QUICK_MS), the rest hours later (mean SLOW_MS). */
const QUICK_SHARE = 0.7;
const QUICK_MS = 10 * 60_000;
const SLOW_MS = 6 * 3_600_000;
/** The price of a simulated order (fen). */
const PRICE_FEN = 8_800;

/** The world's campaigns with every OCPC_EVERY-th active one switched to oCPC (a copy). */
export function withOcpcCampaigns(campaigns: readonly Campaign[]): Campaign[] {
  let k = 0;
  return campaigns.map((c) => {
    if (c.status !== 'active' || k++ % OCPC_EVERY !== 0) return c;
    return {
      ...c,
      bidFen: c.bidFen * CAP_FACTOR,
      bidding: { mode: 'ocpc', targetCpaFen: Math.round(c.bidFen / ASSUMED_CVR) },
    };
  });
}

interface PendingPay {
  openid: string;
  campaign: Campaign;
  slateId: string;
  position: number;
  clickedAt: number;
  payAt: number;
}

/** Each oCPC campaign's figures at the end of a run. */
export interface OcpcFigure {
  campaign: string;
  targetCpa: number;
  /** Spend ÷ orders once every pay of the run's clicks has arrived (24 h window): what the controller aims at. */
  realisedCpa: number | null;
  /** realisedCpa ÷ targetCpa. */
  ratio: number | null;
  orders: number;
  /** Pays that had arrived when the run stopped, and spend ÷ those. */
  ordersAtEnd: number;
  observedCpa: number | null;
  billedClicks: number;
  spentFen: number;
  /** The campaign's controller factor at the end (1: never moved, or no train). */
  multiplier: number;
}

export class SimBuyers {
  private readonly rng: () => number;
  private readonly userFactor = new Map<string, number>();
  private readonly baseCvr = new Map<string, number>();
  private readonly byId: Map<string, Campaign>;
  private readonly pending: PendingPay[] = [];
  private seq = 0;

  constructor(
    seed: number,
    readonly campaigns: readonly Campaign[],
  ) {
    this.rng = mulberry32(seed ^ 0x0c9c);
    this.byId = new Map(campaigns.map((c) => [c.id, c]));
    for (const c of [...campaigns].sort((a, b) => (a.id < b.id ? -1 : 1)))
      this.baseCvr.set(c.id, BASE_CVR[0] + (BASE_CVR[1] - BASE_CVR[0]) * this.rng());
  }

  /** The true P(pay within 24 h | click) of a user on a campaign (for tests and the report). */
  trueCvr(openid: string, campaignId: string): number {
    let f = this.userFactor.get(openid);
    if (f === undefined) {
      f = this.rng() < BUYER_SHARE ? BUYER_FACTOR : OTHER_FACTOR;
      this.userFactor.set(openid, f);
    }
    return Math.min(0.9, (this.baseCvr.get(campaignId) ?? 0) * f);
  }

  /** A click (SimulationOptions.onAdClick): maybe a pay, later. */
  onAdClick(openid: string, adId: string, slateId: string, position: number, at: number): void {
    const campaign = this.byId.get(adId);
    if (!campaign) return;
    if (this.rng() >= this.trueCvr(openid, adId)) return;
    const mean = this.rng() < QUICK_SHARE ? QUICK_MS : SLOW_MS;
    const delay = -Math.log(1 - this.rng()) * mean;
    // Past the attribution window a pay would not count as the ad's conversion: the buyer came back on their own.
    if (delay > DAY_MS) return;
    this.pending.push({ openid, campaign, slateId, position, clickedAt: at, payAt: at + delay });
  }

  /** Writes the pays due by `now` as paid orders attributed to their click; answers how many. */
  async settle(stores: Pick<Stores, 'orders'>, now: number): Promise<number> {
    const due = this.pending.filter((p) => p.payAt <= now);
    if (!due.length) return 0;
    this.pending.splice(0, this.pending.length, ...this.pending.filter((p) => p.payAt > now));
    for (const p of due.sort((a, b) => a.payAt - b.payAt)) {
      const no = `sim${String(++this.seq).padStart(12, '0')}`;
      const createdAt = Math.max(p.clickedAt, Math.floor(p.payAt) - 60_000);
      const order: Order = {
        outTradeNo: no,
        openid: p.openid,
        merchantId: p.campaign.merchantId,
        campaignId: p.campaign.id,
        cartKey: `sim-${no}`,
        title: '模拟订单',
        quantity: 1,
        unitFen: PRICE_FEN,
        totalFen: PRICE_FEN,
        state: 'created',
        attribution: { campaignId: p.campaign.id, slateId: p.slateId, position: p.position },
        createdAt,
        expiresAt: createdAt + 15 * 60_000,
        updatedAt: createdAt,
      };
      await stores.orders.create(order, { stock: 1e9, perUserLimit: 1e9 });
      const payAt = Math.floor(p.payAt);
      await stores.orders.transition(no, ['created'], 'paid', { paidAt: payAt }, payAt);
    }
    return due.length;
  }

  /**
   * Each oCPC campaign's realised CPA against its target: spend from the charge counters, orders
   * attributed to its clicks, at the end and once the run's remaining pays (all within 24 h) arrive.
   */
  async report(stores: Stores, now: number): Promise<OcpcFigure[]> {
    const ocpc = this.campaigns.filter((c) => c.bidding?.mode === 'ocpc');
    const ids = ocpc.map((c) => c.id);
    const spend = await stores.counters.read(SPEND, ids, ALL);
    const ordersOf = async (id: string) =>
      (await stores.orders.paidForCampaign(id, 0, Number.MAX_SAFE_INTEGER, 100_000)).length;
    const atEnd = new Map<string, number>();
    for (const id of ids) atEnd.set(id, await ordersOf(id));
    await this.settle(stores, now + DAY_MS + 1);
    const serving = await readServing(stores);
    const out: OcpcFigure[] = [];
    for (const c of ocpc) {
      const target = c.bidding?.mode === 'ocpc' ? c.bidding.targetCpaFen : 0;
      const spent = spend[c.id]?.spentFen ?? 0;
      const orders = await ordersOf(c.id);
      const end = atEnd.get(c.id) ?? 0;
      const realised = orders ? spent / orders : null;
      out.push({
        campaign: c.id,
        targetCpa: target,
        realisedCpa: realised === null ? null : Math.round(realised),
        ratio: realised === null ? null : Math.round((1000 * realised) / target) / 1000,
        orders,
        ordersAtEnd: end,
        observedCpa: end ? Math.round(spent / end) : null,
        billedClicks: spend[c.id]?.clicks ?? 0,
        spentFen: spent,
        multiplier: Math.round(1000 * (serving?.multipliers[c.id] ?? 1)) / 1000,
      });
    }
    return out;
  }
}
