/**
 * An in-memory stand-in for the WeChat cloud database service: it answers the `database.*`
 * actions that @cloudbase/database sends (EJSON query/data strings) by evaluating them with
 * mingo, so the real SDK's query builder and serialisers run unchanged above it.
 */
import { EJSON } from 'bson';
import { Aggregator, find, update } from 'mingo';
import { filterFields, shapeKey, splitOr, type QueryShape } from './index-coverage';
type AnyObject = Record<string, unknown>;

/** Actions whose query the service answers through an index. */
const SHAPED = new Set([
  'database.getDocument',
  'database.calculateDocument',
  'database.modifyDocument',
  'database.removeDocument',
]);

type Doc = AnyObject & { _id: string };
export type Params = Record<string, unknown>;
/** The shape the service answers with: either data or a { code, message } error. */
export type ServiceReply = { requestId: string; data?: unknown; code?: string; message?: string };

/** Hard limits of the real service that the adapter must respect. */
export const MAX_GET_LIMIT = 1000;
export const MAX_RESULT_BYTES = 1024 * 1024;

let seq = 0;
const requestId = (): string => `mem-${++seq}`;

const fail = (code: string, message: string): ServiceReply => ({
  requestId: requestId(),
  code,
  message,
});

/**
 * The error the real service returns when an insert hits an existing _id: the Go MongoDB
 * driver's WriteException text inside a DATABASE_REQUEST_FAILED (-502001) error, e.g.
 * "[FailedOperation] multiple write errors: [{write errors: [{E11000 duplicate key error
 * collection: env.events index: _id_ dup key: { _id: "…" }}]}, {<nil>}]; ".
 */
export function duplicateKeyReply(env: string, collection: string, id: string): ServiceReply {
  return fail(
    'DATABASE_REQUEST_FAILED',
    `[FailedOperation] multiple write errors: [{write errors: [{E11000 duplicate key error collection: ${env}.${collection} index: _id_ dup key: { _id: ${JSON.stringify(id)} }}]}, {<nil>}]; `,
  );
}

/**
 * The other ways the service has answered an insert with an existing _id: the service code
 * DATABASE_DUPLICATE_WRITE, which wx-server-sdk 4.0.2 does not know and so surfaces as SYS_ERR
 * (-501001) with only the message, and an unrecognisable SYS_ERR (no useful text at all), which
 * the adapter can only tell apart by reading the _id back.
 */
export type DuplicateVariant = 'e11000' | 'duplicate-write' | 'opaque';

export function duplicateReply(
  variant: DuplicateVariant,
  env: string,
  collection: string,
  id: string,
): ServiceReply {
  if (variant === 'duplicate-write')
    return fail(
      'DATABASE_DUPLICATE_WRITE',
      `duplicate write: ${collection} _id ${JSON.stringify(id)}`,
    );
  if (variant === 'opaque') return fail('SYS_ERR', 'internal error');
  return duplicateKeyReply(env, collection, id);
}

/**
 * The service (MongoDB underneath) refuses an update whose dotted path goes through a field that
 * holds null or a scalar ("Cannot create field 'b' in element {a: null}"), where mingo would
 * build the path. Returns that error's message, or null when every path can be applied.
 */
export function unreachablePath(doc: AnyObject, data: AnyObject): string | null {
  for (const [op, fields] of Object.entries(data)) {
    if (!op.startsWith('$') || !fields || typeof fields !== 'object') continue;
    for (const path of Object.keys(fields as AnyObject)) {
      const parts = path.split('.');
      let cur: unknown = doc;
      for (let i = 0; i < parts.length - 1; i++) {
        const next = (cur as AnyObject)[parts[i]];
        if (next === undefined) break; // a missing parent is created, as the service does
        if (next === null || typeof next !== 'object') {
          return `Cannot create field '${parts[i + 1]}' in element {${parts[i]}: ${JSON.stringify(next)}}`;
        }
        cur = next;
      }
    }
  }
  return null;
}

