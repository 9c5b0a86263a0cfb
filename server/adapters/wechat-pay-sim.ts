/**
 * A simulation of WeChat Pay's cloud-payment API for places where WeChat cannot be reached: the
 * local host's stand-in (sqlite/local-pay.ts) and the tests' cloud transport. It speaks WeChat's
 * wire format (snake_case fields, return_code / result_code / err_code / err_code_des) and
 * refuses what WeChat refuses — a fee that is not a positive whole number of fen, an
 * out_trade_no over 32 characters, an out_trade_no reused with another amount, paying or
 * closing a closed order, refunding more than was paid — so it is never kinder than the real
 * service. Never used in a deployment.
 */

export interface SimTrade {
  out_trade_no: string;
  total_fee: number;
  body: string;
  attach: string;
  openid: string;
  /** NOTPAY → SUCCESS (paid) → REFUND; NOTPAY → CLOSED. */
  trade_state: 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED';
  transaction_id?: string;
  time_end?: string;
  prepay_id: string;
  refunds: { out_refund_no: string; refund_fee: number; refund_id: string }[];
}

/** Where the simulation keeps its trades (a Map in tests, a table on the local host). */
export interface SimTradeStore {
  get(outTradeNo: string): SimTrade | null;
  put(trade: SimTrade): void;
}

export type WireAnswer = Record<string, unknown>;

const OK = { return_code: 'SUCCESS', return_msg: 'OK' };
const fail = (err_code: string, err_code_des: string): WireAnswer => ({
  ...OK,
  result_code: 'FAIL',
  err_code,
  err_code_des,
});
const success = (extra: WireAnswer = {}): WireAnswer => ({
  ...OK,
  result_code: 'SUCCESS',
  ...extra,
});

const OUT_NO = /^[0-9A-Za-z_\-|*]{1,32}$/;
const fee = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

