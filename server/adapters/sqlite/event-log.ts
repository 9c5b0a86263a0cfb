/** EventLog over SQLite: UNIQUE (openid, event_id) makes appends idempotent, seq orders reads. */
import type { AppendResult, CounterDelta, EventLog, EventPage, StoredEvent } from '../../ports';
import { checkDelta, prepareCounterUpsert } from './counters';
import type { Db } from './db';
import { failpointSync } from '../failpoints';

interface Row {
  seq: number;
  openid: string;
  event_id: string;
  type: StoredEvent['type'];
  server_time: number;
  client_time: number;
  clock_skewed: number;
  session_id: string;
  page: string;
  item_id: string | null;
  ad_id: string | null;
  slate_id: string | null;
  position: number | null;
  variant: string | null;
  props: string;
}

function fromRow(r: Row): StoredEvent {
  const e: StoredEvent = {
    openid: r.openid,
    eventId: r.event_id,
    type: r.type,
    serverTime: r.server_time,
    clientTime: r.client_time,
    clockSkewed: r.clock_skewed === 1,
    sessionId: r.session_id,
    page: r.page,
    props: JSON.parse(r.props) as StoredEvent['props'],
  };
  if (r.item_id !== null) e.itemId = r.item_id;
  if (r.ad_id !== null) e.adId = r.ad_id;
  if (r.slate_id !== null) e.slateId = r.slate_id;
  if (r.position !== null) e.position = r.position;
  if (r.variant !== null) e.variant = r.variant;
  return e;
}

export class SqliteEventLog implements EventLog {
  private readonly insert;
  private readonly page;
  private readonly count;
  private readonly appendAll;
  private readonly appendWithCounters: {
    immediate(
      events: StoredEvent[],
      deltasOf: (inserted: StoredEvent[]) => CounterDelta[],
    ): AppendResult;
  };

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO events (openid, event_id, type, server_time, client_time, clock_skewed, session_id,
         page, item_id, ad_id, slate_id, position, variant, props)
       VALUES (@openid, @eventId, @type, @serverTime, @clientTime, @clockSkewed, @sessionId,
         @page, @itemId, @adId, @slateId, @position, @variant, @props)`,
    );
    this.page = db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.count = db.prepare('SELECT COUNT(*) AS n FROM events WHERE openid = ?').pluck();
    this.appendAll = db.transaction((events: StoredEvent[]): AppendResult => {
      const result: AppendResult = { inserted: [], duplicates: [] };
      for (const e of events) {
        const info = this.insert.run({
          openid: e.openid,
          eventId: e.eventId,
          type: e.type,
          serverTime: e.serverTime,
          clientTime: e.clientTime,
          clockSkewed: e.clockSkewed ? 1 : 0,
          sessionId: e.sessionId,
          page: e.page,
          itemId: e.itemId ?? null,
          adId: e.adId ?? null,
          slateId: e.slateId ?? null,
          position: e.position ?? null,
          variant: e.variant ?? null,
          props: JSON.stringify(e.props),
        });
        (info.changes === 1 ? result.inserted : result.duplicates).push(e.eventId);
      }
      return result;
    });
    const upsertCounter = prepareCounterUpsert(db);
    // The events and the counts of those inserted commit together (the inner transaction is a savepoint).
    this.appendWithCounters = db.transaction(
      (
        events: StoredEvent[],
        deltasOf: (inserted: StoredEvent[]) => CounterDelta[],
      ): AppendResult => {
        failpointSync('sqlite.events.append');
        const result = this.appendAll(events);
        // Events inserted, counters not yet: a kill here must leave neither (one transaction).
        failpointSync('sqlite.events.counted');
        const fresh = new Set(result.inserted);
        const deltas = deltasOf(
          events.filter((e) => fresh.has(e.eventId) && fresh.delete(e.eventId)),
        );
        deltas.forEach(checkDelta);
        for (const d of deltas) upsertCounter.get(d.scope, d.id, d.bucket, d.field, d.by);
        return result;
      },
    );
  }

  async appendCounted(
    events: StoredEvent[],
    deltasOf: (inserted: StoredEvent[]) => CounterDelta[],
  ): Promise<AppendResult> {
    return this.appendWithCounters.immediate(events, deltasOf);
  }

  async finishPending(): Promise<number> {
    return 0; // appendCounted is one transaction: nothing is ever stored uncounted
  }

  async append(events: StoredEvent[]): Promise<AppendResult> {
    return this.appendAll.immediate(events);
  }

  async readForAd(
    adId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<StoredEvent[]> {
    // Served by the partial index events_by_ad (migration 5).
    const rows = this.db
      .prepare(
        'SELECT * FROM events WHERE ad_id = ? AND server_time >= ? AND server_time < ? ORDER BY server_time, seq LIMIT ?',
      )
      .all(adId, from, before, limit) as Row[];
    return rows.map(fromRow);
  }

  async readAfter(cursor: string | null, before: number, limit: number): Promise<EventPage> {
    const after = cursor === null ? 0 : Number(cursor);
    if (!Number.isSafeInteger(after) || after < 0)
      throw new Error(`invalid event cursor: ${cursor}`);
    const rows = this.page.all(after, limit) as Row[];
    // Stop at the first event not yet settled, so nothing behind it is skipped.
    const settled: Row[] = [];
    for (const r of rows) {
      if (r.server_time >= before) break;
      settled.push(r);
    }
    const last = settled[settled.length - 1];
    return { events: settled.map(fromRow), cursor: last ? String(last.seq) : cursor };
  }

  async countForUser(openid: string): Promise<number> {
    return this.count.get(openid) as number;
  }
}
