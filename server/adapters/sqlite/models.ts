/** ModelRegistry over SQLite: version documents, and a one-row serving pointer swapped in a transaction. */
import type { ModelRegistry, ModelStatus, ModelVersion, ServingPointer } from '../../ports/models';
import type { Db } from './db';

export class SqliteModelRegistry implements ModelRegistry {
  private readonly swap;

  constructor(private readonly db: Db) {
    this.swap = db.transaction((expected: string | null, next: ServingPointer): boolean => {
      const current = db.prepare('SELECT version FROM model_serving WHERE id = 1').pluck().get() as
        string | undefined;
      if ((current ?? null) !== expected) return false;
      db.prepare('INSERT OR REPLACE INTO model_serving (id, version, doc) VALUES (1, ?, ?)').run(
        next.version,
        JSON.stringify(next),
      );
      return true;
    });
  }

  async add(v: ModelVersion): Promise<boolean> {
    const info = this.db
      .prepare('INSERT OR IGNORE INTO model_versions (version, created_at, doc) VALUES (?, ?, ?)')
      .run(v.version, v.createdAt, JSON.stringify(v));
    return info.changes === 1;
  }

  async get(version: string): Promise<ModelVersion | null> {
    const doc = this.db
      .prepare('SELECT doc FROM model_versions WHERE version = ?')
      .pluck()
      .get(version) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as ModelVersion);
  }

  async list(limit: number): Promise<ModelVersion[]> {
    const docs = this.db
      .prepare('SELECT doc FROM model_versions ORDER BY version DESC LIMIT ?')
      .pluck()
      .all(limit) as string[];
    return docs.map((d) => JSON.parse(d) as ModelVersion);
  }

  async setStatus(version: string, status: ModelStatus, reason: string): Promise<void> {
    this.db
      .transaction(() => {
        const v = this.db
          .prepare('SELECT doc FROM model_versions WHERE version = ?')
          .pluck()
          .get(version) as string | undefined;
        if (v === undefined) throw new Error(`unknown model version ${version}`);
        const doc = { ...(JSON.parse(v) as ModelVersion), status, reason };
        this.db
          .prepare('UPDATE model_versions SET doc = ? WHERE version = ?')
          .run(JSON.stringify(doc), version);
      })
      .immediate();
  }

  async serving(): Promise<ServingPointer | null> {
    const doc = this.db.prepare('SELECT doc FROM model_serving WHERE id = 1').pluck().get() as
      string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as ServingPointer);
  }

  async swapServing(expected: string | null, next: ServingPointer): Promise<boolean> {
    return this.swap.immediate(expected, next);
  }
}
