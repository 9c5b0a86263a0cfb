/**
 * Rollups over SQLite: one row per experiment, variant and user, one per campaign, segment, day
 * and user, each stamped with the run that last added to it, and the perf cells.
 */
import { mergeCells } from '../../engine/perf/rollup';
import type {
  AdReportDim,
  AdReportUnit,
  ExperimentUnit,
  PerfCell,
  Rollups,
} from '../../ports/rollups';
import type { Db } from './db';

export class SqliteRollups implements Rollups {
  constructor(private readonly db: Db) {}

  async addExperimentUnits(rev: number, units: readonly ExperimentUnit[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO experiment_rollups
         (experiment_id, variant, openid, impressions, clicks, likes, paid_fen, refunds,
          refunded_fen, propensity, rev)
       VALUES (@experimentId, @variant, @openid, @impressions, @clicks, @likes, @paidFen,
         @refunds, @refundedFen, @propensity, @rev)
       ON CONFLICT (experiment_id, variant, openid) DO UPDATE SET
         impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
         likes = likes + excluded.likes, paid_fen = paid_fen + excluded.paid_fen,
         refunds = refunds + excluded.refunds, refunded_fen = refunded_fen + excluded.refunded_fen,
         rev = excluded.rev
       WHERE experiment_rollups.rev < excluded.rev`,
    );
    this.db.transaction(() => {
      // The propensity is written with the row and kept (the update leaves it as first stored).
      for (const u of units)
        upsert.run({
          ...u,
          refunds: u.refunds ?? 0,
          refundedFen: u.refundedFen ?? 0,
          propensity: u.propensity ?? null,
          rev,
        });
    })();
  }

  async experimentUnits(experimentId: string): Promise<ExperimentUnit[]> {
    const rows = this.db
      .prepare(
        `SELECT experiment_id AS experimentId, variant, openid, impressions, clicks, likes,
           paid_fen AS paidFen, refunds, refunded_fen AS refundedFen, propensity
         FROM experiment_rollups WHERE experiment_id = ?`,
      )
      .all(experimentId) as (ExperimentUnit & { propensity: number | null })[];
    // A unit without a propensity reads without the field, as the cloud adapter's does.
    return rows.map(({ propensity, ...u }) => (propensity === null ? u : { ...u, propensity }));
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

  async addAdReportUnits(rev: number, units: readonly AdReportUnit[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO ad_report_rollups
         (campaign_id, day, dim, key, openid, impressions, clicks, events, paid_fen, rev)
       VALUES (@campaignId, @day, @dim, @key, @openid, @impressions, @clicks, @events, @paidFen, @rev)
       ON CONFLICT (campaign_id, dim, day, key, openid) DO UPDATE SET
         impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
         events = events + excluded.events, paid_fen = paid_fen + excluded.paid_fen, rev = excluded.rev
       WHERE ad_report_rollups.rev < excluded.rev`,
    );
    this.db.transaction(() => {
      for (const u of units) upsert.run({ ...u, rev });
    })();
  }

  async adReportUnits(
    campaignId: string,
    days: readonly string[],
    dims: readonly AdReportDim[],
  ): Promise<AdReportUnit[]> {
    if (days.length === 0 || dims.length === 0) return [];
    // The primary key's prefix: one range per dim, the days listed.
    return this.db
      .prepare(
        `SELECT campaign_id AS campaignId, day, dim, key, openid, impressions, clicks, events,
           paid_fen AS paidFen FROM ad_report_rollups
         WHERE campaign_id = ? AND dim IN (${dims.map(() => '?').join(',')})
           AND day IN (${days.map(() => '?').join(',')})`,
      )
      .all(campaignId, ...dims, ...days) as AdReportUnit[];
  }

  async purgeAdReportUnitsBefore(day: string, limit: number): Promise<number> {
    return this.db
      .prepare(
        `DELETE FROM ad_report_rollups WHERE (campaign_id, dim, day, key, openid) IN
           (SELECT campaign_id, dim, day, key, openid FROM ad_report_rollups
            WHERE day < ? AND openid <> '' LIMIT ?)`,
      )
      .run(day, limit).changes;
  }
}
