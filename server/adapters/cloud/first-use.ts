/**
 * Collections created on first use. On WeChat cloud a request to a collection that does not
 * exist fails (DATABASE_COLLECTION_NOT_EXIST, errCode -502005), so a fresh environment would
 * fail until every collection was created by hand. This wraps the SDK's Database so that:
 * - a write (add, set, update, remove) that fails because its collection is missing creates the
 *   collection (`db.createCollection`, sent as `database.addCollection`) and is retried once;
 * - a read (get, count, aggregate end) of a missing collection answers empty, creating nothing;
 * - a runTransaction that fails that way creates the collections it touched and runs again.
 *
 * Why on first use rather than an ensure step at deploy or cold start: it needs no ordering
 * between functions (a user can track before the training timer ever ran), costs nothing once
 * the collection exists (no extra call per cold start), and is safe under concurrent cold starts:
 * creation is idempotent here (an "already exists" answer from a racing instance counts as
 * success), concurrent calls in one instance share one create, and the write itself is only
 * retried after the collection exists, so no write is lost or doubled (a failed request on a
 * missing collection wrote nothing).
 *
 * Only declared collections (collections.ts) are created, so a typo cannot create a new one.
 */
import { isDeclaredCollection } from './collections';
import type { Database } from './sdk';

/** wx-server-sdk maps the service code DATABASE_COLLECTION_NOT_EXIST to this errCode. */
export const COLLECTION_NOT_EXIST = -502005;

type SdkError =
  { errCode?: unknown; errMsg?: unknown; message?: unknown; code?: unknown } | null | undefined;

function text(err: unknown): string {
  const e = err as SdkError;
  if (!e) return '';
  return [e.errMsg, e.message, e.code].filter((x) => typeof x === 'string').join(' ');
}

/**
 * The service's "collection does not exist" error. The errCode is the SDK's own mapping
 * (TCB_ERR_CODE.DATABASE_COLLECTION_NOT_EXIST); the texts are variants seen in its errMsg
 * ("database collection not exists" from the SDK's table, the service code, and the
 * service message "Db or Table not exist").
 */
export function isCollectionMissing(err: unknown): boolean {
  const e = err as SdkError;
  if (e && e.errCode === COLLECTION_NOT_EXIST) return true;
  return /DATABASE_COLLECTION_NOT_EXIST|database collection not exists?|Db or Table not exist/i.test(
    text(err),
  );
}

/**
 * The answer to creating a collection that exists. The SDK has no errCode for the service code
 * DATABASE_COLLECTION_ALREADY_EXIST: it arrives as -1 from wx-server-sdk 4.0.2's createCollection
 * (or SYS_ERR -501001, as public reports show), so only the text tells it apart (e.g.
 * "[ResourceUnavailable.ResourceExist] Table exist."); those errCodes are shared by every
 * unknown failure and are not trusted alone.
 */
export function isCollectionExists(err: unknown): boolean {
  return /DATABASE_COLLECTION_ALREADY_EXIST|ResourceExist|Table exist|collection already exists?/i.test(
    text(err),
  );
}

const READS: Record<string, (apiName: string) => unknown> = {
  get: () => ({ data: [], errMsg: 'collection.get:ok' }),
  count: () => ({ total: 0, errMsg: 'collection.count:ok' }),
  end: () => ({ list: [], errMsg: 'collection.aggregate:ok' }),
};
const WRITES = new Set(['add', 'set', 'update', 'remove']);

export interface FirstUseOptions {
  /** Called after this instance created a collection (or found it created by another), for logs. */
  onCreated?: (name: string, by: 'this' | 'another') => void;
}

