/**
 * Counters over the cloud database: one document per (scope, id, bucket) with its fields under
 * `f`, bumped with `_.inc` (atomic per document). The first add creates the document race-safely:
 * update; if nothing was updated, insert with the fixed _id; if that insert loses the race
 * (duplicate key), update again.
 */
import type { CounterDelta, CounterKey, Counters, CounterValues } from '../../ports';
import {
  chunk,
  docId,
  isDuplicateKey,
  mapLimit,
  MAX_IN_FLIGHT,
  scalar,
  settle,
  type Database,
} from './sdk';
import { COLLECTIONS } from './collections';

export const COUNTERS = COLLECTIONS.counters.name;
/** Ids per `_.in` lookup. */
const LOOKUP = 100;
/** Field names become update paths (`f.<field>`), so they are restricted to plain identifiers. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface CounterDoc {
  _id: string;
  scope: string;
  id: string;
  bucket: string;
  f: CounterValues;
}

interface Group {
  doc: Omit<CounterDoc, 'f'>;
  inc: Map<string, number>;
}

function check(d: CounterDelta): void {
  scalar(d.scope, 'counter scope');
  scalar(d.id, 'counter id');
  scalar(d.bucket, 'counter bucket');
  if (typeof d.field !== 'string' || !FIELD.test(d.field))
    throw new TypeError(`invalid counter field: ${JSON.stringify(d.field)}`);
  if (typeof d.by !== 'number' || !Number.isFinite(d.by))
    throw new TypeError('counter increment must be a finite number');
}

function groupsOf(deltas: CounterDelta[]): Group[] {
  const groups = new Map<string, Group>();
  for (const d of deltas) {
    const _id = docId(d.scope, d.id, d.bucket);
    let g = groups.get(_id);
    if (!g)
      groups.set(
        _id,
        (g = { doc: { _id, scope: d.scope, id: d.id, bucket: d.bucket }, inc: new Map() }),
      );
    g.inc.set(d.field, (g.inc.get(d.field) ?? 0) + d.by);
  }
  return [...groups.values()];
}

/** A call id marking counter documents (`c.<callId>`): hex, so it is a plain field name. */
const CALL_ID = /^[0-9a-f]{16,64}$/;

export class CloudCounters implements Counters {
  constructor(private readonly db: Database) {}

