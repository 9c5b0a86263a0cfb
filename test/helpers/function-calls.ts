/**
 * Calling one function as a user in function tests: the envelope as answered, the data of an
 * action (throwing with the refusal's code and message), the outcome's code alone, and the call
 * made without an identity.
 */
import type { ApiResult, FunctionMap, FunctionName } from '../../typings';
import { toHandler, type Deps, type FunctionDef } from '../../server/runtime/function';

type Req<N extends FunctionName> = FunctionMap[N]['req'];
type Res<N extends FunctionName> = FunctionMap[N]['res'];
type ActionOf<N extends FunctionName> = Req<N> extends { action: infer A } ? A : never;

/** The response variant whose action (or list of actions) names A. */
export type ResponseFor<R, A> = R extends { action: infer X } ? (A extends X ? R : never) : never;

export interface FunctionCalls<N extends FunctionName> {
  call(payload: object, openid?: string): Promise<ApiResult<Res<N>>>;
  ok<A extends ActionOf<N>>(
    payload: Extract<Req<N>, { action: A }>,
    openid?: string,
  ): Promise<ResponseFor<Res<N>, A>>;
  /** 'ok', or the refusal's stable code. */
  code(payload: object, openid?: string): Promise<string>;
  /** The call with no WeChat identity at all (an HTTP access call, a forged request). */
  anonymous(payload: object): Promise<ApiResult<Res<N>>>;
}

/** `deps` is read at each call (tests rebuild it in beforeEach); `me` is the default caller. */
export function functionCalls<N extends FunctionName>(
  def: FunctionDef<N>,
  deps: () => Deps,
  me: string,
): FunctionCalls<N> {
  const handler = toHandler(def);
  const call = (payload: object, openid = me) => handler({ payload, openid }, deps());
  return {
    call,
    async ok(payload, openid = me) {
      const res = await call(payload, openid);
      if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
      return res.data as never;
    },
    async code(payload, openid = me) {
      const res = await call(payload, openid);
      return res.ok ? 'ok' : res.code;
    },
    anonymous: (payload) => handler({ payload, openid: undefined }, deps()),
  };
}
