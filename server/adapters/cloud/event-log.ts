/**
 * EventLog over the cloud database. Each event's _id is a hash of (openid, eventId), so the
 * service's unique _id index makes append idempotent even under concurrent calls: the one
 * insert that wins reports "inserted", every other one hits the duplicate-key error.
 */
import { MAX_FUNCTION_TIMEOUT_SECONDS } from '../../config';
import { badRequest } from '../../errors';
import type { AppendResult, CounterDelta, EventLog, EventPage, StoredEvent } from '../../ports';
import {
  chunk,
  docId,
  isDuplicateKey,
  mapLimit,
  MAX_GET,
  MAX_IN_FLIGHT,
  scalar,
  settle,
  type Database,
} from './sdk';
import { COLLECTIONS } from './collections';
import type { CloudCounters } from './counters';
import { randomBytes } from 'node:crypto';

export const EVENTS = COLLECTIONS.events.name;
/**
 * Events per get(), under the 1 MB result cap: the largest event (a 500-character comment,
 * up to ~2 KB of UTF-8 plus ~0.6 KB of fixed fields) times 300 stays below ~800 KB.
 */
const PAGE = 300;
/** Ids per `_.in` update. */
const LOOKUP = 100;
/**
 * How long an event may stay pending before the sweep counts it: twice the longest any function
 * may run (MAX_FUNCTION_TIMEOUT_SECONDS, which every function's configured timeout stays under),
 * so the call that stored it has stopped for good, with room for clock differences.
 */
export const PENDING_STALE_MS = 2 * MAX_FUNCTION_TIMEOUT_SECONDS * 1000;

const OPTIONAL = ['itemId', 'adId', 'slateId', 'position', 'variant'] as const;

interface EventDoc extends Omit<StoredEvent, 'props'> {
  _id: string;
  /** The call that stored it and has not counted it yet (appendCounted); absent once counted. */
  pending?: string;
  /** Props as JSON text: their keys come from the client and must not become field paths. */
  props: string;
}

function toDoc(e: StoredEvent): EventDoc {
  const doc: EventDoc = {
    _id: docId(e.openid, e.eventId),
    openid: e.openid,
    eventId: e.eventId,
    type: e.type,
    serverTime: e.serverTime,
    clientTime: e.clientTime,
    clockSkewed: e.clockSkewed,
    sessionId: e.sessionId,
    page: e.page,
    props: JSON.stringify(e.props),
  };
  for (const k of OPTIONAL) if (e[k] !== undefined) Object.assign(doc, { [k]: e[k] });
  return doc;
}

function fromDoc(d: EventDoc): StoredEvent {
  const e: StoredEvent = {
    openid: d.openid,
    eventId: d.eventId,
    type: d.type,
    serverTime: d.serverTime,
    clientTime: d.clientTime,
    clockSkewed: d.clockSkewed,
    sessionId: d.sessionId,
    page: d.page,
    props: JSON.parse(d.props) as StoredEvent['props'],
  };
  for (const k of OPTIONAL)
    if (d[k] !== undefined && d[k] !== null) Object.assign(e, { [k]: d[k] });
  return e;
}

interface Position {
  t: number;
  id: string;
}

const encodeCursor = (p: Position): string =>
  Buffer.from(JSON.stringify([p.t, p.id])).toString('base64url');

