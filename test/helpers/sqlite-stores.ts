/** Opens a throwaway embedded store (SQLite file + blob folder in a temp dir) for a test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStoresAt } from '../../server/adapters/sqlite';
import type { Stores } from '../../server/ports';

export interface OpenedStores {
  stores: Stores;
  cleanup(): Promise<void>;
  /**
   * Everything the adapter holds, enumerated from the store itself (every SQLite table / every
   * cloud collection, every blob): name → each record or blob as text. For scans such as
   * "nothing left that names this user", which then cover collections added later too. The cloud
   * adapter's sealed blobs are read back with the test key (as `blob:<key>`), so the scan sees
   * what they hold; publicFiles() is what a client sees of them.
   */
  dumpAll?(): Promise<Record<string, string[]>>;
  /**
   * What any client can read without the functions: path → bytes as text. Cloud: every file in
   * the environment's storage (one bucket, 所有用户可读 for the ad images), as stored. Local
   * host: the blobs it serves at /files/uploads (the rest of DATA_DIR stays on the machine).
   */
  publicFiles?(): Promise<Record<string, string>>;
  /**
   * A token that changes whenever anything was committed or written since the previous call
   * (SQLite: another connection's PRAGMA data_version and the blob files' sizes and times; cloud:
   * the write requests sent). Cheap, so a checker dumps only when it changed (test/helpers/fuzz).
   */
  writeProbe?(): string;
}

function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? walk(path.join(dir, e.name), base)
        : [path.relative(base, path.join(dir, e.name))],
    );
}

export async function openTempSqliteStores(): Promise<OpenedStores> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-sqlite-'));
  const dbFile = path.join(dir, 'db.sqlite');
  const blobDir = path.join(dir, 'blobs');
  const stores = openSqliteStoresAt(dbFile, blobDir);
  let probe: Database.Database | undefined;
  return {
    stores,
    dumpAll: async () => {
      const db = new Database(dbFile, { readonly: true });
      try {
        const out: Record<string, string[]> = {};
        const tables = db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
          .pluck()
          .all() as string[];
        for (const t of tables)
          out[t] = (db.prepare(`SELECT * FROM "${t}"`).all() as object[]).map((r) =>
            JSON.stringify(r),
          );
        for (const f of walk(blobDir))
          out[`blob:${f}`] = [fs.readFileSync(path.join(blobDir, f)).toString('latin1')];
        return out;
      } finally {
        db.close();
      }
    },
    writeProbe: () => {
      probe ??= new Database(dbFile, { readonly: true });
      const version = probe.pragma('data_version', { simple: true }) as number;
      const files = walk(blobDir).map((f) => {
        const st = fs.statSync(path.join(blobDir, f));
        return `${f}:${st.size}:${st.mtimeMs}`;
      });
      return `${version} ${files.join(' ')}`;
    },
    publicFiles: async () => {
      const out: Record<string, string> = {};
      for (const f of walk(path.join(blobDir, 'uploads')))
        out[`uploads/${f}`] = fs.readFileSync(path.join(blobDir, 'uploads', f)).toString('latin1');
      return out;
    },
    cleanup: async () => {
      probe?.close();
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
