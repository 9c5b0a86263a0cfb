/**
 * Orders port (issue 17): orders paid through WeChat Pay, with their offer's stock and each
 * user's units reserved in the same atomic step that creates an order, and released in the same
 * step that closes it. Every state change is compare-and-set on the state, so a notify that
 * arrives twice, late or out of order moves an order at most once.
 */
import type { OrderRisk, OrderState } from '../../typings';

export type { OrderState } from '../../typings';

/** The slate card a purchase is attributed to (travels in WeChat Pay's `attach`). */
export interface OrderAttribution {
  campaignId: string;
  slateId?: string;
  position?: number;
}

export interface Order {
  /** Our order number, WeChat Pay's out_trade_no: ≤ 32 characters of [0-9A-Za-z_]. */
  outTradeNo: string;
  openid: string;
  merchantId: string;
  campaignId: string;
  /** (buyer, campaign, quantity) hashed: a repeated create within the window finds the order. */
  cartKey: string;
  title: string;
  quantity: number;
  unitFen: number;
  totalFen: number;
  state: OrderState;
  attribution: OrderAttribution;
  createdAt: number;
  /** Payable until then; closed after it (stock and the user's units released). */
  expiresAt: number;
  updatedAt: number;
  paidAt?: number;
  transactionId?: string;
  /** Asked refund: its stable out_refund_no and amount, set with `refunding`. */
  outRefundNo?: string;
  refundFen?: number;
  refundedAt?: number;
  /** The device digest the page sent with the create (a payment risk signal only). */
  device?: string;
  /** The payment risk score at creation (server/pay/risk.ts); the reasons when it held the order. */
  risk?: OrderRisk;
  /** The merchant owner's decision on a held order (who decided is in the campaign's audit log). */
  review?: { decision: 'approved' | 'rejected'; at: number };
}

/** Where a reader of paid orders stopped: the last order's paid time and number. */
export interface PaidCursor {
  paidAt: number;
  outTradeNo: string;
}

/** Where a reader of confirmed refunds stopped: the last refund's confirmation time and order number. */
export interface RefundCursor {
  refundedAt: number;
  outTradeNo: string;
}

/** Stock and limit as the offer defines them when the order is made. */
export interface ReserveLimits {
  stock: number;
  perUserLimit: number;
}

export type CreateOutcome =
  | { kind: 'created'; order: Order }
  /** An order for the same cart still open (created / paying, not expired): answered again. */
  | { kind: 'existing'; order: Order }
  | { kind: 'sold_out'; left: number }
  | { kind: 'over_limit'; bought: number };

export interface Orders {
  /**
   * Atomically: answers the open (created, paying or held) order of the same cart if there is one; otherwise reserves the
   * order's quantity from the offer's stock and from the buyer's limit and stores the order
   * (`created`), or refuses with nothing changed.
   */
  create(order: Order, limits: ReserveLimits): Promise<CreateOutcome>;
  get(outTradeNo: string): Promise<Order | null>;
  /**
   * Compare-and-set: when the order is in one of `from`, moves it to `to` with `patch` and
   * answers the new order; otherwise null, nothing changed. Moving to `closed` releases the
   * stock and the buyer's units in the same step.
   */
  transition(
    outTradeNo: string,
    from: readonly OrderState[],
    to: OrderState,
    patch: Partial<
      Pick<
        Order,
        | 'paidAt'
        | 'transactionId'
        | 'outRefundNo'
        | 'refundFen'
        | 'refundedAt'
        | 'expiresAt'
        | 'review'
      >
    >,
    at: number,
  ): Promise<Order | null>;
  /** Orders in a state last changed before `before`, oldest first (train's maintenance). */
  inState(state: OrderState, before: number, limit: number): Promise<Order[]>;
  /** A campaign's orders paid in [from, before), by paid time (reports). */
  paidForCampaign(
    campaignId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<Order[]>;
  /**
   * A campaign's orders whose refund WeChat Pay confirmed (state `refunded`) in [from, before),
   * by confirmation time, whenever they were paid (reports: a range's refunds column shows every
   * refund confirmed in it, also of orders paid before the range began).
   */
  refundedForCampaign(
    campaignId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<Order[]>;
  /**
   * Orders paid (whatever their state since: refunds included) after `after` in (paidAt,
   * outTradeNo) order and before `before`, oldest first (train's experiment rollups).
   */
  paidAfter(after: PaidCursor | null, before: number, limit: number): Promise<Order[]>;
  /**
   * Orders whose refund WeChat Pay confirmed (state `refunded`) after `after` in (refundedAt,
   * outTradeNo) order and before `before`, oldest first: train's readers of refunds (experiment
   * rollups, oCPC labels), each counting a refund once on the day it was confirmed.
   */
  refundedAfter(after: RefundCursor | null, before: number, limit: number): Promise<Order[]>;
  /** A buyer's orders created at or after `since`, newest first (payment risk: their history). */
  ofBuyer(openid: string, since: number, limit: number): Promise<Order[]>;
  /** A merchant's held orders, oldest first (the owner's review). */
  heldForMerchant(merchantId: string, limit: number): Promise<Order[]>;
  /** Units of the offer reserved by open and paid orders (stock left = stock − this). */
  reserved(campaignId: string): Promise<number>;
}
