/** Calling `account` as a user in function tests: the envelope, the unwrapped answer, and a consent. */
import type { AccountResponse } from '../../typings';
import account from '../../server/functions/account';
import type { TestDeps } from './deps';
import { functionCalls } from './function-calls';

/** `deps` is read at each call (tests rebuild it in beforeEach); `me` is the default caller. */
export function accountCalls(deps: () => TestDeps, me: string) {
  const calls = functionCalls(account, deps, me);
  /** Any payload (tests build some generically); the answer as the union of responses. */
  const ok = (payload: object, openid = me): Promise<AccountResponse> =>
    calls.ok(payload as never, openid);
  const consent = (granted: boolean, openid = me) =>
    ok({ action: 'consent.set', noticeVersion: 'v1', granted, keepHistory: true }, openid);
  return { call: calls.call, ok, consent };
}