/**
 * A request to a collection that does not exist (only when a test opts in with
 * requireCreatedCollections). The code is the service's; wx-server-sdk maps it to errCode -502005.
 * The message follows the variant public code matches on ("Db or Table not exist"); the exact
 * service wording could not be checked here.
 */
export function collectionMissingReply(collection: string): ServiceReply {
  return fail(
    'DATABASE_COLLECTION_NOT_EXIST',
    `[ResourceNotFound] Db or Table not exist: ${collection}`,
  );
}

/**
 * Creating a collection that exists. The SDK has no errCode for this code: wx-server-sdk 4.0.2's
 * createCollection surfaces it as errCode -1 with this text (the text as public code reports it
 * from the real service, there with SYS_ERR -501001).
 */
export function collectionExistsReply(collection: string): ServiceReply {
  return fail(
    'DATABASE_COLLECTION_ALREADY_EXIST',
    `[ResourceUnavailable.ResourceExist] Table exist: ${collection}`,
  );
}

const parse = (s: unknown): AnyObject =>
  typeof s === 'string' && s !== '' ? (EJSON.parse(s) as AnyObject) : {};

/** Replaces the SDK's server-date marker ({ $tcb_server_date: { offset } }) with a Date. */
function resolveServerDates(v: unknown, now: number): unknown {
  if (Array.isArray(v)) return v.map((x) => resolveServerDates(x, now));
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as AnyObject;
    if ('$tcb_server_date' in o) {
      const offset = Number((o.$tcb_server_date as AnyObject)?.offset ?? 0);
      return new Date(now + offset);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolveServerDates(x, now)]));
  }
  return v;
}

const clone = <T>(v: T): T => structuredClone(v);
const randomId = (): string =>
  Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/**
 * A transaction (db.runTransaction / startTransaction): single-document operations staged apart
 * and applied together at commit, which fails with DATABASE_TRANSACTION_CONFLICT when a document
 * it touched was written by anyone else since (the SDK's runTransaction then runs it again).
 */
interface Tx {
  /** Version of each touched document when the transaction first touched it. */
  seen: Map<string, number>;
  /** Staged documents (null: removed), by collection and id. */
  staged: Map<string, { name: string; id: string; doc: Doc | null }>;
}

const txKey = (name: string, id: string): string => `${name}\u0000${id}`;

export class MemoryDatabase {
  private collections = new Map<string, Map<string, Doc>>();
  /** Write count per document (collection and id), for transactions' conflict checks. */
  private versions = new Map<string, number>();
  private txs = new Map<string, Tx>();
  /** Injected failures: the next matching actions answer with this error instead. */
  private faults: { action: string; code: string; message: string; after: boolean }[] = [];
  /** Every action served, for tests that check how the adapter talks to the service. */
  readonly log: { action: string; collection: string; limit?: number }[] = [];
  /**
   * The shape of every filtered or sorted query served since this engine was made (reset()
   * keeps them), for the check that a declared index serves each (test/helpers/index-coverage.ts).
   */
  readonly shapes = new Map<string, QueryShape>();
  /**
   * Off by default (any request creates its collection, as before). On, it behaves like a fresh
   * WeChat cloud environment: requests to a collection not yet created (by database.addCollection
   * or createCollection here) fail with DATABASE_COLLECTION_NOT_EXIST.
   */
  private strict = false;
  /** How an insert of an existing _id is answered (see duplicateReply). */
  private duplicates: DuplicateVariant = 'e11000';

  constructor(
    readonly env = 'test-env',
    private readonly now: () => number = Date.now,
  ) {}

  reset(): void {
    this.collections.clear();
    this.versions.clear();
    this.txs.clear();
    this.faults.length = 0;
    this.log.length = 0;
    this.strict = false;
    this.duplicates = 'e11000';
  }

  /** From now until reset(), a duplicate _id is answered in this variant of the service's. */
  answerDuplicatesAs(variant: DuplicateVariant): void {
    this.duplicates = variant;
  }

  /** From now until reset(), collections must be created before use (a fresh environment). */
  requireCreatedCollections(): void {
    this.strict = true;
  }

