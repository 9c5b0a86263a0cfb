/**
 * The shared wrapper every cloud function is written with: validate input with a zod schema,
 * take identity from the WeChat context (never the payload), run one use case, and map every
 * failure to { ok: false, code, message } with nothing internal in it.
 */
import type { z } from 'zod';
import type { ApiResult, FieldIssue, FunctionMap, FunctionName } from '../../typings';
import type { Config } from '../config';
import { AppError, badRequest, invalidInput, unauthenticated, unavailable } from '../errors';
import type { Stores } from '../ports';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** What a handler may use: identity, clock, stores, configuration, a logger. */
export interface FunctionContext {
  openid: string;
  now: () => number;
  stores: Stores;
  config: Config;
  log: Logger;
}

/** Services a function runs with; built once per process (warm instance) by the entry point. */
export type Deps = Omit<FunctionContext, 'openid'>;

/**
 * A cloud function: its input schema (whose output is usually the shared request type, but
 * may be looser where the handler validates parts itself, as `track` does per event), and
 * its handler, whose result is the shared response type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface FunctionDef<N extends FunctionName, S extends z.ZodType = z.ZodType<any>> {
  name: N;
  /** Validates and normalises the payload; must be strict (unknown fields rejected). */
  input: S;
  /** Functions that may be called without a WeChat identity (e.g. timer-triggered ones). */
  anonymous?: boolean;
  /**
   * An anonymous function a platform calls (WeChat Pay's notify), not only its own timer: calls
   * without a user are served; the handler trusts nothing in the payload.
   */
  platformCaller?: boolean;
  handle(input: z.output<S>, ctx: FunctionContext): Promise<FunctionMap[N]['res']>;
  /** Deployment settings written into cloudfunctions/<name>/config.json by the build. */
  cloud?: CloudSettings;
}

/** The name the build gives a function's timer trigger in config.json (its events carry it). */
export const timerTriggerName = (fn: string): string => `${fn}Timer`;

export interface CloudSettings {
  /** WeChat open APIs the function calls through cloud.openapi (config.json permissions.openapi), e.g. customerServiceMessage.send. */
  openapi?: string[];
  /**
   * What the deployed function returns to WeChat instead of the envelope: a message-push
   * handler answers the platform, which expects "success" (the envelope is still logged).
   */
  platformReply?: 'success' | 'errcode';
  /** Execution time limit in the cloud, seconds (the platform default is 3). */
  timeoutSeconds?: number;
  /** Timer trigger: a 7-field cron, seconds first and year last, UTC+8 (e.g. "0 0/5 * * * * *" = every 5 minutes). */
  timer?: string;
}

export interface Invocation {
  payload: unknown;
  /** OPENID from the WeChat context (cloud) or the local host's identity seam. */
  openid: string | undefined;
}

export type Handler<N extends FunctionName = FunctionName> = (
  call: Invocation,
  deps: Deps,
) => Promise<ApiResult<FunctionMap[N]['res']>>;

export function defineFunction<N extends FunctionName, S extends z.ZodType>(
  def: FunctionDef<N, S>,
): FunctionDef<N, S> {
  return def;
}

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Storage failures a retry can get past (a database locked past its busy timeout, a full disk, a
 * cloud request that timed out or met a gateway error): answered UNAVAILABLE rather than INTERNAL,
 * so the caller is told to try again later; still logged like any unexpected error.
 */
const TRANSIENT = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'ENOSPC',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNRESET',
]);
function transient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && TRANSIENT.has(code)) ||
    (typeof code === 'number' && code >= 500 && code <= 599)
  );
}

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Turns a function definition into a handler that never throws. */
export function toHandler<N extends FunctionName>(def: FunctionDef<N>): Handler<N> {
  return async (call, deps) => {
    try {
      const openid = call.openid;
      if (!def.anonymous && (typeof openid !== 'string' || !OPENID.test(openid)))
        throw unauthenticated();
      if (
        typeof call.payload !== 'object' ||
        call.payload === null ||
        Array.isArray(call.payload)
      ) {
        throw badRequest('请求体必须是一个 JSON 对象');
      }
      const parsed = def.input.safeParse(call.payload);
      if (!parsed.success) throw invalidInput(zodIssues(parsed.error));
      const data = await def.handle(parsed.data, { ...deps, openid: openid ?? '' });
      return { ok: true, data };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, code: err.code, message: err.message };
      deps.log.error('unhandled error', {
        fn: def.name,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        stack: err instanceof Error ? err.stack : undefined,
      });
      if (transient(err)) {
        const { code, message } = unavailable();
        return { ok: false, code, message };
      }
      return { ok: false, code: 'INTERNAL', message: '服务出错了，请稍后重试' };
    }
  };
}
