/**
 * Calling `pay` and paying an order as its buyer, for the function tests on both adapters: the
 * envelope as answered, its data (throwing on a refusal), and the notify WeChat Pay sends once
 * the buyer confirms the payment sheet — from the local stand-in on SQLite, from the in-memory
 * cloudPay transport on the cloud.
 */
import type { ApiResult, PayRequest, PayResponse } from '../../typings';
import type { LocalPay } from '../../server/adapters/sqlite/local-pay';
import pay from '../../server/functions/pay';
import { toHandler } from '../../server/runtime/function';
import { cloudTransport } from './adapters';
import type { MerchantWorld } from './merchant-world';
import type { OpenedStores } from './sqlite-stores';

const payH = toHandler(pay);

export interface PayCalls {
  call(openid: string, payload: object): Promise<ApiResult<PayResponse>>;
  ok<A extends PayRequest['action']>(
    openid: string,
    payload: Extract<PayRequest, { action: A }>,
  ): Promise<Extract<PayResponse, { action: A }>>;
  /** The notify WeChat Pay sends when the buyer of order `no` confirms the sheet. */
  buyerPays(no: string): Record<string, unknown>;
}

/** Calls against the world and stores a test's beforeEach sets up (read at call time). */
export function payCalls(
  adapter: string,
  world: () => MerchantWorld,
  opened: () => OpenedStores,
): PayCalls {
  const call = (openid: string, payload: object): Promise<ApiResult<PayResponse>> =>
    payH({ payload, openid }, world().deps);
  return {
    call,
    async ok(openid, payload) {
      const res = await call(openid, payload);
      if (!res.ok) throw new Error(`${payload.action}: ${res.code} ${res.message}`);
      return res.data as never;
    },
    buyerPays(no) {
      const n =
        adapter === 'sqlite'
          ? (opened().stores.payments as LocalPay).userPays(no)
          : cloudTransport()!.pay.userPays(no);
      if (!n) throw new Error(`cannot pay ${no}`);
      return n;
    },
  };
}
