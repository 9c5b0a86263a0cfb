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

export function openDatabase(file: string): Db {
  let db: Db | undefined;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
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
