/** Calling `account` as a user in function tests: the envelope, the unwrapped answer, and a consent. */
import type { AccountResponse, ApiResult } from '../../typings';
import account from '../../server/functions/account';
import { toHandler } from '../../server/runtime/function';
import type { TestDeps } from './deps';

const accountH = toHandler(account);

/** `deps` is read at each call (tests rebuild it in beforeEach); `me` is the default caller. */
export function accountCalls(deps: () => TestDeps, me: string) {
  const call = (payload: object, openid = me): Promise<ApiResult<AccountResponse>> =>
    accountH({ payload, openid }, deps());
  const ok = async (payload: object, openid = me): Promise<AccountResponse> => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };
  const consent = (granted: boolean, openid = me) =>
    ok({ action: 'consent.set', noticeVersion: 'v1', granted, keepHistory: true }, openid);
  return { call, ok, consent };
}
