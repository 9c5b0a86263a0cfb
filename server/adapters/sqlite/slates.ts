/** SlateLog over SQLite: one row per slate, the slate as JSON. */
import type { ServedSlate, SlateLog } from '../../ports/slates';
import type { Db } from './db';
import { placeholders, prepared } from './statements';

export class SqliteSlateLog implements SlateLog {
  private readonly insert;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO slates (slate_id, openid, served_at, doc) VALUES (?, ?, ?, ?)');
  }

  async append(slate: ServedSlate): Promise<boolean> {
    return this.insert.run(slate.slateId, slate.openid, slate.servedAt, JSON.stringify(slate)).changes === 1;
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
    const docs = prepared(db, `SELECT doc FROM ${table} WHERE ${key} IN (${placeholders(chunk.length)})`).pluck().all(...chunk) as string[];
    for (const d of docs) out.push(JSON.parse(d) as T);
  }
  return out;
}
