/** Opens the embedded SQLite database (WAL mode) and brings its schema up to date. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** The database could not be opened or migrated; the message says why, for a person. */
export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
}

export interface OpenOptions {
  /**
   * false: this connection never checkpoints the WAL on commit (wal_autocheckpoint 0); another
   * process does it on a timer (startWalCheckpoints). The host's serving workers open this way:
   * an automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, writing them
   * back and syncing the file while every request queued in that worker waits.
   */
  autoCheckpoint?: boolean;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  let db: Db | undefined;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (opts.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
    // A WAL that SQLite starts over is cut back to this size (startWalCheckpoints).
    db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof StorageOpenError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new StorageOpenError(`cannot open database ${file}: ${why}`);
  }
}

/** Applies the migrations newer than the file's user_version, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StorageOpenError(
      `database schema version ${current} is newer than this code knows (${MIGRATIONS.length}); upgrade the code or use another DATA_DIR`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export interface WalCheckpoints {
  /**
   * One checkpoint now: PASSIVE, then TRUNCATE when the WAL file is over its limit. Frames: the
   * WAL's frames in all, and how many are now in the database file (before any truncation);
   * truncated: the WAL file was emptied.
   */
  once(): { frames: number; checkpointed: number; truncated: boolean };
  stop(): void;
}

/**
 * The WAL file's size past which the checkpointer resets it (64 MB). A PASSIVE checkpoint copies
 * frames back but never shrinks the file, and SQLite starts the log over only when a write begins
 * with every frame copied and no reader still on the log: under steady writes and reads from
 * other processes that moment rarely comes, and the file grew to 210 MB in 4 minutes of the soak
 * (docs/reliability.md). Every connection also sets `journal_size_limit` to this, so a log
 * SQLite does start over is cut back to it.
 */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/** The longest the checkpointer's TRUNCATE waits for the write lock and for readers (busy timeout). */
export const TRUNCATE_WAIT_MS = 100;

/**
 * Checkpoints the WAL of `file` every `everyMs` on a connection of its own, in PASSIVE mode:
 * it copies what no reader still needs and never waits for, or blocks, readers and writers.
 * When the WAL file is over `walLimitBytes`, it then tries a TRUNCATE checkpoint, which empties
 * the file once every reader has moved past the log. It waits at most TRUNCATE_WAIT_MS for the
 * write lock and for the readers (then answers busy, and the next tick tries again), so writers
 * wait at most that long, once a second while the file is over the limit. With no wait at all it
 * hardly ever found a moment free of writers at 300 requests a second: the WAL reached 131 MB.
 * Run by the host's primary process for the workers that open with autoCheckpoint false.
 */
export function startWalCheckpoints(
  file: string,
  everyMs = 1000,
  walLimitBytes = WAL_LIMIT_BYTES,
): WalCheckpoints {
  const db = openDatabase(file);
  db.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`);
  const checkpoint = (mode: 'PASSIVE' | 'TRUNCATE') => {
    const [row] = db.pragma(`wal_checkpoint(${mode})`) as Array<{
      busy: number;
      log: number;
      checkpointed: number;
    }>;
    return row;
  };
  const walBytes = (): number => {
    try {
      return fs.statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  };
  const once = () => {
    const row = checkpoint('PASSIVE');
    let truncated = false;
    if (walBytes() > walLimitBytes) {
      try {
        truncated = checkpoint('TRUNCATE').busy === 0;
      } catch {
        // SQLITE_BUSY as an error (another checkpoint running): the next tick tries again.
      }
    }
    return { frames: row.log, checkpointed: row.checkpointed, truncated };
  };
  const timer = setInterval(() => {
    try {
      once();
    } catch {
      // A failed checkpoint (disk trouble) leaves the WAL to grow until the next one; the writes themselves are unaffected.
    }
  }, everyMs);
  timer.unref();
  let stopped = false;
  return {
    once,
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      db.close();
    },
  };
}
