/**
 * LOCAL ONLY: wires the local host's WeChat Pay stand-in (server/adapters/sqlite/local-pay.ts)
 * to the `payNotify` handler, and serves the buyer's side of the payment sheet that WeChat would
 * show: POST /local-pay/pay { outTradeNo } pays a placed order (the notify follows
 * asynchronously, as from WeChat). There is no such endpoint in the cloud.
 */
import type { FastifyInstance } from 'fastify';
import { LocalPay, type LocalPayOptions } from '../adapters/sqlite/local-pay';
import type { Deps, Handler } from '../runtime/function';
import { fail } from './http-errors';

/** Connects the stand-in's notifies to payNotify; false when the host runs on another payment service. */
export function connectLocalPay(
  deps: Deps,
  payNotify: Handler | undefined,
  options: Partial<LocalPayOptions> = {},
): boolean {
  const pay = deps.stores.payments;
  if (!(pay instanceof LocalPay) || !payNotify) return false;
  pay.connect(async (payload) => {
    const res = await payNotify({ payload, openid: undefined }, deps);
    if (res.ok) return { errcode: 0 };
    deps.log.error('pay alarm: notify not handled', { code: res.code, message: res.message });
    return { errcode: res.code === 'UNAVAILABLE' || res.code === 'INTERNAL' ? 1 : 0 };
  }, options);
  return true;
}

export function localPayRoutes(app: FastifyInstance, deps: Deps): void {
  const pay = deps.stores.payments;
  if (!(pay instanceof LocalPay)) return;
  app.post<{ Body: { outTradeNo?: unknown } }>('/local-pay/pay', async (req, reply) => {
    const no = req.body?.outTradeNo;
    if (typeof no !== 'string' || !/^[0-9A-Za-z_]{1,32}$/.test(no))
      return fail(reply, 'INVALID_INPUT', '请求参数有误：outTradeNo 格式不正确');
    if (!pay.userPays(no)) return fail(reply, 'CONFLICT', '这笔订单不存在、已支付或已关闭');
    return reply.send({ ok: true, data: { outTradeNo: no, paid: true } });
  });
}
