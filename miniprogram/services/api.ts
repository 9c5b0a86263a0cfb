/**
 * The typed API client: `call('recommend', req)` resolves to that function's response type or
 * throws an ApiError. Pages get the client from getApi(); tests swap it with setApi().
 */
import type { FunctionMap, FunctionName } from '../../typings';
import { ApiError } from './api-error';
import type { ClientErrorCode } from './api-error';
import { backendConfig } from './config';
import type { BackendConfig } from './config';
import { devOpenid } from './dev-identity';
import { cloudTransport, localTransport } from './transport';
import type { Transport } from './transport';

export interface ApiClient {
  call<N extends FunctionName>(name: N, req: FunctionMap[N]['req']): Promise<FunctionMap[N]['res']>;
}

/** Told of every call the client makes: the function, its latency as the client saw it, success. */
export type CallObserver = (name: FunctionName, durationMs: number, ok: boolean) => void;
let observer: CallObserver | null = null;

/** Sets the app-wide call observer (the analytics' api_call events); null removes it. */
export function setCallObserver(o: CallObserver | null): void {
  observer = o;
}

function observe(name: FunctionName, started: number, ok: boolean): void {
  try {
    observer?.(name, Date.now() - started, ok);
  } catch {
    // measuring must never fail a call
  }
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    async call<N extends FunctionName>(
      name: N,
      req: FunctionMap[N]['req'],
    ): Promise<FunctionMap[N]['res']> {
      const started = Date.now();
      try {
        const res = unwrap(await transport.send(name, req)) as FunctionMap[N]['res'];
        observe(name, started, true);
        return res;
      } catch (err) {
        observe(name, started, false);
        throw err;
      }
    },
  };
}

/** Opens the { ok, data } / { ok: false, code, message } envelope; anything else is BAD_RESPONSE. */
export function unwrap(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && 'ok' in raw) {
    const env = raw as { ok: unknown; data?: unknown; code?: unknown; message?: unknown };
    if (env.ok === true && 'data' in env) return env.data;
    if (env.ok === false && typeof env.code === 'string') {
      const message =
        typeof env.message === 'string' && env.message ? env.message : '请求失败，请稍后重试';
      throw new ApiError(env.code as ClientErrorCode, message);
    }
  }
  throw new ApiError('BAD_RESPONSE', '服务返回了无法识别的结果');
}

/** The wx surface the default client needs. */
export type WxLike = Pick<
  WechatMiniprogram.Wx,
  'request' | 'getStorageSync' | 'setStorageSync' | 'cloud'
>;

/** Builds the client the config asks for. Cloud mode initialises wx.cloud here so no caller can forget. */
export function clientFor(config: BackendConfig, wxApi: WxLike): ApiClient {
  if (config.mode === 'cloud') {
    wxApi.cloud.init(
      config.cloudEnv ? { env: config.cloudEnv, traceUser: true } : { traceUser: true },
    );
    return createApiClient(cloudTransport(wxApi.cloud));
  }
  let openid: string | undefined;
  return createApiClient(
    localTransport(wxApi, {
      baseUrl: config.localBaseUrl,
      timeoutMs: config.timeoutMs,
      openid: () => (openid ??= devOpenid(wxApi)),
    }),
  );
}

let current: ApiClient | null = null;

/** The app-wide client, built on first use from backendConfig. */
export function getApi(): ApiClient {
  current ??= clientFor(backendConfig, wx);
  return current;
}

/** Replaces the app-wide client (tests, previews); null goes back to the configured one. */
export function setApi(client: ApiClient | null): void {
  current = client;
}

/** The member of function N's response union that answers action A. */
export type AnswerTo<N extends FunctionName, A> = FunctionMap[N]['res'] extends infer U
  ? U extends { action: infer X }
    ? A extends X
      ? U
      : never
    : never
  : never;

/**
 * One action of an action-based function (merchant, account, content, support, pay …) through
 * getApi(), answered with that action's response: an answer naming another action (client and
 * server out of step) is refused, and shown as the generic failure like any unexpected error.
 */
export async function callAction<
  N extends FunctionName,
  R extends FunctionMap[N]['req'] & { action: string },
>(name: N, req: R): Promise<AnswerTo<N, R['action']>> {
  const res = (await getApi().call(name, req)) as { action?: unknown };
  if (res?.action !== req.action) throw new Error('unexpected answer');
  return res as AnswerTo<N, R['action']>;
}
