/** Rollups over SQLite: one row per experiment, variant and user, stamped with the run that last added to it. */
import { mergeCells } from '../../engine/perf/rollup';
import type { ExperimentUnit, PerfCell, Rollups } from '../../ports/rollups';
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

  async addPerfCells(rev: number, cells: readonly PerfCell[]): Promise<void> {
    const get = this.db.prepare(
      `SELECT metric, page, version, platform, count, sum, sketch, rev FROM perf_rollups
       WHERE metric = ? AND page = ? AND version = ? AND platform = ?`,
    );
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO perf_rollups (metric, page, version, platform, count, sum, sketch, rev)
       VALUES (@metric, @page, @version, @platform, @count, @sum, @sketch, @rev)`,
    );
    this.db.transaction(() => {
      for (const c of cells) {
        const had = get.get(c.metric, c.page, c.version, c.platform) as
          (PerfCell & { rev: number }) | undefined;
        if (had && had.rev >= rev) continue; // this run's cells are in already
        put.run({ ...(had ? mergeCells(had, c) : c), rev });
      }
    })();
  }

  async perfCells(): Promise<PerfCell[]> {
    return this.db
      .prepare(`SELECT metric, page, version, platform, count, sum, sketch FROM perf_rollups`)
      .all() as PerfCell[];
  }
}
