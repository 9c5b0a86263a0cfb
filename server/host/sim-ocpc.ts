/**
 * The simulator's paying users and oCPC merchants (issue 17). Some demo campaigns switch to oCPC
 * with a target cost per order; every simulated user has a hidden buying propensity and every
 * campaign a hidden conversion rate, so a click pays with probability base(campaign) ×
 * factor(user), after a delay (most within minutes, some hours later: the delayed feedback the
 * pCVR model must handle). A buyer pays through the path the local host serves: the `pay`
 * function's order.create (price from the campaign's offer, payment risk scored; a held order is
 * approved by the simulated merchant owner through order.approve, then created again), the local
 * WeChat Pay stand-in's payment sheet (LocalPay.userPays), and its notify delivered to the
 * `payNotify` function twice (WeChat sends duplicates), which checks it against the order, asks
 * the stand-in and settles the order once. A share of paid orders (`refundShare`, 5 % by default)
 * is refunded in full later by the merchant owner through `pay` order.refund, its refund notify
 * delivered to `payNotify` the same way, so refunds reach train's figures. Every call runs at the
 * simulated moment it happens (the function's clock), and this class plays WeChat's deliveries
 * itself rather than on timers, so a seeded run stays deterministic. Its own random streams, so
 * the browsing draws of the population are the same with or without it, and the pays the same
 * whatever the refund share.
 */
import { createHash } from 'node:crypto';
import type { Campaign, Offer, PayRequest } from '../../typings';
import { ALL, SPEND } from '../engine/ads/counter-keys';
import { mulberry32 } from '../engine/models/rng';
import { DAY_MS } from '../engine/payments/records';
import { functions } from '../functions';
import { readServing } from '../learning/ocpc-state';
import { LocalPay } from '../adapters/sqlite/local-pay';
import type { Stores } from '../ports';
import { toHandler, type Deps } from '../runtime/function';

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
/**
 * Share of paid orders refunded in full, by default: small, as in e-commerce outside fashion
 * (an assumption, not a measured rate; `simulate --refund-share S` sets it).
 */
export const DEFAULT_REFUND_SHARE = 0.05;
/** A refund comes this long after the pay on average (exponential). */
const REFUND_MEAN_MS = 6 * 3_600_000;

/** The offer every simulated campaign sells (the `pay` function prices orders from it). */
export const SIM_OFFER: Offer = {
  title: '模拟商品',
  priceFen: PRICE_FEN,
  stock: 1_000_000,
  perUserLimit: 99,
};

/** The simulated owner of a merchant (who approves held orders and refunds). */
export const simOwnerOf = (merchantId: string): string => `sim-owner-${merchantId}`;

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

/** The campaigns with the simulator's offer on each (a copy): buyers order it through `pay`. */
export function withSimOffers(campaigns: readonly Campaign[]): Campaign[] {
  return campaigns.map((c) => ({ ...c, offer: c.offer ?? SIM_OFFER }));
}

interface PendingPay {
  openid: string;
  campaign: Campaign;
  slateId: string;
  position: number;
  clickedAt: number;
  payAt: number;
}

interface PendingRefund {
  outTradeNo: string;
  merchantId: string;
  totalFen: number;
  at: number;
}

/** What the buyers' trips through `pay` and the notifies came to (docs/simulation.md). */
export interface SimPayCounts {
  /** Orders created through `pay` order.create. */
  created: number;
  /** Of those, held by the payment risk score and approved by the simulated owner. */
  held: number;
  /** Settled paid by payNotify (after the stand-in's query confirmed it). */
  paid: number;
  /** Refused by `pay` (e.g. the campaign ended or sold out), or paid but never settled. */
  refused: number;
  unsettled: number;
  /** Refunds asked through order.refund and confirmed by their refund notify. */
  refunded: number;
}

/** Each oCPC campaign's figures at the end of a run. */
export interface OcpcFigure {
  campaign: string;
  targetCpa: number;
  /**
   * Spend ÷ orders kept (not refunded in full) once every pay and refund of the run's clicks has
   * arrived (24 h window): what the controller aims at, net of refunds as it counts them.
   */
  realisedCpa: number | null;
  /** realisedCpa ÷ targetCpa. */
  ratio: number | null;
  /** Paid orders (refunded ones included), and those refunded in full. */
  orders: number;
  refunded: number;
  /** Pays that had arrived when the run stopped, and spend ÷ those kept then. */
  ordersAtEnd: number;
  observedCpa: number | null;
  billedClicks: number;
  spentFen: number;
  /** The campaign's controller factor at the end (1: never moved, or no train). */
  multiplier: number;
}

