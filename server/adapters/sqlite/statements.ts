/**
 * Prepared statements kept per database and SQL text: compiling a statement costs more than
 * running it for the small reads a request makes, and IN-lists come in a bounded number of
 * lengths (chunks of at most 500), so each shape is compiled once.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db';

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

export function prepared(db: Db, sql: string): Database.Statement {
  let byText = cache.get(db);
  if (!byText) cache.set(db, (byText = new Map()));
  let st = byText.get(sql);
  if (!st) byText.set(sql, (st = db.prepare(sql)));
  return st;
}

/** "?,?,…" for an IN-list of n values. */
export const placeholders = (n: number): string => (n === 1 ? '?' : `?${',?'.repeat(n - 1)}`);
