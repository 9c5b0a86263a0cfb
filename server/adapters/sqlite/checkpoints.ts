/** Checkpoints and Leases over SQLite: compare-and-set rows inside IMMEDIATE transactions. */
import type { Checkpoint, Checkpoints } from '../../ports/checkpoints';
import type { Lease, Leases } from '../../ports/leases';
import type { Db } from './db';
import { failpoint } from '../failpoints';

export class SqliteCheckpoints implements Checkpoints {
  private readonly cas;

  constructor(private readonly db: Db) {
    this.cas = db.transaction((next: Checkpoint, expectedRev: number): boolean => {
      const rev =
        (db.prepare('SELECT rev FROM checkpoints WHERE name = ?').pluck().get(next.name) as
          number | undefined) ?? 0;
      if (rev !== expectedRev || next.rev !== expectedRev + 1) return false;
      db.prepare('INSERT OR REPLACE INTO checkpoints (name, rev, doc) VALUES (?, ?, ?)').run(
        next.name,
        next.rev,
        JSON.stringify(next),
      );
      return true;
    });
  }

  async get(name: string): Promise<Checkpoint | null> {
    const doc = this.db.prepare('SELECT doc FROM checkpoints WHERE name = ?').pluck().get(name) as
      string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as Checkpoint);
  }

  async save(next: Checkpoint, expectedRev: number): Promise<boolean> {
    await failpoint('sqlite.checkpoints.save');
    // The same place for one job's checkpoint only (train, social, perf, the retention sweep …):
    // a round saves several, and a test may mean the trainer's.
    await failpoint(`sqlite.checkpoints.save.${next.name}`);
    return this.cas.immediate(next, expectedRev);
  }
}

interface LeaseRow {
  name: string;
  holder: string;
  token: number;
  expires_at: number;
}

export class SqliteLeases implements Leases {
  private readonly grab;

  constructor(private readonly db: Db) {
    this.grab = db.transaction(
      (name: string, holder: string, now: number, ttlMs: number): Lease | null => {
        const row = db.prepare('SELECT * FROM leases WHERE name = ?').get(name) as
          LeaseRow | undefined;
        if (row && row.holder !== holder && row.expires_at > now) return null;
        const lease: Lease = { name, holder, token: (row?.token ?? 0) + 1, expiresAt: now + ttlMs };
        db.prepare(
          'INSERT OR REPLACE INTO leases (name, holder, token, expires_at) VALUES (?, ?, ?, ?)',
        ).run(name, holder, lease.token, lease.expiresAt);
        return lease;
      },
    );
  }

  async acquire(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    if (!(ttlMs > 0) || !Number.isFinite(now))
      throw new RangeError('lease needs a finite now and a positive ttl');
    return this.grab.immediate(name, holder, now, ttlMs);
  }

  async release(name: string, holder: string): Promise<void> {
    this.db
      .prepare('UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?')
      .run(name, holder);
  }
}
