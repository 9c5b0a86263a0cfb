/** ExperimentStore over SQLite: one row per experiment, the definition as JSON, writes compare-and-set on version. */
import type { Experiment, ExperimentStatus } from '../../engine/experiments/definition';
import type { ExperimentStore } from '../../ports';
import type { Db } from './db';

export class SqliteExperimentStore implements ExperimentStore {
  constructor(private readonly db: Db) {}

  async create(e: Experiment): Promise<boolean> {
    const res = this.db
      .prepare(
        'INSERT OR IGNORE INTO experiments (id, merchant_id, status, created_at, version, doc) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(e.id, e.merchantId, e.status, e.createdAt, e.version, JSON.stringify(e));
    return res.changes === 1;
  }

  async get(id: string): Promise<Experiment | null> {
    const doc = this.db.prepare('SELECT doc FROM experiments WHERE id = ?').pluck().get(id) as
      string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as Experiment);
  }

  async list(filter: {
    merchantId?: string | null;
    status?: ExperimentStatus;
  }): Promise<Experiment[]> {
    const where: string[] = [];
    const args: (string | null)[] = [];
    if (filter.merchantId === null) where.push('merchant_id IS NULL');
    else if (filter.merchantId !== undefined) {
      where.push('merchant_id = ?');
      args.push(filter.merchantId);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      args.push(filter.status);
    }
    const sql = `SELECT doc FROM experiments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC`;
    return (
      this.db
        .prepare(sql)
        .pluck()
        .all(...args) as string[]
    ).map((d) => JSON.parse(d) as Experiment);
  }

  async update(e: Experiment, expectedVersion: number): Promise<boolean> {
    const res = this.db
      .prepare(
        'UPDATE experiments SET merchant_id = ?, status = ?, version = ?, doc = ? WHERE id = ? AND version = ?',
      )
      .run(e.merchantId, e.status, e.version, JSON.stringify(e), e.id, expectedVersion);
    return res.changes === 1;
  }
}