  /** Creates a collection directly, as the console does; false when it existed. */
  createCollection(name: string): boolean {
    if (this.collections.has(name)) return false;
    this.collections.set(name, new Map());
    return true;
  }

  /** Makes the next `action` fail with a service error (e.g. a timeout), as the real service can. */
  failNext(
    action: string,
    code = 'SERVER_TIMEOUT',
    message = 'in-memory database: injected failure',
  ): void {
    this.faults.push({ action, code, message, after: false });
  }

  /**
   * Makes the next `action` run and then answer with a service error, as when the service
   * applied a request but its answer was lost (a timeout after the write).
   */
  failNextAfterApplying(
    action: string,
    code = 'SERVER_TIMEOUT',
    message = 'in-memory database: injected failure after the write',
  ): void {
    this.faults.push({ action, code, message, after: true });
  }

  /** Names of every collection the service holds (created by a first write), for scans in tests. */
  collectionNames(): string[] {
    return [...this.collections.keys()].sort();
  }

  /** A collection's documents (deep copies), for assertions. */
  dump(collection: string): Doc[] {
    return [...(this.collections.get(collection)?.values() ?? [])].map(clone);
  }

  private coll(name: string): Map<string, Doc> {
    let c = this.collections.get(name);
    if (!c) this.collections.set(name, (c = new Map()));
    return c;
  }

  private match(name: string, query: unknown): Doc[] {
    const q = parse(query);
    // Lookups by _id use the primary index, as the service does (and keep big tests fast).
    const keys = Object.keys(q);
    if (keys.length === 1 && keys[0] === '_id' && typeof q._id === 'string') {
      const doc = this.coll(name).get(q._id);
      return doc ? [doc] : [];
    }
    return find([...this.coll(name).values()], q).all() as Doc[];
  }

  handle(action: string, p: Params): ServiceReply {
    const name = String(p.collectionName ?? '');
    this.log.push({
      action,
      collection: name,
      limit: typeof p.limit === 'number' ? p.limit : undefined,
    });
    const fault = this.faults.findIndex((f) => f.action === action);
    if (fault >= 0) {
      const [f] = this.faults.splice(fault, 1);
      if (!f.after) return fail(f.code, f.message);
      this.handle(action, p);
      this.log.pop();
      return fail(f.code, f.message);
    }
    if (action === 'database.addCollection') {
      return this.createCollection(name) ? { requestId: requestId() } : collectionExistsReply(name);
    }
    if (action === 'database.startTransaction') {
      const transactionId = randomId();
      this.txs.set(transactionId, { seen: new Map(), staged: new Map() });
      return { requestId: requestId(), transactionId } as ServiceReply;
    }
    if (action === 'database.commitTransaction') return this.commit(String(p.transactionId));
    if (action === 'database.abortTransaction') {
      this.txs.delete(String(p.transactionId));
      return { requestId: requestId() };
    }
    if (this.strict && !this.collections.has(name)) return collectionMissingReply(name);
    if (p.transactionId) return this.inTransaction(action, name, p);
    if (SHAPED.has(action)) this.recordShape(action, name, p);
    switch (action) {
      case 'database.insertDocument':
        return this.insert(name, p.data as string[]);
      case 'database.getDocument':
        return this.get(name, p);
      case 'database.calculateDocument':
        return { requestId: requestId(), data: { total: this.match(name, p.query).length } };
      case 'database.modifyDocument':
        return this.modify(name, p);
      case 'database.removeDocument':
        return this.remove(name, p);
      case 'database.aggregateDocuments':
        return this.aggregate(name, p.stages as { stageKey: string; stageValue: string }[]);
      default:
        return fail(
          'DATABASE_INVALID_OPERRATOR',
          `in-memory database: unsupported action ${action}`,
        );
    }
  }

