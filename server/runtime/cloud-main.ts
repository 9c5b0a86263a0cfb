/**
 * The entry of a deployed cloud function: `export const main = cloudMain(def)`. Initialises
 * wx-server-sdk and opens the cloud stores once per warm instance, takes identity from the
 * WeChat context (never from the payload) and runs the shared handler. Bundled per function
 * with wx-server-sdk external, so it must import nothing native (no SQLite adapter).
 */
import * as sdk from 'wx-server-sdk';
import type { ApiResult, FunctionMap, FunctionName } from '../../typings';
import { openCloudStores, type Cloud } from '../adapters/cloud';
import { loadConfig } from '../config';
import { toHandler, timerTriggerName, type Deps, type FunctionDef, type Logger } from './function';

/** Keys WeChat adds to a callFunction event; not part of any function's payload. */
const PLATFORM_KEYS = ['userInfo'];

/** One JSON line per record: what the cloud console's log search indexes best. */
const cloudLogger: Logger = {
  info: (msg, fields) => console.log(JSON.stringify({ level: 'info', msg, ...fields })),
  error: (msg, fields) => console.error(JSON.stringify({ level: 'error', msg, ...fields })),
};

let warm: Deps | null = null;

/** Builds the services once per warm instance; later calls reuse them. */
function deps(cloud: Cloud): Deps {
  if (!warm) {
    const config = loadConfig(process.env);
    // DYNAMIC_CURRENT_ENV is typed `symbol` but is what init expects for "this function's env".
    cloud.init({ env: config.cloudEnv || (cloud.DYNAMIC_CURRENT_ENV as unknown as string) });
    warm = {
      config,
      stores: openCloudStores(cloud, config),
      now: () => Date.now(),
      log: cloudLogger,
    };
  }
  return warm;
}

/** A timer trigger's event: { Type: 'Timer', TriggerName, Time, Message }, with no WeChat user. */
function isTimerEvent(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer'
  );
}

/**
 * A call without a WeChat user to an anonymous function (train) runs only when it is that
 * function's own timer: a Timer event naming its trigger, with SOURCE (the call chain, first
 * hop first) starting at the timer. Anything else without a user — another function's
 * callFunction ("scf"), the HTTP API (wx_http), a console test — is refused: an anonymous
 * function's work (training, maintenance, erasure scrubs) is not for anyone to start.
 */
function isOwnTimer(def: { name: string }, event: unknown, source: unknown): boolean {
  const first = typeof source === 'string' ? source.split(',')[0].trim() : '';
  return (
    first === 'wx_trigger' &&
    isTimerEvent(event) &&
    (event as { TriggerName?: unknown }).TriggerName === timerTriggerName(def.name)
  );
}

function payloadOf(event: unknown, openid: string | undefined): unknown {
  // Only a call without a user can be the timer; a user's payload is validated as sent.
  if (!openid && isTimerEvent(event)) return {};
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const rest: Record<string, unknown> = { ...(event as Record<string, unknown>) };
  for (const k of PLATFORM_KEYS) delete rest[k];
  return rest;
}

export type CloudMain<N extends FunctionName> = (
  event: unknown,
  context: unknown,
) => Promise<
  ApiResult<FunctionMap[N]['res']> | FunctionMap[N]['res'] | 'success' | PlatformErrcode
>;

/** What WeChat Pay reads back from a notify handler. */
export interface PlatformErrcode {
  errcode: number;
  errmsg: string;
}

export function cloudMain<N extends FunctionName>(
  def: FunctionDef<N>,
  cloud: Cloud = sdk,
): CloudMain<N> {
  const handler = toHandler(def);
  return async (event) => {
    let services: Deps;
    try {
      services = deps(cloud);
    } catch (err) {
      cloudLogger.error('cannot start function', {
        fn: def.name,
        error: err instanceof Error ? err.message : String(err),
      });
      return { ok: false, code: 'UNAVAILABLE', message: '服务暂时不可用，请稍后重试' };
    }
    const context = cloud.getWXContext() as { OPENID?: unknown; SOURCE?: unknown };
    const raw: unknown = context.OPENID;
    const openid = typeof raw === 'string' && raw !== '' ? raw : undefined;
    if (
      def.anonymous &&
      !def.platformCaller &&
      !openid &&
      !isOwnTimer(def, event, context.SOURCE)
    ) {
      cloudLogger.error('refused an anonymous call that is not the timer', {
        fn: def.name,
        source: typeof context.SOURCE === 'string' ? context.SOURCE : null,
      });
      return { ok: false, code: 'FORBIDDEN', message: '此任务只能由定时触发器或管理员启动' };
    }
    const result = await handler({ payload: payloadOf(event, openid), openid }, services);
    if (def.cloud?.platformReply === 'errcode') {
      // WeChat Pay retries a notify until it reads errcode 0: only a failure a retry may get
      // past (storage unavailable, an unexpected error) is answered otherwise.
      if (result.ok) return result.data as FunctionMap[N]['res'];
      services.log.error('pay alarm: notify not handled', { fn: def.name, ...result });
      const retry = result.code === 'UNAVAILABLE' || result.code === 'INTERNAL';
      return { errcode: retry ? 1 : 0, errmsg: retry ? 'retry' : 'OK' };
    }
    if (def.cloud?.platformReply) {
      // WeChat reads only "success" from a message-push handler; what happened goes to the log.
      services.log.info('platform event handled', { fn: def.name, ...result });
      return def.cloud.platformReply;
    }
    return result;
  };
}

/** Forgets the warm services (tests only: a new instance starts cold). */
export function resetCloudMainForTests(): void {
  warm = null;
}
