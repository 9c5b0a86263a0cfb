/** SlateLog over SQLite: one row per slate, the slate as JSON. */
import type { ServedSlate, SlateLog } from '../../ports/slates';
import type { Db } from './db';
import { placeholders, prepared } from './statements';
import { writeSoon } from './write-soon';

interface Pending {
  row: [string, string, number, string];
  resolve(inserted: boolean): void;
  reject(err: unknown): void;
}

export class SqliteSlateLog implements SlateLog {
  private readonly insertAll;
  /** Slates appended in this turn of the event loop, written together by one transaction. */
  private pending: Pending[] = [];
  /** A batch is being written (or waiting for another process's write lock): later slates form the next one. */
  private flushing = false;

  constructor(private readonly db: Db) {
    const insert = db.prepare(
      'INSERT OR IGNORE INTO slates (slate_id, openid, served_at, doc) VALUES (?, ?, ?, ?)',
    );
    this.insertAll = db.transaction((rows: Pending['row'][]) =>
      rows.map((r) => insert.run(...r).changes === 1),
    );
  }

  /**
   * Group commit: concurrent requests' slates are written in one transaction at the end of the
   * event loop's turn (one write lock and one WAL commit for all of them, not one each); each
   * promise settles once its slate is committed, so a caller answers only after that. While
   * another process holds the write lock the batch waits without blocking the event loop
   * (write-soon.ts), and the slates appended meanwhile go into the next batch.
   */
  append(slate: ServedSlate): Promise<boolean> {
    const row: Pending['row'] = [
      slate.slateId,
      slate.openid,
      slate.servedAt,
      JSON.stringify(slate),
    ];
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (this.pending.length === 1 && !this.flushing) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushing = true;
    try {
      const inserted = await writeSoon(this.db, this.insertAll, [batch.map((p) => p.row)]);
      batch.forEach((p, i) => p.resolve(inserted[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.flushing = false;
      if (this.pending.length) setImmediate(() => void this.flush());
    }
  }

  async get(slateIds: string[]): Promise<ServedSlate[]> {
    return selectDocs<ServedSlate>(this.db, 'slates', 'slate_id', slateIds);
  }
}

/** Documents of `table` whose `key` is in `ids`, chunked under SQLite's bound-parameter limit. */
export function selectDocs<T>(db: Db, table: string, key: string, ids: readonly string[]): T[] {
  const out: T[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const docs = prepared(
      db,
      `SELECT doc FROM ${table} WHERE ${key} IN (${placeholders(chunk.length)})`,
    )
      .pluck()
      .all(...chunk) as string[];
    for (const d of docs) out.push(JSON.parse(d) as T);
  }
  return out;
}
