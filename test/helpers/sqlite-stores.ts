/** Opens a throwaway embedded store (SQLite file + blob folder in a temp dir) for a test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStoresAt } from '../../server/adapters/sqlite';
import type { Stores } from '../../server/ports';

export interface OpenedStores {
  stores: Stores;
  cleanup(): Promise<void>;
}

export async function openTempSqliteStores(): Promise<OpenedStores> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-sqlite-'));
  const stores = openSqliteStoresAt(path.join(dir, 'db.sqlite'), path.join(dir, 'blobs'));
  return {
    stores,
    cleanup: async () => {
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