export interface SimBuyerOptions {
  /** Share of paid orders refunded in full later (DEFAULT_REFUND_SHARE). */
  refundShare: number;
}

/** A stable device digest per user (the risk score's new-device signal sees one device each). */
const deviceOf = (openid: string): string =>
  createHash('sha256').update(`sim-device\u0000${openid}`).digest('hex').slice(0, 16);

export class SimBuyers {
  private readonly rng: () => number;
  /** Refund draws on their own stream: the pays are the same whatever the refund share. */
  private readonly refundRng: () => number;
  private readonly userFactor = new Map<string, number>();
  private readonly baseCvr = new Map<string, number>();
  private readonly byId: Map<string, Campaign>;
  private readonly pending: PendingPay[] = [];
  private readonly refunds: PendingRefund[] = [];
  private readonly refundShare: number;
  readonly counts: SimPayCounts = {
    created: 0,
    held: 0,
    paid: 0,
    refused: 0,
    unsettled: 0,
    refunded: 0,
  };

  constructor(
    seed: number,
    readonly campaigns: readonly Campaign[],
    options: Partial<SimBuyerOptions> = {},
  ) {
    this.rng = mulberry32(seed ^ 0x0c9c);
    this.refundRng = mulberry32(seed ^ 0x2ef0);
    this.refundShare = options.refundShare ?? DEFAULT_REFUND_SHARE;
    if (!(this.refundShare >= 0 && this.refundShare <= 1))
      throw new RangeError('refundShare: a share in [0, 1]');
    this.byId = new Map(campaigns.map((c) => [c.id, c]));
    for (const c of [...campaigns].sort((a, b) => (a.id < b.id ? -1 : 1)))
      this.baseCvr.set(c.id, BASE_CVR[0] + (BASE_CVR[1] - BASE_CVR[0]) * this.rng());
  }

