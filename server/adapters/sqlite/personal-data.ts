/**
 * PersonalData over SQLite: the tables holding rows tied to a user, each with the column naming
 * the user and a unique key that orders its pages; chunked deletes by key, and event retention.
 */
import type { PersonalData, PersonalPage } from '../../ports/personal-data';
import type { Db } from './db';

interface Table {
  name: string;
  /** Column holding the openid. */
  user: string;
  /** Columns that, with the user column, identify a row (page order). */
  key: readonly string[];
}

/** Every table with a user column; erasure goes in this order (settings and consents last). */
export const PERSONAL_TABLES: readonly Table[] = [
  { name: 'events', user: 'openid', key: ['seq'] },
  { name: 'slates', user: 'openid', key: ['slate_id'] },
  { name: 'user_profiles', user: 'openid', key: ['openid'] },
  // Per-user counters: the track rate limit (scope "rate", id = openid) and any later ones.
  { name: 'counters', user: 'id', key: ['scope', 'bucket', 'field'] },
  { name: 'consents', user: 'openid', key: ['seq'] },
  { name: 'accounts', user: 'openid', key: ['openid'] },
];

/** Columns stored as JSON text, returned parsed in exports. */
const JSON_COLUMNS = new Set(['doc', 'props']);

function table(name: string): Table {
  const t = PERSONAL_TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`not a personal-data collection: ${name}`);
  return t;
}

function decodeCursor(cursor: string | null, width: number): unknown[] | null {
  if (cursor === null) return null;
  const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Array.isArray(v) || v.length !== width || !v.every((x) => typeof x === 'string' || typeof x === 'number')) {
    throw new Error('invalid personal-data cursor');
  }
  return v;
}

export class SqlitePersonalData implements PersonalData {
  readonly collections = PERSONAL_TABLES.map((t) => t.name);

  constructor(private readonly db: Db) {}

  async read(collection: string, openid: string, cursor: string | null, limit: number): Promise<PersonalPage> {
    const t = table(collection);
    const keys = t.key.join(', ');
    const after = decodeCursor(cursor, t.key.length);
    const where = after ? `AND (${keys}) > (${t.key.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(`SELECT * FROM ${t.name} WHERE ${t.user} = ? ${where} ORDER BY ${keys} LIMIT ?`)
      .all(openid, ...(after ?? []), limit) as Record<string, unknown>[];
    const records = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, JSON_COLUMNS.has(k) && typeof v === 'string' ? JSON.parse(v) : v])),
    );
    const last = rows[rows.length - 1];
    const next = last && rows.length === limit ? Buffer.from(JSON.stringify(t.key.map((k) => last[k]))).toString('base64url') : null;
    return { records, cursor: next };
  }

  async erase(collection: string, openid: string, limit: number): Promise<number> {
    const t = table(collection);
    const keys = t.key.join(', ');
    const sql = `DELETE FROM ${t.name} WHERE ${t.user} = ? AND (${keys}) IN (SELECT ${keys} FROM ${t.name} WHERE ${t.user} = ? LIMIT ?)`;
    return this.db.prepare(sql).run(openid, openid, limit).changes;
  }

  async eventCounts(openid: string): Promise<Record<string, number>> {
    const rows = this.db.prepare('SELECT type, COUNT(*) AS n FROM events WHERE openid = ? GROUP BY type').all(openid) as { type: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  }

  async purgeEventsBefore(cutoff: number, limit: number): Promise<number> {
    // Events are appended in server-time order, so the oldest come first by seq: no time index needed.
    const sql = 'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE server_time < ? ORDER BY seq LIMIT ?)';
    return this.db.prepare(sql).run(cutoff, limit).changes;
  }

  async purgeCountersBefore(scope: string, bucket: string, limit: number): Promise<number> {
    // A range of the primary key (scope, bucket, id, field): no scan of other scopes.
    const sql = `DELETE FROM counters WHERE (scope, bucket, id, field) IN
      (SELECT scope, bucket, id, field FROM counters WHERE scope = ? AND bucket < ? ORDER BY bucket LIMIT ?)`;
    return this.db.prepare(sql).run(scope, bucket, limit).changes;
  }
}
