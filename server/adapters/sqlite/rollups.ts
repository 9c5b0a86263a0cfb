/** Rollups over SQLite: one row per experiment, variant and user, stamped with the run that last added to it. */
import type { ExperimentUnit, Rollups } from '../../ports/rollups';
import type { Db } from './db';

export class SqliteRollups implements Rollups {
  constructor(private readonly db: Db) {}

  async addExperimentUnits(rev: number, units: readonly ExperimentUnit[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO experiment_rollups
         (experiment_id, variant, openid, impressions, clicks, likes, paid_fen, rev)
       VALUES (@experimentId, @variant, @openid, @impressions, @clicks, @likes, @paidFen, @rev)
       ON CONFLICT (experiment_id, variant, openid) DO UPDATE SET
         impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
         likes = likes + excluded.likes, paid_fen = paid_fen + excluded.paid_fen, rev = excluded.rev
       WHERE experiment_rollups.rev < excluded.rev`,
    );
    this.db.transaction(() => {
      for (const u of units) upsert.run({ ...u, rev });
    })();
  }

  async experimentUnits(experimentId: string): Promise<ExperimentUnit[]> {
    return this.db
      .prepare(
        `SELECT experiment_id AS experimentId, variant, openid, impressions, clicks, likes,
           paid_fen AS paidFen FROM experiment_rollups WHERE experiment_id = ?`,
      )
      .all(experimentId) as ExperimentUnit[];
  }
}
