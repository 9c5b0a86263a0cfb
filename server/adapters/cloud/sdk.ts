/** The slice of wx-server-sdk the cloud adapter uses, with helpers over its loose typings and limits. */
import { createHash } from 'node:crypto';
import type * as WxServerSdk from 'wx-server-sdk';

export type Cloud = typeof WxServerSdk;
export type Database = ReturnType<Cloud['database']>;
export type Collection = ReturnType<Database['collection']>;
export type Query = ReturnType<Collection['where']>;

/** The service returns at most 1000 documents per get(); 100 when no limit is given. */
export const MAX_GET = 1000;
/**
 * Requests in flight per instance (resilience.ts enforces it for the whole Database; mapLimit
 * callers use it too so their workers do not just queue there). The service answers bursts with
 * EXCEED_CONCURRENT_REQUEST_LIMIT; 4 keeps a call's fan-out well under it.
 */
export const MAX_IN_FLIGHT = 4;

/** The SDK types callback-style overloads as `Promise | void | string`; we always use promises. */
export async function settle<T>(r: Promise<T> | void | string): Promise<T> {
  if (!r || typeof r === 'string' || typeof (r as Promise<T>).then !== 'function') {
    throw new Error('wx-server-sdk returned no promise');
  }
  return r;
}

/** A fixed-length document id from its key parts: hashing keeps payload text out of _id syntax. */
export function docId(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex');
}

/**
 * True for the service's duplicate-key error in each variant seen: DATABASE_REQUEST_FAILED
 * (-502001) carrying the MongoDB E11000 text, and DATABASE_DUPLICATE_WRITE, which wx-server-sdk
 * 4.0.2 does not know and surfaces as SYS_ERR (-501001) with only the service's message. Any
 * other failure of an add with an _id is settled by reading the _id back (resilience.ts).
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { errCode?: unknown; errMsg?: unknown } | null;
  return (
    !!e &&
    (e.errCode === -502001 || e.errCode === -501001) &&
    typeof e.errMsg === 'string' &&
    /E11000|duplicate key|DUPLICATE_WRITE|duplicate write/i.test(e.errMsg)
  );
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs fn over items with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Query values must be plain scalars: an object would be read by the service as an operator. */
export function scalar<T extends string | number>(value: T, what: string): T {
  const ok = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw new TypeError(`${what} must be a string or a finite number`);
  return value;
}

/**
 * Removes up to `limit` documents of `name` matching `cond`, oldest by `order` first: their ids
 * first (bounded by get()'s cap), then those ids, until none are left or the limit is reached.
 */
export async function removeWhere(
  db: Database,
  name: string,
  cond: Record<string, unknown>,
  limit: number,
  order = '_id',
): Promise<number> {
  const _ = db.command;
  let removed = 0;
  while (removed < limit) {
    const want = Math.min(limit - removed, MAX_GET);
    const res = await settle(
      db.collection(name).where(cond).orderBy(order, 'asc').field({ _id: true }).limit(want).get(),
    );
    const ids = (res.data as { _id: string }[]).map((d) => d._id);
    if (ids.length === 0) break;
    const del = await settle(
      db
        .collection(name)
        .where({ _id: _.in(ids) })
        .remove(),
    );
    removed += del.stats.removed;
    if (ids.length < want) break;
  }
  return removed;
}
