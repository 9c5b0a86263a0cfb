/**
 * Checkpoints and Leases over the cloud database. Both are compare-and-set on one document:
 * the first writer inserts a fixed _id (the unique index picks one winner), later writers
 * update with a condition (where rev = expected, or where the lease has expired), which the
 * service applies atomically per document.
 */
import type { Checkpoint, Checkpoints } from '../../ports/checkpoints';
import type { Lease, Leases } from '../../ports/leases';
import { docId, isDuplicateKey, scalar, settle, type Database } from './sdk';
import type { JsonDoc } from './slates';
import { COLLECTIONS } from './collections';

export const CHECKPOINTS = COLLECTIONS.checkpoints.name;
export const LEASES = COLLECTIONS.leases.name;

/** Inserts data under its _id; false when that _id exists already. */
async function insertOnce(
  db: Database,
  collection: string,
  data: Record<string, unknown>,
): Promise<boolean> {
  try {
    await settle(db.collection(collection).add({ data }));
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

export class CloudCheckpoints implements Checkpoints {
  constructor(private readonly db: Database) {}

  async get(name: string): Promise<Checkpoint | null> {
    const res = await settle(
      this.db
        .collection(CHECKPOINTS)
        .where({ _id: docId(scalar(name, 'checkpoint name')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as JsonDoc[])[0];
    return d ? (JSON.parse(d.doc) as Checkpoint) : null;
  }

  async save(next: Checkpoint, expectedRev: number): Promise<boolean> {
    if (next.rev !== expectedRev + 1) return false;
    const _id = docId(scalar(next.name, 'checkpoint name'));
    const data = { name: next.name, rev: next.rev, doc: JSON.stringify(next) };
    if (expectedRev === 0) return insertOnce(this.db, CHECKPOINTS, { _id, ...data });
    const res = await settle(
      this.db
        .collection(CHECKPOINTS)
        .where({ _id, rev: scalar(expectedRev, 'rev') })
        .update({ data }),
    );
    return res.stats.updated === 1;
  }
}

interface LeaseDoc {
  _id: string;
  name: string;
  holder: string;
  token: number;
  expiresAt: number;
}

export class CloudLeases implements Leases {
  constructor(private readonly db: Database) {}

  async acquire(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null> {
    if (!(ttlMs > 0) || !Number.isFinite(now))
      throw new RangeError('lease needs a finite now and a positive ttl');
    const _id = docId(scalar(name, 'lease name'));
    const expiresAt = now + ttlMs;
    scalar(holder, 'lease holder');
    if (await insertOnce(this.db, LEASES, { _id, name, holder, token: 1, expiresAt }))
      return { name, holder, token: 1, expiresAt };
    const _ = this.db.command;
    // Free (expired) or ours already: take it; the condition is checked and applied atomically.
    const res = await settle(
      this.db
        .collection(LEASES)
        .where(_.and([{ _id }, _.or([{ expiresAt: _.lte(now) }, { holder }])]))
        .update({ data: { holder, expiresAt, token: _.inc(1) } }),
    );
    if (res.stats.updated !== 1) return null;
    const got = await settle(this.db.collection(LEASES).where({ _id }).limit(1).get());
    const d = (got.data as LeaseDoc[])[0];
    // Someone may have taken it after our update only if our ttl already ran out.
    return d && d.holder === holder && d.expiresAt === expiresAt
      ? { name, holder, token: d.token, expiresAt }
      : null;
  }

  async release(name: string, holder: string): Promise<void> {
    await settle(
      this.db
        .collection(LEASES)
        .where({ _id: docId(scalar(name, 'lease name')), holder: scalar(holder, 'lease holder') })
        .update({ data: { expiresAt: 0 } }),
    );
  }
}
