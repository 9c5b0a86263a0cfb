/** The storage contract against the embedded adapter (SQLite file + local blob files). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStoresAt, StorageOpenError } from '../../server/adapters/sqlite';
import { openTempSqliteStores } from '../helpers/sqlite-stores';
import { describeLearningContract } from './learning-contract';
import { describeStoresContract } from './stores-contract';

describeStoresContract('sqlite', openTempSqliteStores);
describeLearningContract('sqlite', openTempSqliteStores);

describe('sqlite adapter: opening', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-open-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a file that is not a database with a clear error', () => {
    const file = path.join(dir, 'garbage.sqlite');
    fs.writeFileSync(file, Buffer.alloc(4096, 7));
    expect(() => openSqliteStoresAt(file, path.join(dir, 'b'))).toThrow(StorageOpenError);
    expect(() => openSqliteStoresAt(file, path.join(dir, 'b'))).toThrow(
      /cannot open database .*garbage\.sqlite/,
    );
  });

  it('refuses a database from a newer schema version', async () => {
    const file = path.join(dir, 'newer.sqlite');
    const s = openSqliteStoresAt(file, path.join(dir, 'b'));
    await s.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openSqliteStoresAt(file, path.join(dir, 'b'))).toThrow(
      /newer than this code knows/,
    );
  });

  it('keeps data across reopen and migrates idempotently', async () => {
    const file = path.join(dir, 'keep.sqlite');
    const a = openSqliteStoresAt(file, path.join(dir, 'b'));
    await a.counters.add([{ scope: 's', id: 'i', bucket: 'b', field: 'f', by: 2 }]);
    await a.close();
    const b = openSqliteStoresAt(file, path.join(dir, 'b'));
    expect(await b.counters.read('s', ['i'], 'b')).toEqual({ i: { f: 2 } });
    await b.close();
  });
});