function decodeCursor(cursor: string): Position {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      Number.isFinite(v[0]) &&
      typeof v[1] === 'string' &&
      /^[0-9a-f]{40}$/.test(v[1])
    ) {
      return { t: v[0] as number, id: v[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('事件游标无效');
}

export class CloudEventLog implements EventLog {
  constructor(
    private readonly db: Database,
    private readonly counters: Pick<CloudCounters, 'addOnce' | 'forget'>,
  ) {}

  async append(events: StoredEvent[]): Promise<AppendResult> {
    return this.insert(events, null);
  }

  /** Adds each event whose _id is new; `pending` marks them as not counted yet (appendCounted). */
  private async insert(events: StoredEvent[], pending: string | null): Promise<AppendResult> {
    const coll = this.db.collection(EVENTS);
    const outcomes = await mapLimit(events, MAX_IN_FLIGHT, async (e) => {
      try {
        await settle(coll.add({ data: pending === null ? toDoc(e) : { ...toDoc(e), pending } }));
        return 'inserted' as const;
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate' as const;
        throw err;
      }
    });
    const result: AppendResult = { inserted: [], duplicates: [] };
    outcomes.forEach((o, i) =>
      (o === 'inserted' ? result.inserted : result.duplicates).push(events[i].eventId),
    );
    return result;
  }

  /**
   * Not one database transaction (every batch bumps the same hot counter documents, a popular
   * item's day or a campaign's lifetime stats, so concurrent transactions would conflict on them
   * and fail after runTransaction's retries under ordinary load). Instead each event is stored
   * with a pending mark naming this call, the call's deltas go to each counter document at most
   * once (CloudCounters.addOnce), then the marks are cleared and the call's name dropped. A call
   * that stops in between leaves its events pending; finishPending() completes it later, adding
   * only what it had not added.
   */
  async appendCounted(
    events: StoredEvent[],
    deltasOf: (inserted: StoredEvent[]) => CounterDelta[],
  ): Promise<AppendResult> {
    const callId = randomBytes(12).toString('hex');
    const result = await this.insert(events, callId);
    const fresh = new Set(result.inserted);
    const inserted = events.filter((e) => fresh.delete(e.eventId));
    if (inserted.length > 0) await this.count(inserted, deltasOf(inserted), callId);
    return result;
  }

  /**
   * Counts the events of calls that stopped between their events and their counters: events
   * pending for longer than any function runs (PENDING_STALE_MS), whole calls at a time, at most
   * `limit` calls. Returns the events counted.
   */
  async finishPending(
    now: number,
    deltasOf: (inserted: StoredEvent[]) => CounterDelta[],
    limit: number,
  ): Promise<number> {
    const _ = this.db.command;
    const coll = this.db.collection(EVENTS);
    const res = await settle(
      coll
        .where({ pending: _.exists(true), serverTime: _.lt(now - PENDING_STALE_MS) })
        .orderBy('serverTime', 'asc')
        .limit(Math.min(limit * 100, MAX_GET))
        .get(),
    );
    const calls = [...new Set((res.data as EventDoc[]).map((d) => d.pending!))].slice(0, limit);
    let counted = 0;
    for (const callId of calls) {
      // Every event of the call still pending (the deltas already added were added whole, before any mark was cleared).
      const all = await settle(
        coll
          .where({ pending: scalar(callId, 'call id') })
          .limit(MAX_GET)
          .get(),
      );
      const events = (all.data as EventDoc[]).map(fromDoc);
      if (events.length === 0) continue;
      await this.count(events, deltasOf(events), callId);
      counted += events.length;
    }
    return counted;
  }

  private async count(
    events: StoredEvent[],
    deltas: CounterDelta[],
    callId: string,
  ): Promise<void> {
    const _ = this.db.command;
    if (deltas.length > 0) await this.counters.addOnce(deltas, callId);
    for (const part of chunk(
      events.map((e) => docId(e.openid, e.eventId)),
      LOOKUP,
    )) {
      await settle(
        this.db
          .collection(EVENTS)
          .where({ _id: _.in(part) })
          .update({ data: { pending: _.remove() } }),
      );
    }
    if (deltas.length > 0) await this.counters.forget(deltas, callId);
  }

  async readAfter(cursor: string | null, before: number, limit: number): Promise<EventPage> {
    const _ = this.db.command;
    let pos = cursor === null ? null : decodeCursor(cursor);
    const events: StoredEvent[] = [];
    scalar(before, 'before');
    while (events.length < limit) {
      const upper = { serverTime: _.lt(before) };
      const cond = pos
        ? _.and([
            upper,
            _.or([{ serverTime: _.gt(pos.t) }, { serverTime: pos.t, _id: _.gt(pos.id) }]),
          ])
        : upper;
      const want = Math.min(PAGE, limit - events.length);
      const res = await settle(
        this.db
          .collection(EVENTS)
          .where(cond)
          .orderBy('serverTime', 'asc')
          .orderBy('_id', 'asc')
          .limit(want)
          .get(),
      );
      const docs = res.data as EventDoc[];
      if (docs.length === 0) break;
      events.push(...docs.map(fromDoc));
      const last = docs[docs.length - 1];
      pos = { t: last.serverTime, id: last._id };
      if (docs.length < want) break;
    }
    return { events, cursor: pos ? encodeCursor(pos) : null };
  }

  async readForAd(
    adId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<StoredEvent[]> {
    const _ = this.db.command;
    const out: StoredEvent[] = [];
    let after: Position | null = null;
    while (out.length < limit) {
      const range = {
        adId: scalar(adId, 'ad id'),
        serverTime: _.gte(scalar(from, 'from')).and(_.lt(scalar(before, 'before'))),
      };
      const cond = after
        ? _.and([
            range,
            _.or([{ serverTime: _.gt(after.t) }, { serverTime: after.t, _id: _.gt(after.id) }]),
          ])
        : range;
      const want = Math.min(PAGE, limit - out.length);
      const res = await settle(
        this.db
          .collection(EVENTS)
          .where(cond)
          .orderBy('serverTime', 'asc')
          .orderBy('_id', 'asc')
          .limit(want)
          .get(),
      );
      const docs = res.data as EventDoc[];
      out.push(...docs.map(fromDoc));
      if (docs.length < want) break;
      const last = docs[docs.length - 1];
      after = { t: last.serverTime, id: last._id };
    }
    return out;
  }

  async countForUser(openid: string): Promise<number> {
    const res = await settle(
      this.db
        .collection(EVENTS)
        .where({ openid: scalar(openid, 'openid') })
        .count(),
    );
    return res.total;
  }
}
