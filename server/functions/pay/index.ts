/**
 * `pay`: a buyer's order for a campaign's offer through WeChat Pay (`order.create` answers the
 * object for wx.requestPayment, or none when the risk score held the order; `order.get` the order
 * as WeChat Pay confirmed it), a merchant owner's refund (`order.refund`) and review of held
 * orders (`order.held`, `order.approve`, `order.reject`). Identity only from the WeChat context;
 * prices only from the stored offer. Use cases: server/pay/orders.ts, server/pay/review.ts.
 */
import { z } from 'zod';
import type { PayRequest, PayResponse } from '../../../typings';
import { createOrder, getOrder, refundOrder } from '../../pay/orders';
import { listHeld, reviewOrder } from '../../pay/review';
import { defineFunction } from '../../runtime/function';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '应为 1–64 位字母、数字、下划线或连字符');
const outTradeNo = z.string().regex(/^[0-9A-Za-z_]{1,32}$/, '订单号格式不正确');

export const payInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('order.create'),
    campaignId: id,
    quantity: z.number().int('数量应为整数').min(1, '至少买 1 件').max(99, '一次最多买 99 件'),
    slateId: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,80}$/, '来源格式不正确')
      .optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    device: z
      .string()
      .regex(/^[0-9a-f]{8,64}$/, '设备标识格式不正确')
      .optional(),
  }),
  z.strictObject({ action: z.literal('order.get'), outTradeNo }),
  z.strictObject({ action: z.literal('order.held') }),
  z.strictObject({ action: z.enum(['order.approve', 'order.reject']), outTradeNo }),
  z.strictObject({
    action: z.literal('order.refund'),
    outTradeNo,
    refundFen: z.number().int('退款金额应为整数（分）').min(1, '退款金额至少 1 分').max(1e9),
  }),
]);

// Compile-time guard: the schema and the shared contract describe the same requests.
type Parsed = z.infer<typeof payInput>;
const _same: [Parsed extends PayRequest ? true : false, PayRequest extends Parsed ? true : false] =
  [true, true];
void _same;

export default defineFunction({
  name: 'pay',
  input: payInput,
  cloud: { timeoutSeconds: 10 },
  async handle(req, ctx): Promise<PayResponse> {
    switch (req.action) {
      case 'order.create':
        return { action: req.action, ...(await createOrder(ctx, req)) };
      case 'order.get':
        return { action: req.action, order: await getOrder(ctx, req.outTradeNo) };
      case 'order.refund':
        return {
          action: req.action,
          order: await refundOrder(ctx, req.outTradeNo, req.refundFen),
        };
      case 'order.held':
        return { action: req.action, orders: await listHeld(ctx) };
      case 'order.approve':
      case 'order.reject':
        return {
          action: req.action,
          order: await reviewOrder(
            ctx,
            req.outTradeNo,
            req.action === 'order.approve' ? 'approved' : 'rejected',
          ),
        };
    }
  },
});
