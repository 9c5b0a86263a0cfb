/**
 * `payNotify`: WeChat Pay's result notifications for cloud payments (pay and refund; the
 * functionName given to unifiedOrder and refund). WeChat retries until it reads errcode 0, so the
 * deployed function answers { errcode: 0 } for everything it has handled or cannot act on, and an
 * error only when a retry may help (storage unavailable). Nothing in the payload is trusted: the
 * use case (server/pay/settle.ts) checks it against the order and asks WeChat Pay.
 */
import { z } from 'zod';
import type { PayNotifyRequest, PayNotifyResponse } from '../../../typings';
import { handleNotify } from '../../pay/settle';
import { defineFunction } from '../../runtime/function';

const s = (max: number) => z.string().max(max);
const fen = z.number().int().min(0).max(1e12);

/**
 * The documented fields of a cloud-payment notify (pay result; refund result with its decrypted
 * reqInfo), strict: anything else is refused (answered errcode 0 with an alarm, so WeChat does not
 * retry what will never pass; train's maintenance settles such an order by query).
 */
const reqInfo = z.strictObject({
  transactionId: s(64).optional(),
  outTradeNo: s(32).optional(),
  refundId: s(64).optional(),
  outRefundNo: s(64).optional(),
  totalFee: fen.optional(),
  settlementTotalFee: fen.optional(),
  refundFee: fen.optional(),
  settlementRefundFee: fen.optional(),
  refundStatus: s(32).optional(),
  successTime: s(32).optional(),
  refundRecvAccout: s(128).optional(),
  refundAccount: s(64).optional(),
  refundRequestSource: s(64).optional(),
});

export const payNotifyInput = z.strictObject({
  appid: s(64).optional(),
  subAppid: s(64).optional(),
  mchId: s(32).optional(),
  subMchId: s(32).optional(),
  nonceStr: s(64).optional(),
  sign: s(128).optional(),
  returnCode: s(16).optional(),
  returnMsg: s(128).optional(),
  resultCode: s(16).optional(),
  errCode: z.union([s(32), z.number()]).optional(),
  errCodeDes: s(128).optional(),
  openid: s(128).optional(),
  subOpenid: s(128).optional(),
  isSubscribe: s(2).optional(),
  subIsSubscribe: s(2).optional(),
  tradeType: s(16).optional(),
  bankType: s(32).optional(),
  feeType: s(8).optional(),
  cashFeeType: s(8).optional(),
  deviceInfo: s(32).optional(),
  outTradeNo: s(32).optional(),
  totalFee: fen.optional(),
  settlementTotalFee: fen.optional(),
  cashFee: fen.optional(),
  couponFee: fen.optional(),
  couponCount: z.number().int().min(0).max(100).optional(),
  transactionId: s(64).optional(),
  attach: s(127).optional(),
  timeEnd: s(14).optional(),
  reqInfo: reqInfo.optional(),
});

export default defineFunction({
  name: 'payNotify',
  input: payNotifyInput,
  anonymous: true,
  platformCaller: true,
  cloud: { timeoutSeconds: 10, platformReply: 'errcode' },
  async handle(req, ctx): Promise<PayNotifyResponse> {
    return handleNotify(ctx, req as PayNotifyRequest);
  },
});
