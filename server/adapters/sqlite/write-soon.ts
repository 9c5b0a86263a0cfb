/**
 * Write transactions that do not stall the event loop while another connection holds SQLite's
 * write lock. SQLite's own busy handler (busy_timeout) sleeps the calling thread 1, 2, 5, 10 …
 * ms between tries; on the local host, where several worker processes write one database
 * (HOST_WORKERS), every such sleep holds up all the requests queued in that worker (with the
 * workers' WAL checkpoints moved to the primary, this cut the write transactions over 5 ms under
 * bench:serve's 32 clients from 10–33 per worker to 3–9: docs/benchmarks.md).
 *
 * Here the transaction is begun IMMEDIATE with busy_timeout 0, so a held lock fails at BEGIN,
 * before any work; it is then tried again on a later turn of the event loop (next turn, then
 * after 1, 2, 4 … ms, up to `timeoutMs` in all, the same 5 s the connection's busy_timeout
 * allows), and the process serves other requests meanwhile. Reads never wait for the lock (WAL).
 */
import type Database from 'better-sqlite3';
import type { Db } from './db';
import { failpointSync } from '../failpoints';

/** The connection's busy timeout (db.ts), restored after each try. */
const BUSY_TIMEOUT_MS = 5000;

const isBusy = (err: unknown): boolean => (err as { code?: string } | null)?.code === 'SQLITE_BUSY';

/** One try: the transaction with no wait for the lock; `busy` when another connection holds it. */
function tryImmediate<A extends unknown[], R>(
  db: Db,
  tx: Database.Transaction<(...args: A) => R>,
  args: A,
): { busy: true } | { busy: false; value: R } {
  // Set through db.pragma each time: SQLite applies busy_timeout when the PRAGMA is compiled, so a kept statement would not.
  db.pragma('busy_timeout = 0');
  try {
    failpointSync('sqlite.write');
    return { busy: false, value: tx.immediate(...args) };
  } catch (err) {
    if (isBusy(err)) return { busy: true };
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

const later = (attempt: number): Promise<void> =>
  new Promise((resolve) =>
    attempt === 0 ? setImmediate(resolve) : setTimeout(resolve, Math.min(2 ** (attempt - 1), 50)),
  );

/** Runs `tx` IMMEDIATE, waiting for another connection's write lock without blocking the event loop. */
export async function writeSoon<A extends unknown[], R>(
  db: Db,
  tx: Database.Transaction<(...args: A) => R>,
  args: A,
  timeoutMs = BUSY_TIMEOUT_MS,
): Promise<R> {
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    const r = tryImmediate(db, tx, args);
    if (!r.busy) return r.value;
    if (Date.now() - start >= timeoutMs)
      throw Object.assign(
        new Error('database is locked (another process held the write lock for too long)'),
        { code: 'SQLITE_BUSY' },
      );
    await later(attempt);
  }
}
