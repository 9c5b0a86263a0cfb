/**
 * Paying with WeChat Pay (issue 17): a campaign's offer, the `pay` function's orders, and what
 * WeChat Pay sends to `payNotify`. Prices are in fen (0.01 CNY) and always come from the stored
 * offer, never from the client.
 */

/** What a merchant sells through a campaign's landing page. */
export interface Offer {
  title: string;
  /** Unit price in fen. */
  priceFen: number;
  /** Units for sale in all; an order reserves its units until it is closed. */
  stock: number;
  /** Units one user may buy in all (open and paid orders count). */
  perUserLimit: number;
}

/**
 * created → paying (the payment object was handed out) → paid (WeChat Pay confirmed) →
 * refunding → refunded; created / paying → closed (not paid within the window: stock released).
 * A new order the payment risk score holds (支付安全) starts `held`: no payment object until the
 * merchant's owner approves it (→ created) or rejects it (→ closed); unreviewed, it closes after
 * the review window. Its stock stays reserved meanwhile.
 */
export type OrderState =
  'created' | 'paying' | 'paid' | 'refunding' | 'refunded' | 'closed' | 'held';

/** Why the risk score held an order: each signal with its Chinese reason (strongest first). */
export interface OrderRisk {
  /** 0..1; at or above the hold threshold the order was held. */
  score: number;
  reasons: { code: string; message: string }[];
}

/** An order as its buyer or the merchant sees it (no openid). */
export interface OrderView {
  outTradeNo: string;
  campaignId: string;
  title: string;
  quantity: number;
  totalFen: number;
  state: OrderState;
  createdAt: number;
  /** Until then an unpaid order may be paid; after it, it is closed and its stock released. */
  expiresAt: number;
  paidAt?: number;
  refundFen?: number;
}

/** A held order as its merchant's owner reviews it: the reasons, never the buyer. */
export interface HeldOrderView extends OrderView {
  risk: OrderRisk;
}

/** The object the page passes to wx.requestPayment (WeChat's JSAPI payment parameters). */
export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export type PayRequest =
  | {
      action: 'order.create';
      campaignId: string;
      quantity: number;
      /** The served slate and position the buyer came from (attribution through attach). */
      slateId?: string;
      position?: number;
      /**
       * A digest of the device (model, system, platform) the page computes: only a risk signal
       * (a buyer with devices on record paying far more than usual from a new one).
       */
      device?: string;
    }
  | { action: 'order.get'; outTradeNo: string }
  /** The merchant owner's held orders awaiting review, oldest first. */
  | { action: 'order.held' }
  /** The merchant owner approves a held order (the buyer may pay) or rejects it (closed). */
  | { action: 'order.approve'; outTradeNo: string }
  | { action: 'order.reject'; outTradeNo: string }
  | {
      action: 'order.refund';
      outTradeNo: string;
      /** Fen to refund; at most what was paid (partial refunds allowed, one per order). */
      refundFen: number;
    };

export type PayResponse =
  /** No `payment` when the order was held for the merchant's review (state `held`). */
  | { action: 'order.create'; order: OrderView; payment?: PaymentParams }
  | { action: 'order.held'; orders: HeldOrderView[] }
  | { action: 'order.approve'; order: HeldOrderView }
  | { action: 'order.reject'; order: HeldOrderView }
  | { action: 'order.get'; order: OrderView }
  | { action: 'order.refund'; order: OrderView };

/**
 * What WeChat Pay's notification carries to `payNotify` (cloud payments, camel-cased): a pay
 * result, or a refund result whose details are in `reqInfo`. Validated loosely (WeChat adds
 * fields over time); everything that matters is checked against the stored order and the
 * payment service.
 */
export interface PayNotifyRequest {
  returnCode?: string;
  resultCode?: string;
  outTradeNo?: string;
  totalFee?: number;
  cashFee?: number;
  transactionId?: string;
  subMchId?: string;
  reqInfo?: {
    outTradeNo?: string;
    outRefundNo?: string;
    refundFee?: number;
    totalFee?: number;
    refundStatus?: string;
    refundId?: string;
  };
  [key: string]: unknown;
}

/** WeChat Pay retries a notify until it answers errcode 0. */
export interface PayNotifyResponse {
  errcode: 0;
  errmsg: string;
}
