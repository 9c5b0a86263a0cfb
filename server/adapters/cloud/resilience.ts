/**
 * What the real service needs of every database request, applied once to the Database the
 * stores share (below first-use creation, so its retry goes through here too):
 * - at most MAX_IN_FLIGHT requests in flight per instance (a cloud function instance serves one
 *   call at a time, so this is also the per-call cap), since the service answers bursts with
 *   EXCEED_CONCURRENT_REQUEST_LIMIT;
 * - throttling answers retried with full-jitter exponential backoff (Brooker, "Exponential
 *   Backoff And Jitter", AWS Architecture Blog, 2015): EXCEED_REQUEST_LIMIT (-501003) and
 *   EXCEED_CONCURRENT_REQUEST_LIMIT (-501004) refuse a request before it runs, so any request is
 *   retried; SERVER_TIMEOUT (-501002) may have run it, so only reads are retried on it (a write
 *   surfaces it, and each write path is already safe to repeat from its caller's retry);
 * - an `add` with an _id that fails in a way the adapter cannot classify reads the _id back: a
 *   document there is answered as the duplicate-key error the callers handle, no document
 *   rethrows the add's error. This covers the service's other duplicate answers
 *   (DATABASE_DUPLICATE_WRITE arrives as SYS_ERR -501001 with no E11000 text through
 *   wx-server-sdk 4.0.2). A document there may also be this add's own, landed with its answer
 *   lost; it is still reported as a duplicate, because the two cannot be told apart and the
 *   callers' duplicate path is the safe one (an event counted once at most, a compare-and-set
 *   lost and re-read) where "inserted" would count a stored event twice.
 */
import { isDuplicateKey, MAX_IN_FLIGHT, type Database } from './sdk';

/** wx-server-sdk's errCodes for the service's throttling answers. */
export const SERVER_TIMEOUT = -501002;
export const EXCEED_REQUEST_LIMIT = -501003;
export const EXCEED_CONCURRENT_REQUEST_LIMIT = -501004;

export interface ResilienceOptions {
  maxInFlight: number;
  /** Attempts after the first for a throttled request. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  maxInFlight: MAX_IN_FLIGHT,
  retries: 4,
  baseDelayMs: 50,
  maxDelayMs: 800,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const errCode = (err: unknown): unknown => (err as { errCode?: unknown } | null)?.errCode;

/** True when the service refused or dropped the request for load, and repeating it is safe. */
export function isRetryable(err: unknown, read: boolean): boolean {
  const code = errCode(err);
  if (code === EXCEED_REQUEST_LIMIT || code === EXCEED_CONCURRENT_REQUEST_LIMIT) return true;
  return read && code === SERVER_TIMEOUT;
}

/** A counting semaphore: at most `limit` holders; the rest wait in arrival order. */
class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  /** Most holders seen at once (for tests). */
  peak = 0;

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.used >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used += 1;
    this.peak = Math.max(this.peak, this.used);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `used` stays counted for it.
      if (next) next();
      else this.used -= 1;
    }
  }
}

const READS = new Set(['get', 'count', 'end']);
const WRITES = new Set(['add', 'set', 'update', 'remove']);

const isThenable = (v: unknown): v is Promise<unknown> =>
  !!v && typeof (v as { then?: unknown }).then === 'function';

interface Context {
  db: Database;
  name: string;
  slots: Slots;
  options: ResilienceOptions;
}

/** Runs one request under the in-flight cap, retrying throttling answers with jittered backoff. */
async function request(ctx: Context, call: () => unknown, read: boolean): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.slots.run(async () => {
        const p = call();
        return isThenable(p) ? await p : p;
      });
    } catch (err) {
      if (attempt >= ctx.options.retries || !isRetryable(err, read)) throw err;
      const cap = Math.min(ctx.options.maxDelayMs, ctx.options.baseDelayMs * 2 ** attempt);
      await ctx.options.sleep(ctx.options.random() * cap);
    }
  }
}

/** An add that failed unclassified: read its _id back (see the module header). */
async function classifyFailedAdd(ctx: Context, data: unknown, err: unknown): Promise<unknown> {
  const doc = data as Record<string, unknown> | null;
  if (!doc || Array.isArray(doc) || typeof doc._id !== 'string') throw err;
  const id = doc._id;
  let stored: Record<string, unknown> | undefined;
  try {
    const res = (await request(
      ctx,
      () => ctx.db.collection(ctx.name).where({ _id: id }).limit(1).get(),
      true,
    )) as { data: Record<string, unknown>[] };
    stored = res.data[0];
  } catch {
    throw err; // the read-back failed too: the add's own error says more
  }
  if (!stored) throw err;
  throw Object.assign(new Error(`E11000 duplicate key: _id ${id} exists (read back)`), {
    errCode: -502001,
    errMsg: `E11000 duplicate key: _id ${id} exists (read back after: ${String((err as { errMsg?: unknown })?.errMsg ?? err)})`,
  });
}

function wrap<T extends object>(target: T, ctx: Context, inAggregate: boolean): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const fn = value as (...args: unknown[]) => unknown;
      // In an aggregate only end() sends; count, limit… there are pipeline stages.
      const terminal = inAggregate ? prop === 'end' : READS.has(prop) || WRITES.has(prop);
      if (!terminal) {
        return (...args: unknown[]) => {
          const out = fn.apply(obj, args);
          return out && typeof out === 'object' && !isThenable(out)
            ? wrap(out, ctx, inAggregate || prop === 'aggregate')
            : out;
        };
      }
      return async (...args: unknown[]) => {
        try {
          return await request(ctx, () => fn.apply(obj, args), READS.has(prop));
        } catch (err) {
          if (prop !== 'add' || isDuplicateKey(err) || isRetryable(err, false)) throw err;
          return classifyFailedAdd(ctx, (args[0] as { data?: unknown } | undefined)?.data, err);
        }
      };
    },
  });
}

export interface ResilientDatabase {
  db: Database;
  /** Most requests this Database had in flight at once. */
  peakInFlight(): number;
}

/** The Database with the in-flight cap, throttling retries and add read-back (module header). */
export function withResilience(
  db: Database,
  options: Partial<ResilienceOptions> = {},
): ResilientDatabase {
  const opts = { ...DEFAULT_RESILIENCE, ...options };
  const slots = new Slots(opts.maxInFlight);
  const proxied = new Proxy(db, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (prop !== 'collection' || typeof value !== 'function') return value;
      return (name: string) =>
        wrap(
          (value as (n: string) => object).call(obj, name),
          { db: obj, name, slots, options: opts },
          false,
        );
    },
  });
  return { db: proxied, peakInFlight: () => slots.peak };
}