/** Creates collections for one Database: one create in flight per name. */
class Creator {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly options: FirstUseOptions,
  ) {}

  ensure(name: string): Promise<void> {
    let p = this.inFlight.get(name);
    if (!p) {
      p = this.create(name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, p);
    }
    return p;
  }

  private async create(name: string): Promise<void> {
    try {
      await this.db.createCollection(name);
      this.options.onCreated?.(name, 'this');
    } catch (err) {
      if (!isCollectionExists(err)) throw err;
      this.options.onCreated?.(name, 'another');
    }
  }
}

const isThenable = (v: unknown): v is Promise<unknown> =>
  !!v && typeof (v as { then?: unknown }).then === 'function';

/** Wraps a query-builder object so its terminal calls handle a missing collection. */
function wrap<T extends object>(target: T, name: string, creator: Creator, viaDoc: boolean): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const call = (): unknown => fn.apply(obj, args);
        const first = call();
        if (WRITES.has(prop) && isThenable(first)) {
          return first.catch(async (err: unknown) => {
            if (!isCollectionMissing(err)) throw err;
            // Retried even when the create failed in an unrecognised way (another instance may
            // have created it); if the collection is still missing, the create's error says why.
            const createError = await creator.ensure(name).then(
              () => null,
              (e: unknown) => e,
            );
            try {
              return await call();
            } catch (again) {
              throw createError && isCollectionMissing(again) ? createError : again;
            }
          });
        }
        const empty = READS[prop];
        if (empty && !viaDoc && isThenable(first)) {
          return first.catch((err: unknown) => {
            if (!isCollectionMissing(err)) throw err;
            return empty(prop);
          });
        }
        // Builders (where, orderBy, limit, doc, aggregate stages…) return new objects: keep wrapping.
        if (first && typeof first === 'object' && !isThenable(first))
          return wrap(first, name, creator, viaDoc || prop === 'doc');
        return first;
      };
    },
  });
}

type TransactionCallback = (transaction: object) => unknown;
type RunTransaction = (callback: TransactionCallback, times?: number) => Promise<unknown>;

/**
 * db.runTransaction: a transaction that fails because a collection it touched is missing (the
 * error does not reliably name the collection) creates every declared collection the callback
 * touched and runs again, as the SDK itself reruns a callback after a conflict. Nothing of a
 * failed transaction was committed. (startTransaction, the manual form, is not covered.)
 */
function wrapRunTransaction(run: RunTransaction, db: Database, creator: Creator): RunTransaction {
  return async (callback, times) => {
    const touched = new Set<string>();
    const recording: TransactionCallback = (tx) =>
      callback(
        new Proxy(tx, {
          get(obj, prop) {
            const value = Reflect.get(obj, prop, obj) as unknown;
            if (typeof value !== 'function') return value;
            if (prop !== 'collection') return (value as (...a: unknown[]) => unknown).bind(obj);
            return (name: string) => {
              touched.add(name);
              return (value as (n: string) => unknown).call(obj, name);
            };
          },
        }),
      );
    const ensured = new Set<string>();
    // A rerun can reach a collection the failed run never got to: go on while each failure
    // names new collections (at most once per declared collection).
    for (;;) {
      try {
        return await run.call(db, recording, times);
      } catch (err) {
        const names = [...touched].filter((n) => isDeclaredCollection(n) && !ensured.has(n));
        if (!isCollectionMissing(err) || names.length === 0) throw err;
        for (const n of names) ensured.add(n);
        await Promise.all(names.map((n) => creator.ensure(n).catch(() => undefined)));
      }
    }
  };
}

/** The Database with first-use creation of declared collections (see the module header). */
export function withCollectionsOnFirstUse(db: Database, options: FirstUseOptions = {}): Database {
  const creator = new Creator(db, options);
  return new Proxy(db, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'runTransaction')
        return wrapRunTransaction(value as RunTransaction, obj, creator);
      if (prop !== 'collection') return value;
      return (name: string) => {
        const coll = (value as (n: string) => object).call(obj, name);
        return isDeclaredCollection(name) ? wrap(coll, name, creator, false) : coll;
      };
    },
  });
}