  /** Makes each campaign's merchant an owner account (the one who approves and refunds). */
  async prepare(stores: Pick<Stores, 'merchants'>, now: number): Promise<void> {
    for (const m of [...new Set(this.campaigns.map((c) => c.merchantId))].sort())
      await stores.merchants.addMember(simOwnerOf(m), {
        merchantId: m,
        role: 'owner',
        joinedAt: now,
      });
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

  /**
   * Plays the pays and refunds due by `now`, in time order, through the functions (module
   * comment), each at its own simulated moment; answers how many orders were paid.
   */
  async settle(deps: Deps, now: number): Promise<number> {
    const pay = deps.stores.payments;
    if (!(pay instanceof LocalPay))
      throw new Error('simulated pays need the local WeChat Pay stand-in (SQLite stores)');
    const before = this.counts.paid;
    for (;;) {
      const p = earliest(this.pending, (x) => x.payAt, now);
      const r = earliest(this.refunds, (x) => x.at, now);
      if (!p && !r) break;
      if (p && (!r || p.payAt <= r.at)) {
        this.pending.splice(this.pending.indexOf(p), 1);
        await this.buy(deps, pay, p);
      } else if (r) {
        this.refunds.splice(this.refunds.indexOf(r), 1);
        await this.refund(deps, pay, r);
      }
    }
    return this.counts.paid - before;
  }

  /** One buyer's trip: order.create (approved by the owner if held), the sheet, the notifies. */
  private async buy(deps: Deps, pay: LocalPay, p: PendingPay): Promise<void> {
    const payAt = Math.floor(p.payAt);
    const createdAt = Math.max(p.clickedAt, payAt - 60_000);
    const create: PayRequest = {
      action: 'order.create',
      campaignId: p.campaign.id,
      quantity: 1,
      slateId: p.slateId,
      position: p.position,
      device: deviceOf(p.openid),
    };
    let made = await call(deps, createdAt, p.openid, create);
    if (made.ok && made.data.action === 'order.create' && made.data.order.state === 'held') {
      // The merchant reviews what the risk score held: the simulated owner approves it, and the
      // buyer's page asks again (the same cart answers the approved order with its payment).
      this.counts.held++;
      const owner = simOwnerOf(p.campaign.merchantId);
      const no = made.data.order.outTradeNo;
      await call(deps, createdAt, owner, { action: 'order.approve', outTradeNo: no });
      made = await call(deps, createdAt, p.openid, create);
    }
    if (!made.ok || made.data.action !== 'order.create' || !made.data.payment) {
      this.counts.refused++;
      return;
    }
    this.counts.created++;
    const no = made.data.order.outTradeNo;
    const notify = pay.userPays(no);
    // WeChat delivers the notify, and may again: the second changes nothing.
    if (notify) for (let i = 0; i < 2; i++) await deliver(deps, payAt, notify);
    const order = await deps.stores.orders.get(no);
    if (order?.state !== 'paid') {
      this.counts.unsettled++;
      return;
    }
    this.counts.paid++;
    if (this.refundRng() < this.refundShare) {
      const delay = -Math.log(1 - this.refundRng()) * REFUND_MEAN_MS;
      this.refunds.push({
        outTradeNo: no,
        merchantId: order.merchantId,
        totalFen: order.totalFen,
        at: payAt + Math.max(1, Math.floor(delay)),
      });
    }
  }

  /** The owner refunds the order in full through `pay`; its refund notify goes to payNotify. */
  private async refund(deps: Deps, pay: LocalPay, r: PendingRefund): Promise<void> {
    pay.lastRefundNotify = null;
    const res = await call(deps, r.at, simOwnerOf(r.merchantId), {
      action: 'order.refund',
      outTradeNo: r.outTradeNo,
      refundFen: r.totalFen,
    });
    const notify = pay.lastRefundNotify as Record<string, unknown> | null;
    if (res.ok && notify) for (let i = 0; i < 2; i++) await deliver(deps, r.at, notify);
    if ((await deps.stores.orders.get(r.outTradeNo))?.state === 'refunded') this.counts.refunded++;
  }

  /**
   * Each oCPC campaign's realised CPA against its target: spend from the charge counters, orders
   * attributed to its clicks less those refunded in full, at the end and once the run's
   * remaining pays (all within 24 h) and their refunds arrive.
   */
  async report(deps: Deps, now: number): Promise<OcpcFigure[]> {
    const stores = deps.stores;
    const ocpc = this.campaigns.filter((c) => c.bidding?.mode === 'ocpc');
    const ids = ocpc.map((c) => c.id);
    const spend = await stores.counters.read(SPEND, ids, ALL);
    const ordersOf = async (id: string) => {
      const os = await stores.orders.paidForCampaign(id, 0, Number.MAX_SAFE_INTEGER, 100_000);
      const refunded = os.filter(
        (o) => o.state === 'refunded' && (o.refundFen ?? 0) >= o.totalFen,
      ).length;
      return { orders: os.length, refunded, kept: os.length - refunded };
    };
    const atEnd = new Map<string, number>();
    for (const id of ids) atEnd.set(id, (await ordersOf(id)).kept);
    await this.settle(deps, now + DAY_MS + 1);
    // Refunds of the last pays may come later still: they count too (what the merchant keeps).
    await this.settle(deps, Math.max(now + DAY_MS + 1, ...this.refunds.map((r) => r.at)));
    const serving = await readServing(stores);
    const out: OcpcFigure[] = [];
    for (const c of ocpc) {
      const target = c.bidding?.mode === 'ocpc' ? c.bidding.targetCpaFen : 0;
      const spent = spend[c.id]?.spentFen ?? 0;
      const { orders, refunded, kept } = await ordersOf(c.id);
      const end = atEnd.get(c.id) ?? 0;
      const realised = kept ? spent / kept : null;
      out.push({
        campaign: c.id,
        targetCpa: target,
        realisedCpa: realised === null ? null : Math.round(realised),
        ratio: realised === null ? null : Math.round((1000 * realised) / target) / 1000,
        orders,
        refunded,
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

/** The earliest of `xs` due by `now` (by `at`), or undefined. */
function earliest<T>(xs: readonly T[], at: (x: T) => number, now: number): T | undefined {
  let best: T | undefined;
  for (const x of xs) if (at(x) <= now && (best === undefined || at(x) < at(best))) best = x;
  return best;
}

/** The `pay` function called in process at simulated time `at`, as `openid`. */
function call(deps: Deps, at: number, openid: string, payload: PayRequest) {
  return toHandler(functions.pay)({ payload, openid }, { ...deps, now: () => at });
}

/** WeChat Pay's delivery of a notify to payNotify (no WeChat identity), at simulated time `at`. */
async function deliver(deps: Deps, at: number, payload: Record<string, unknown>): Promise<void> {
  const res = await toHandler(functions.payNotify)(
    { payload, openid: undefined },
    { ...deps, now: () => at },
  );
  if (!res.ok) deps.log.error('simulated notify not handled', { code: res.code });
}