  /**
   * Adds the deltas at most once per call on each counter document: one conditional update
   * that adds them and names the call in the document (`c.<callId>`) only where it is not named
   * yet, so running it again (a stopped call finished by the sweep, server/adapters/cloud/event-log.ts)
   * adds nothing twice, and concurrent plain `_.inc` adds never contend with it. forget() drops the
   * name once the call is finished.
   */
  async addOnce(deltas: CounterDelta[], callId: string): Promise<void> {
    if (!CALL_ID.test(callId)) throw new TypeError('invalid counting call id');
    deltas.forEach(check);
    const _ = this.db.command;
    const coll = this.db.collection(COUNTERS);
    await mapLimit(groupsOf(deltas), MAX_IN_FLIGHT, async (g) => {
      const cond = { _id: g.doc._id, [`c.${callId}`]: _.exists(false) };
      const data = {
        ...Object.fromEntries([...g.inc].map(([field, by]) => [`f.${field}`, _.inc(by)])),
        [`c.${callId}`]: true,
      };
      if ((await settle(coll.where(cond).update({ data }))).stats.updated > 0) return;
      try {
        await settle(
          coll.add({ data: { ...g.doc, f: Object.fromEntries(g.inc), c: { [callId]: true } } }),
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // It exists: created meanwhile by another add (ours goes on top), or already holding this call (nothing to do).
        await settle(coll.where(cond).update({ data }));
      }
    });
  }

  /** Drops the call's name from the counter documents of `deltas` (the call is finished). */
  async forget(deltas: CounterDelta[], callId: string): Promise<void> {
    if (!CALL_ID.test(callId)) throw new TypeError('invalid counting call id');
    const _ = this.db.command;
    await mapLimit(groupsOf(deltas), MAX_IN_FLIGHT, (g) =>
      settle(
        this.db
          .collection(COUNTERS)
          .where({ _id: g.doc._id })
          .update({ data: { [`c.${callId}`]: _.remove() } }),
      ),
    );
  }

  async add(deltas: CounterDelta[]): Promise<number[]> {
    deltas.forEach(check);
    const groups = new Map<string, Group>();
    const ids = deltas.map((d) => {
      const _id = docId(d.scope, d.id, d.bucket);
      let g = groups.get(_id);
      if (!g)
        groups.set(
          _id,
          (g = { doc: { _id, scope: d.scope, id: d.id, bucket: d.bucket }, inc: new Map() }),
        );
      g.inc.set(d.field, (g.inc.get(d.field) ?? 0) + d.by);
      return _id;
    });
    await mapLimit([...groups.values()], MAX_IN_FLIGHT, (g) => this.bump(g));

    const after = await this.fetch([...groups.keys()]);
    // The value after delta k is the read-back value minus what this call's later deltas added.
    const later = new Map<string, number>();
    const values = new Array<number>(deltas.length);
    for (let k = deltas.length - 1; k >= 0; k--) {
      const d = deltas[k];
      const key = `${ids[k]}\u0000${d.field}`;
      const doc = after.get(ids[k]);
      if (!doc) throw new Error(`counter document ${ids[k]} vanished after update`);
      values[k] = (doc.f?.[d.field] ?? 0) - (later.get(key) ?? 0);
      later.set(key, (later.get(key) ?? 0) + d.by);
    }
    return values;
  }

  /**
   * One conditional update: `where({ _id, f.<guard>: ≤ max − by or absent }).update(inc)` is
   * atomic in the database, so racing adds cannot pass the guard together. A counter not created
   * yet is inserted (when the increment alone fits); losing that insert race retries the update.
   */
  async addIf(
    counter: CounterKey,
    inc: Record<string, number>,
    guard: { field: string; max: number },
  ): Promise<boolean> {
    const entries = Object.entries(inc);
    for (const [field, by] of entries) check({ ...counter, field, by });
    check({ ...counter, field: guard.field, by: guard.max });
    const by = inc[guard.field] ?? 0;
    if (by > guard.max) return false;
    const _ = this.db.command;
    const _id = docId(counter.scope, counter.id, counter.bucket);
    const path = `f.${guard.field}`;
    const where = _.and([
      { _id },
      _.or([{ [path]: _.lte(guard.max - by) }, { [path]: _.exists(false) }]),
    ]);
    const data = Object.fromEntries(entries.map(([field, v]) => [`f.${field}`, _.inc(v)]));
    const update = async (): Promise<boolean> => {
      const res = await settle(this.db.collection(COUNTERS).where(where).update({ data }));
      return res.stats.updated > 0;
    };
    if (await update()) return true;
    try {
      await settle(
        this.db.collection(COUNTERS).add({
          data: {
            _id,
            scope: counter.scope,
            id: counter.id,
            bucket: counter.bucket,
            f: { ...inc },
          },
        }),
      );
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // It existed (or was just created by a racing add): the guard decides.
      return update();
    }
  }

  async read(scope: string, ids: string[], bucket: string): Promise<Record<string, CounterValues>> {
    scalar(scope, 'counter scope');
    scalar(bucket, 'counter bucket');
    const docIds = [...new Set(ids.map((id) => docId(scope, scalar(id, 'counter id'), bucket)))];
    const out: Record<string, CounterValues> = {};
    for (const doc of (await this.fetch(docIds)).values()) {
      if (doc.scope === scope && doc.bucket === bucket) out[doc.id] = { ...doc.f };
    }
    return out;
  }

  private async bump(g: Group): Promise<void> {
    const _ = this.db.command;
    const ref = this.db.collection(COUNTERS).doc(g.doc._id);
    const data = Object.fromEntries([...g.inc].map(([field, by]) => [`f.${field}`, _.inc(by)]));
    const first = await settle(ref.update({ data }));
    if (first.stats.updated > 0) return;
    try {
      await settle(
        this.db.collection(COUNTERS).add({ data: { ...g.doc, f: Object.fromEntries(g.inc) } }),
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Another call created it between our update and insert: our increment goes on top.
      await settle(ref.update({ data }));
    }
  }

  private async fetch(docIds: string[]): Promise<Map<string, CounterDoc>> {
    const _ = this.db.command;
    const found = new Map<string, CounterDoc>();
    // In parallel (bounded): a warm instance's popularity refresh reads every item's counters,
    // which one request after another would take N/100 round trips.
    const pages = await mapLimit(chunk(docIds, LOOKUP), MAX_IN_FLIGHT, (part) =>
      settle(
        this.db
          .collection(COUNTERS)
          .where({ _id: _.in(part) })
          .limit(part.length)
          .get(),
      ),
    );
    for (const res of pages) for (const doc of res.data as CounterDoc[]) found.set(doc._id, doc);
    return found;
  }
}
