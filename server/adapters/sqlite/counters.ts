/** Counters over SQLite: one row per (scope, bucket, id, field), incremented with an upsert. */
import type { CounterDelta, Counters, CounterValues } from '../../ports';
import type { Db } from './db';

export class SqliteCounters implements Counters {
  private readonly upsert;
  private readonly addAll;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    this.upsert = db
      .prepare(
        `INSERT INTO counters (scope, id, bucket, field, value) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope, bucket, id, field) DO UPDATE SET value = value + excluded.value
         RETURNING value`,
      )
      .pluck();
    this.addAll = db.transaction((deltas: CounterDelta[]) =>
      deltas.map((d) => this.upsert.get(d.scope, d.id, d.bucket, d.field, d.by) as number),
    );
  }

  async add(deltas: CounterDelta[]): Promise<number[]> {
    for (const d of deltas) {
      if (!Number.isFinite(d.by)) throw new Error(`counter delta must be finite: ${d.scope}/${d.id}/${d.field}`);
    }
    return this.addAll.immediate(deltas);
  }

  async read(scope: string, ids: string[], bucket: string): Promise<Record<string, CounterValues>> {
    const out: Record<string, CounterValues> = {};
    // Chunked to stay under SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT id, field, value FROM counters WHERE scope = ? AND bucket = ? AND id IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(scope, bucket, ...chunk) as { id: string; field: string; value: number }[];
      for (const r of rows) (out[r.id] ??= {})[r.field] = r.value;
    }
    return out;
  }
}
