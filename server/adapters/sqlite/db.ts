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
  /** One passive checkpoint now: WAL frames in all, and how many are now in the database file. */
  once(): { frames: number; checkpointed: number };
  stop(): void;
}

/**
 * Checkpoints the WAL of `file` every `everyMs` on a connection of its own, in PASSIVE mode:
 * it copies what no reader still needs and never waits for, or blocks, readers and writers.
 * Run by the host's primary process for the workers that open with autoCheckpoint false.
 */
export function startWalCheckpoints(file: string, everyMs = 1000): WalCheckpoints {
  const db = openDatabase(file);
  const once = () => {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{
      busy: number;
      log: number;
      checkpointed: number;
    }>;
    return { frames: row.log, checkpointed: row.checkpointed };
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