  private recordShape(action: string, name: string, p: Params): void {
    const order = parse(p.order) as Record<string, number>;
    for (const branch of splitOr(parse(p.query))) {
      const { equality, range } = filterFields(branch);
      const shape: QueryShape = {
        collection: name,
        action,
        equality: [...equality].sort(),
        range: [...range].sort(),
        sort: Object.entries(order).map(([f, d]) => [f, d < 0 ? -1 : 1]),
      };
      this.shapes.set(shapeKey(shape), shape);
    }
  }

  /** Ordered insert, like the service: stops at the first duplicate _id. */
  private insert(name: string, data: string[]): ServiceReply {
    const c = this.coll(name);
    const insertedIds: string[] = [];
    for (const s of data) {
      const doc = resolveServerDates(parse(s), this.now()) as Doc;
      if (doc._id === undefined) doc._id = randomId();
      if (c.has(doc._id)) return duplicateReply(this.duplicates, this.env, name, doc._id);
      c.set(doc._id, doc);
      this.wrote(name, doc._id);
      insertedIds.push(doc._id);
    }
    return { requestId: requestId(), data: { insertedIds } };
  }

  private get(name: string, p: Params): ServiceReply {
    const limit = Number(p.limit ?? 100);
    if (limit > MAX_GET_LIMIT)
      return fail('INVALID_PARAM', `limit ${limit} exceeds ${MAX_GET_LIMIT}`);
    let cursor = find(
      [...this.coll(name).values()],
      parse(p.query),
      p.projection ? parse(p.projection) : undefined,
    );
    if (p.order) cursor = cursor.sort(parse(p.order) as Record<string, 1 | -1>);
    const docs = cursor
      .skip(Number(p.offset ?? 0))
      .limit(limit)
      .all();
    const list = docs.map((d) => EJSON.stringify(d, { relaxed: false }));
    const bytes = list.reduce((n, s) => n + Buffer.byteLength(s), 0);
    if (bytes > MAX_RESULT_BYTES)
      return fail('DATABASE_REQUEST_FAILED', `result of ${bytes} bytes exceeds the 1 MB limit`);
    return { requestId: requestId(), data: { list } };
  }

  private modify(name: string, p: Params): ServiceReply {
    const c = this.coll(name);
    const data = resolveServerDates(parse(p.data), this.now()) as AnyObject;
    const targets = this.match(name, p.query);
    const chosen = p.multi ? targets : targets.slice(0, 1);
    let updated = 0;
    if (p.merge) {
      // The service applies a multi-document update per document; a refused one fails the request.
      for (const doc of chosen) {
        const refused = unreachablePath(doc, data);
        if (refused) return fail('DATABASE_REQUEST_FAILED', `[FailedOperation] ${refused}`);
      }
      for (const doc of chosen) {
        const next = clone(c.get(doc._id)!);
        if (update(next, data).length > 0) updated += 1;
        c.set(doc._id, next);
        this.wrote(name, doc._id);
      }
      return { requestId: requestId(), data: { updated } };
    }
    // merge: false is DocumentReference.set(): replace the whole document, upserting by _id.
    const id = String((parse(p.query) as { _id?: unknown })._id ?? '');
    const existed = c.has(id);
    c.set(id, { ...data, _id: id } as Doc);
    this.wrote(name, id);
    return existed
      ? { requestId: requestId(), data: { updated: 1 } }
      : { requestId: requestId(), data: { updated: 0, upsert_id: id } };
  }

  private remove(name: string, p: Params): ServiceReply {
    const c = this.coll(name);
    const targets = this.match(name, p.query);
    const chosen = p.multi ? targets : targets.slice(0, 1);
    for (const doc of chosen) {
      c.delete(doc._id);
      this.wrote(name, doc._id);
    }
    return { requestId: requestId(), data: { deleted: chosen.length } };
  }

  private wrote(name: string, id: string): void {
    const k = txKey(name, id);
    this.versions.set(k, (this.versions.get(k) ?? 0) + 1);
  }

