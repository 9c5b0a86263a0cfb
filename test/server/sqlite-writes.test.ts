/**
 * SQLite writes while another process holds the write lock (the host's workers share one
 * database): the slate log's group commit and counter adds wait without stalling the event
 * loop and land once the lock is free; a lock held past the timeout is a clear error. And the
 * workers' connections leave WAL checkpoints to the primary's timer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStoresAt, type WalCheckpoints } from '../../server/adapters/sqlite';
import {
  openDatabase,
  startWalCheckpoints,
  WAL_LIMIT_BYTES,
} from '../../server/adapters/sqlite/db';
import { writeSoon } from '../../server/adapters/sqlite/write-soon';
import type { ServedSlate, Stores } from '../../server/ports';

const slate = (slateId: string): ServedSlate => ({
  slateId,
  openid: 'u1',
  servedAt: 1000,
  modelVersion: null,
  variant: null,
  personalised: true,
  scene: null,
  cards: [{ position: 0, itemId: `it-${slateId}`, score: 0.5, propensity: 1 }],
});

/** Turns of the event loop that ran while `p` was pending. */
async function turnsWhile<T>(p: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const value = await p;
  done = true;
  return { value, turns };
}

describe("SQLite writes under another process's write lock", () => {
  let dir: string;
  let file: string;
  let stores: Stores;
  let other: Database.Database;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-writes-'));
    file = path.join(dir, 'db.sqlite');
    stores = openSqliteStoresAt(file, path.join(dir, 'blobs'), { autoCheckpoint: false });
    other = new Database(file);
    other.pragma('busy_timeout = 0');
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Holds the write lock on the other connection for `ms`. */
  const holdLock = (ms: number) => {
    other.exec('BEGIN IMMEDIATE');
    setTimeout(() => other.exec('COMMIT'), ms);
  };

  it("the slate log's batch waits for the lock while the event loop keeps turning, then every slate lands", async () => {
    holdLock(60);
    const started = Date.now();
    const { value, turns } = await turnsWhile(
      Promise.all([stores.slates.append(slate('a')), stores.slates.append(slate('b'))]),
    );
    expect(value).toEqual([true, true]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    // SQLite's own busy handler would have slept the thread: no turn could have run meanwhile.
    expect(turns).toBeGreaterThan(5);
    expect((await stores.slates.get(['a', 'b'])).map((s) => s.slateId).sort()).toEqual(['a', 'b']);
    // Slates appended while a batch waits go into the next batch, and land too.
    holdLock(30);
    const first = stores.slates.append(slate('c'));
    await new Promise((r) => setTimeout(r, 5));
    const second = stores.slates.append(slate('d'));
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(await stores.slates.get(['c', 'd'])).toHaveLength(2);
  });

  it('counter adds (guarded ones too) wait the same way and apply once', async () => {
    holdLock(40);
    const { value, turns } = await turnsWhile(
      Promise.all([
        stores.counters.add([{ scope: 's', id: 'x', bucket: 'b', field: 'n', by: 2 }]),
        stores.counters.addIf(
          { scope: 's', id: 'x', bucket: 'b' },
          { n: 3 },
          { field: 'n', max: 5 },
        ),
      ]),
    );
    expect(value).toEqual([[2], true]);
    expect(turns).toBeGreaterThan(5);
    expect(await stores.counters.read('s', ['x'], 'b')).toEqual({ x: { n: 5 } });
  });

  it('gives up with SQLITE_BUSY once the lock is held past the timeout, having written nothing', async () => {
    other.exec('BEGIN IMMEDIATE');
    const db = openDatabase(file);
    try {
      const insert = db.prepare(
        'INSERT INTO counters (scope, id, bucket, field, value) VALUES (?, ?, ?, ?, ?)',
      );
      const tx = db.transaction(() => insert.run('s', 'y', 'b', 'n', 1));
      await expect(writeSoon(db, tx, [], 30)).rejects.toMatchObject({
        code: 'SQLITE_BUSY',
        message: expect.stringMatching(/write lock/),
      });
      other.exec('COMMIT');
      expect(db.prepare("SELECT COUNT(*) FROM counters WHERE id = 'y'").pluck().get()).toBe(0);
      // The connection's own busy timeout is back for everything else.
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it("a worker connection never checkpoints on commit; the primary's checkpoint copies the whole WAL back", async () => {
    let checkpoints: WalCheckpoints | undefined;
    try {
      const worker = openDatabase(file, { autoCheckpoint: false });
      expect(worker.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      worker.close();
      for (let k = 0; k < 300; k++)
        await stores.slates.append({
          ...slate(`s${k}`),
          cards: Array.from({ length: 40 }, (_, p) => ({
            position: p,
            itemId: `item-${k}-${p}`,
            score: 0.5,
            propensity: 1,
          })),
        });
      // Past the 1,000 pages an automatic checkpoint would have started from.
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1000 * 4096);
      checkpoints = startWalCheckpoints(file, 60_000);
      const done = checkpoints.once();
      expect(done.frames).toBeGreaterThan(1000);
      expect(done.checkpointed).toBe(done.frames);
    } finally {
      checkpoints?.stop();
    }
  });

  it('the checkpointer empties a WAL over its limit once no reader is on it, and waits for one only briefly', async () => {
    let checkpoints: WalCheckpoints | undefined;
    const reader = new Database(file);
    try {
      const fill = async (from: number) => {
        for (let k = from; k < from + 100; k++)
          await stores.slates.append({
            ...slate(`s${k}`),
            cards: Array.from({ length: 40 }, (_, p) => ({
              position: p,
              itemId: `item-${k}-${p}`,
              score: 0.5,
              propensity: 1,
            })),
          });
      };
      await fill(0);
      const wal = () => fs.statSync(`${file}-wal`).size;
      const limit = 256 * 1024;
      expect(wal()).toBeGreaterThan(limit);
      // A reader in the middle of a read transaction on the log's current snapshot.
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM slates').pluck().get();
      await fill(100);
      const before = wal();
      checkpoints = startWalCheckpoints(file, 60_000, limit);
      const started = Date.now();
      const blocked = checkpoints.once();
      // It gave up after its short wait, not the writers' 5 s.
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(blocked.truncated).toBe(false);
      expect(wal()).toBeGreaterThanOrEqual(before);
      reader.exec('COMMIT');
      const done = checkpoints.once();
      expect(done.truncated).toBe(true);
      expect(wal()).toBe(0);
      // Nothing was lost, and writes go on into the emptied log.
      await stores.slates.append(slate('after'));
      expect(reader.prepare('SELECT COUNT(*) FROM slates').pluck().get()).toBe(201);
      // Under the limit, the file is left as it is (a PASSIVE checkpoint only).
      const under = wal();
      expect(under).toBeGreaterThan(0);
      expect(under).toBeLessThan(limit);
      expect(checkpoints.once().truncated).toBe(false);
      expect(wal()).toBe(under);
    } finally {
      reader.close();
      checkpoints?.stop();
    }
  });

  it('every connection caps the WAL that SQLite starts over at the limit (journal_size_limit)', () => {
    const db = openDatabase(file, { autoCheckpoint: false });
    try {
      expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_LIMIT_BYTES);
    } finally {
      db.close();
    }
  });
});
