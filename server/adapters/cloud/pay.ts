/**
 * WeChat Pay through cloud payments (cloud.cloudPay.*, which wx-server-sdk sends as the TCB
 * action `wx.wxPayApi`; no certificate or key in our code: the environment's bound merchant
 * signs). WeChat answers business failures with result_code FAIL and err_code_des (the SDK
 * overwrites err_code with its own 0), so a refusal is read from resultCode and its text.
 */
import type { PaymentParams } from '../../../typings';
import {
  PaymentRejected,
  type PaymentService,
  type RefundQuery,
  type RefundRequest,
  type TradeQuery,
  type TradeState,
  type UnifiedOrder,
} from '../../ports/payments';
import { randomBytes } from 'node:crypto';
import type { Cloud } from './sdk';

interface PayAnswer {
  returnCode?: string;
  returnMsg?: string;
  resultCode?: string;
  errCodeDes?: string;
  tradeState?: string;
  totalFee?: number;
  transactionId?: string;
  payment?: PaymentParams;
  /** queryRefund: the first refund's fields (WeChat numbers them; the SDK keeps the `_0`). */
  refundStatus_0?: string;
  refundFee_0?: number;
}

const REFUND_STATES: readonly RefundQuery['state'][] = [
  'SUCCESS',
  'PROCESSING',
  'CHANGE',
  'REFUNDCLOSE',
];

/** The function WeChat Pay calls with results (pay and refund notifies). */
export const PAY_NOTIFY_FUNCTION = 'payNotify';

const TRADE_STATES: readonly TradeState[] = [
  'SUCCESS',
  'REFUND',
  'NOTPAY',
  'CLOSED',
  'REVOKED',
  'USERPAYING',
  'PAYERROR',
];

export interface CloudPayConfig {
  /** The sub-merchant bound to the cloud environment (云开发 → 微信支付). */
  paySubMchId: string;
  /** The environment the notify function runs in (empty: the function's own). */
  cloudEnv: string;
  /** The function's own environment as the cloud runtime names it (TCB_ENV). */
  runtimeEnv?: string;
}

export class CloudPay implements PaymentService {
  constructor(
    private readonly cloud: Cloud,
    private readonly config: CloudPayConfig,
  ) {}

  /**
   * The environment whose payNotify WeChat calls: configured (CLOUD_ENV), or this function's own
   * (the call's WeChat context, or TCB_ENV, which the cloud runtime sets for every function).
   */
  private envId(): string {
    if (this.config.cloudEnv) return this.config.cloudEnv;
    const ctx = this.cloud.getWXContext() as { ENV?: unknown };
    if (typeof ctx.ENV === 'string' && ctx.ENV !== '') return ctx.ENV;
    const env = this.config.runtimeEnv ?? '';
    if (env === '') throw new PaymentRejected('CONFIG', '无法确定云环境：请设置 CLOUD_ENV');
    return env;
  }

  private async call(api: string, data: Record<string, unknown>): Promise<PayAnswer> {
    const pay = (this.cloud as unknown as { cloudPay: Record<string, (d: unknown) => unknown> })
      .cloudPay;
    const res = (await pay[api]({
      ...data,
      subMchId: this.config.paySubMchId,
      nonceStr: randomBytes(16).toString('hex'),
    })) as PayAnswer;
    if (res.returnCode !== 'SUCCESS')
      throw new PaymentRejected('SYSTEMERROR', res.returnMsg ?? `${api}: no return code`);
    return res;
  }

  /** The business result of an answer: FAIL becomes PaymentRejected with WeChat's text. */
  private static ok(res: PayAnswer, api: string): PayAnswer {
    if (res.resultCode !== 'SUCCESS')
      throw new PaymentRejected('FAIL', res.errCodeDes ?? `${api} failed`);
    return res;
  }

  async unifiedOrder(order: UnifiedOrder): Promise<PaymentParams> {
    const res = CloudPay.ok(
      await this.call('unifiedOrder', {
        body: order.body,
        outTradeNo: order.outTradeNo,
        spbillCreateIp: '127.0.0.1',
        totalFee: order.totalFen,
        envId: this.envId(),
        functionName: PAY_NOTIFY_FUNCTION,
        tradeType: 'JSAPI',
        attach: order.attach,
      }),
      'unifiedOrder',
    );
    if (!res.payment) throw new PaymentRejected('SYSTEMERROR', 'unifiedOrder: no payment object');
    return res.payment;
  }

  async queryOrder(outTradeNo: string): Promise<TradeQuery> {
    const res = await this.call('queryOrder', { outTradeNo });
    if (res.resultCode !== 'SUCCESS') return { state: 'NOTFOUND' };
    const state = TRADE_STATES.find((s) => s === res.tradeState) ?? 'PAYERROR';
    return { state, totalFen: res.totalFee, transactionId: res.transactionId };
  }

  async closeOrder(outTradeNo: string): Promise<void> {
    CloudPay.ok(await this.call('closeOrder', { outTradeNo }), 'closeOrder');
  }

  async refund(req: RefundRequest): Promise<void> {
    CloudPay.ok(
      await this.call('refund', {
        outTradeNo: req.outTradeNo,
        outRefundNo: req.outRefundNo,
        totalFee: req.totalFen,
        refundFee: req.refundFen,
        envId: this.envId(),
        functionName: PAY_NOTIFY_FUNCTION,
      }),
      'refund',
    );
  }

  async queryRefund(outTradeNo: string, outRefundNo: string): Promise<RefundQuery> {
    const res = await this.call('queryRefund', { outTradeNo, outRefundNo });
    if (res.resultCode !== 'SUCCESS') return { state: 'NOTFOUND' };
    const state = REFUND_STATES.find((s) => s === res.refundStatus_0) ?? 'PROCESSING';
    return { state, refundFen: res.refundFee_0 };
  }
}