  /** One single-document operation inside a transaction (the service allows no where-queries there). */
  private inTransaction(action: string, name: string, p: Params): ServiceReply {
    const tx = this.txs.get(String(p.transactionId));
    if (!tx)
      return fail(
        'DATABASE_TRANSACTION_FAIL',
        'in-memory database: unknown or finished transaction',
      );
    const current = (id: string): Doc | null => {
      const k = txKey(name, id);
      if (!tx.seen.has(k)) tx.seen.set(k, this.versions.get(k) ?? 0);
      const staged = tx.staged.get(k);
      if (staged) return staged.doc;
      const doc = this.coll(name).get(id);
      return doc ? clone(doc) : null;
    };
    const stage = (id: string, doc: Doc | null) =>
      tx.staged.set(txKey(name, id), { name, id, doc });
    if (action === 'database.insertDocument') {
      const data = p.data as string[];
      if (data.length !== 1)
        return fail(
          'DATABASE_TRANSACTION_FAIL',
          'in-memory database: one document per insert in a transaction',
        );
      const doc = resolveServerDates(parse(data[0]), this.now()) as Doc;
      if (doc._id === undefined) doc._id = randomId();
      if (current(doc._id)) return duplicateReply(this.duplicates, this.env, name, doc._id);
      stage(doc._id, doc);
      return { requestId: requestId(), data: { insertedIds: [doc._id] } };
    }
    const q = parse(p.query) as { _id?: unknown };
    if (p.multi || typeof q._id !== 'string' || Object.keys(q).length !== 1) {
      return fail(
        'DATABASE_TRANSACTION_FAIL',
        'in-memory database: only single-document operations by _id in a transaction',
      );
    }
    const id = q._id;
    switch (action) {
      case 'database.getDocument': {
        const doc = current(id);
        return {
          requestId: requestId(),
          data: { list: doc ? [EJSON.stringify(doc, { relaxed: false })] : [] },
        };
      }
      case 'database.modifyDocument': {
        const data = resolveServerDates(parse(p.data), this.now()) as AnyObject;
        const doc = current(id);
        if (!p.merge) {
          stage(id, { ...data, _id: id } as Doc);
          return {
            requestId: requestId(),
            data: doc ? { updated: 1 } : { updated: 0, upsert_id: id },
          };
        }
        if (!doc) return { requestId: requestId(), data: { updated: 0 } };
        const refused = unreachablePath(doc, data);
        if (refused) return fail('DATABASE_REQUEST_FAILED', `[FailedOperation] ${refused}`);
        const changed = update(doc, data).length > 0;
        stage(id, doc);
        return { requestId: requestId(), data: { updated: changed ? 1 : 0 } };
      }
      case 'database.removeDocument': {
        const doc = current(id);
        if (doc) stage(id, null);
        return { requestId: requestId(), data: { deleted: doc ? 1 : 0 } };
      }
      default:
        return fail(
          'DATABASE_TRANSACTION_FAIL',
          `in-memory database: ${action} is not allowed in a transaction`,
        );
    }
  }

  private commit(transactionId: string): ServiceReply {
    const tx = this.txs.get(transactionId);
    if (!tx)
      return fail(
        'DATABASE_TRANSACTION_FAIL',
        'in-memory database: unknown or finished transaction',
      );
    this.txs.delete(transactionId);
    for (const [k, v] of tx.seen)
      if ((this.versions.get(k) ?? 0) !== v)
        return fail('DATABASE_TRANSACTION_CONFLICT', 'database transaction conflict');
    for (const { name, id, doc } of tx.staged.values()) {
      if (doc) this.coll(name).set(id, doc);
      else this.coll(name).delete(id);
      this.wrote(name, id);
    }
    return { requestId: requestId() };
  }

  private aggregate(
    name: string,
    stages: { stageKey: string; stageValue: string }[],
  ): ServiceReply {
    const pipeline = stages.map((s) => ({ [s.stageKey]: EJSON.parse(s.stageValue) }));
    const out = new Aggregator(pipeline).run([...this.coll(name).values()].map(clone));
    return {
      requestId: requestId(),
      data: { list: out.map((d) => EJSON.stringify(d, { relaxed: false })) },
    };
  }
}