let seq = 0;
const serial = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${(++seq).toString(36)}`.slice(0, 32);

/** A pay notify as cloud payments deliver it to the notify function (camel-cased by the platform). */
export function payNotifyOf(t: SimTrade, subMchId: string): Record<string, unknown> {
  return {
    returnCode: 'SUCCESS',
    resultCode: 'SUCCESS',
    outTradeNo: t.out_trade_no,
    totalFee: t.total_fee,
    cashFee: t.total_fee,
    transactionId: t.transaction_id,
    timeEnd: t.time_end,
    subMchId,
    attach: t.attach,
    tradeType: 'JSAPI',
    feeType: 'CNY',
  };
}

/** A refund notify: the decrypted req_info the platform hands the notify function. */
export function refundNotifyOf(
  t: SimTrade,
  r: SimTrade['refunds'][number],
  subMchId: string,
): Record<string, unknown> {
  return {
    returnCode: 'SUCCESS',
    subMchId,
    reqInfo: {
      outTradeNo: t.out_trade_no,
      transactionId: t.transaction_id,
      outRefundNo: r.out_refund_no,
      refundId: r.refund_id,
      totalFee: t.total_fee,
      refundFee: r.refund_fee,
      refundStatus: 'SUCCESS',
    },
  };
}

export class WeChatPaySim {
  constructor(
    private readonly store: SimTradeStore,
    private readonly subMchId: string,
  ) {}

  /** One API call in WeChat's wire format (the `apiName` of wx.wxPayApi). */
  call(api: string, data: WireAnswer, openid = ''): WireAnswer {
    if (!data.sub_mch_id || data.sub_mch_id !== this.subMchId)
      return { return_code: 'FAIL', return_msg: 'sub_mch_id 与当前环境绑定的商户号不符' };
    if (typeof data.nonce_str !== 'string' || data.nonce_str.length === 0)
      return { return_code: 'FAIL', return_msg: 'nonce_str 不能为空' };
    const no = data.out_trade_no;
    if (typeof no !== 'string' || !OUT_NO.test(no))
      return fail('PARAM_ERROR', 'out_trade_no 应为 1–32 位字母、数字或 _-|*');
    const t = this.store.get(no);
    switch (api) {
      case 'unifiedOrder':
        return this.unifiedOrder(data, t, openid);
      case 'queryOrder':
        if (!t) return fail('ORDERNOTEXIST', '此交易订单号不存在');
        return success({
          trade_state: t.trade_state,
          total_fee: t.total_fee,
          out_trade_no: t.out_trade_no,
          transaction_id: t.transaction_id,
          attach: t.attach,
          time_end: t.time_end,
        });
      case 'closeOrder':
        if (!t) return fail('ORDERNOTEXIST', '此交易订单号不存在');
        if (t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND')
          return fail('ORDERPAID', '订单已支付，不能发起关单');
        this.store.put({ ...t, trade_state: 'CLOSED' });
        return success();
      case 'refund':
        return this.refund(data, t);
      case 'queryRefund': {
        // Refunds here complete at once (WeChat's take from seconds to days: PROCESSING meanwhile).
        const r = t?.refunds.find((x) => x.out_refund_no === data.out_refund_no);
        if (!t || !r) return fail('REFUNDNOTEXIST', '退款订单查询失败');
        return success({
          out_trade_no: t.out_trade_no,
          total_fee: t.total_fee,
          refund_count: 1,
          out_refund_no_0: r.out_refund_no,
          refund_id_0: r.refund_id,
          refund_fee_0: r.refund_fee,
          refund_status_0: 'SUCCESS',
        });
      }
      default:
        return { return_code: 'FAIL', return_msg: `unknown api ${api}` };
    }
  }

  private unifiedOrder(data: WireAnswer, t: SimTrade | null, openid: string): WireAnswer {
    if (!fee(data.total_fee)) return fail('PARAM_ERROR', 'total_fee 应为正整数（分）');
    if (typeof data.body !== 'string' || data.body === '' || Buffer.byteLength(data.body) > 128)
      return fail('PARAM_ERROR', 'body 应为 1–128 字节');
    if (typeof data.attach === 'string' && Buffer.byteLength(data.attach) > 127)
      return fail('PARAM_ERROR', 'attach 最多 127 字节');
    if (!data.env_id || !data.function_name)
      return fail('PARAM_ERROR', 'env_id 和 function_name 不能为空');
    if (t) {
      if (t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND')
        return fail('ORDERPAID', '该订单已支付');
      if (t.trade_state === 'CLOSED') return fail('ORDERCLOSED', '该订单已关闭');
      if (t.total_fee !== data.total_fee || t.body !== data.body)
        return fail('INVALID_REQUEST', '201 商户订单号重复');
      return success({ prepay_id: t.prepay_id, payment: this.payment(t.prepay_id) });
    }
    const trade: SimTrade = {
      out_trade_no: data.out_trade_no as string,
      total_fee: data.total_fee,
      body: data.body,
      attach: typeof data.attach === 'string' ? data.attach : '',
      openid,
      trade_state: 'NOTPAY',
      prepay_id: serial('wx'),
      refunds: [],
    };
    this.store.put(trade);
    return success({ prepay_id: trade.prepay_id, payment: this.payment(trade.prepay_id) });
  }

  private payment(prepayId: string): WireAnswer {
    return {
      appId: 'wx_local_pay',
      timeStamp: String(Math.floor(Date.now() / 1000)),
      nonceStr: serial('n'),
      package: `prepay_id=${prepayId}`,
      signType: 'MD5',
      paySign: 'LOCAL-SIMULATION-NOT-SIGNED',
    };
  }

  private refund(data: WireAnswer, t: SimTrade | null): WireAnswer {
    if (!t) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    if (typeof data.out_refund_no !== 'string' || !OUT_NO.test(data.out_refund_no))
      return fail('PARAM_ERROR', 'out_refund_no 应为 1–32 位字母、数字或 _-|*');
    if (!fee(data.refund_fee) || !fee(data.total_fee))
      return fail('PARAM_ERROR', 'refund_fee 和 total_fee 应为正整数（分）');
    if (data.total_fee !== t.total_fee)
      return fail('INVALID_REQUEST', '订单金额或退款金额与之前请求不一致');
    if (t.trade_state !== 'SUCCESS' && t.trade_state !== 'REFUND')
      return fail('TRADE_STATE_ERROR', '订单状态错误：未支付的订单不能退款');
    const same = t.refunds.find((r) => r.out_refund_no === data.out_refund_no);
    if (same) {
      if (same.refund_fee !== data.refund_fee)
        return fail('INVALID_REQUEST', '订单金额或退款金额与之前请求不一致');
      return success({ out_refund_no: same.out_refund_no, refund_id: same.refund_id });
    }
    const refunded = t.refunds.reduce((n, r) => n + r.refund_fee, 0);
    if (refunded + data.refund_fee > t.total_fee) return fail('NOTENOUGH', '退款金额大于支付金额');
    const r = {
      out_refund_no: data.out_refund_no,
      refund_fee: data.refund_fee,
      refund_id: serial('r'),
    };
    this.store.put({ ...t, trade_state: 'REFUND', refunds: [...t.refunds, r] });
    return success({ out_refund_no: r.out_refund_no, refund_id: r.refund_id });
  }

  /** The buyer confirms the payment sheet: NOTPAY → SUCCESS; the pay notify to deliver, or null. */
  userPays(outTradeNo: string): Record<string, unknown> | null {
    const t = this.store.get(outTradeNo);
    if (!t || t.trade_state !== 'NOTPAY') return null;
    const paid: SimTrade = {
      ...t,
      trade_state: 'SUCCESS',
      transaction_id: serial('42'),
      time_end: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
    };
    this.store.put(paid);
    return payNotifyOf(paid, this.subMchId);
  }

  /** The refund notify of a refund asked before, or null when there is no such refund. */
  refundNotify(outTradeNo: string, outRefundNo: string): Record<string, unknown> | null {
    const t = this.store.get(outTradeNo);
    const r = t?.refunds.find((x) => x.out_refund_no === outRefundNo);
    return t && r ? refundNotifyOf(t, r, this.subMchId) : null;
  }

  trade(outTradeNo: string): SimTrade | null {
    return this.store.get(outTradeNo);
  }
}
