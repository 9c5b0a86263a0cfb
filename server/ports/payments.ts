/**
 * The payment service port: WeChat Pay's cloud payments (cloud.cloudPay) in the cloud, a local
 * stand-in on the local host. Not storage: like the customer-service channel it is bundled with
 * the stores so a function reaches it through one composition root.
 */
import type { PaymentParams } from '../../typings';

export interface UnifiedOrder {
  outTradeNo: string;
  /** What the buyer sees on the payment sheet (WeChat Pay's body, ≤ 128 bytes). */
  body: string;
  totalFen: number;
  /** Carried back in the notify (≤ 127 bytes): the attribution. */
  attach: string;
  /** The buyer (cloud payments take the caller's openid from the context). */
  openid: string;
}

/** WeChat Pay's trade_state (NOTFOUND: the service has no such order). */
export type TradeState =
  'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | 'NOTFOUND';

export interface TradeQuery {
  state: TradeState;
  totalFen?: number;
  transactionId?: string;
}

/** A refund as WeChat Pay reports it (refund_status; NOTFOUND: no such refund). */
export interface RefundQuery {
  state: 'SUCCESS' | 'PROCESSING' | 'CHANGE' | 'REFUNDCLOSE' | 'NOTFOUND';
  refundFen?: number;
}

export interface RefundRequest {
  outTradeNo: string;
  outRefundNo: string;
  totalFen: number;
  refundFen: number;
}

/** The service refused the request (WeChat Pay's err_code, e.g. ORDERPAID, ORDERCLOSED, INVALID_REQUEST). */
export class PaymentRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentRejected';
  }
}

export interface PaymentService {
  /** Places the order with WeChat Pay; answers what wx.requestPayment needs. */
  unifiedOrder(order: UnifiedOrder): Promise<PaymentParams>;
  queryOrder(outTradeNo: string): Promise<TradeQuery>;
  /** Closes an unpaid order; PaymentRejected('ORDERPAID') when it was paid after all. */
  closeOrder(outTradeNo: string): Promise<void>;
  /** Asks a refund (the result comes by refund notify); the same outRefundNo is idempotent. */
  refund(req: RefundRequest): Promise<void>;
  /** What became of one refund of an order. */
  queryRefund(outTradeNo: string, outRefundNo: string): Promise<RefundQuery>;
}
