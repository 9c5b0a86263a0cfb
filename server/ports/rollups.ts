/** Rollups port: sums `train` keeps as it reads the event log, so results never rescan the log. */
import type { PerfCell } from '../engine/perf/rollup';

export type { PerfCell };

/**
 * One user's sums in one variant of one experiment: the unit the delta method analyses (Deng et
 * al. 2018): viewable impressions of the positions it counts, clicks and likes on them, and the
 * amount the user paid while the experiment ran, and what of it was refunded.
 */
export interface ExperimentUnit {
  experimentId: string;
  variant: string;
  openid: string;
  impressions: number;
  clicks: number;
  likes: number;
  paidFen: number;
  /**
   * Refunds WeChat Pay confirmed of orders counted in `paidFen` (under the PAID variant, like it):
   * how many and their amount, added when each refund is confirmed (an additive counter; the paid
   * amount is never rewritten). Absent in units saved before refunds were rolled up: 0.
   */
  refunds?: number;
  refundedFen?: number;
  /**
   * The user's predicted purchase propensity (train's model, P(pays within 30 days)) when the
   * unit was first stored: kept from the first add, never summed or replaced; absent or null when
   * the user was not scored then. Only exposed units carry it.
   */
  propensity?: number | null;
}

/**
 * What a campaign's report counts, per campaign × CST day × segment. `dim` names the segment kind:
 * - `day`: the day's totals, `key` and `openid` empty (not personal; kept past event retention);
 * - `position` / `scene`: one user's impressions and clicks in one segment (key: the slate
 *   position, or `scene:<launch scene>` / `scene:unknown`): the row's existence is the user's
 *   first-seen marker, so a breakdown counts distinct users exactly (k-anonymity needs exact counts);
 * Orders are not rolled up: reports take the pay-verified ones from the orders store.
 * Rows naming a user are erased with them and purged with the events (EVENT_RETENTION_DAYS).
 */
export type AdReportDim = 'day' | 'position' | 'scene';

export interface AdReportUnit {
  campaignId: string;
  /** CST day, YYYYMMDD. */
  day: string;
  dim: AdReportDim;
  key: string;
  openid: string;
  impressions: number;
  clicks: number;
  /** Both always 0 since orders come from the orders store, not the rollup; the stored rows keep the columns. */
  events: number;
  paidFen: number;
}

export interface Rollups {
  /**
   * Adds the units' sums (one entry per experiment, variant and user) of the training run that
   * saved checkpoint revision `rev`; a row that already took revision `rev` (or a later one) takes
   * nothing, so applying a run's sums again after a stop changes nothing.
   */
  addExperimentUnits(rev: number, units: readonly ExperimentUnit[]): Promise<void>;
  /** Every unit of an experiment (any order). */
  experimentUnits(experimentId: string): Promise<ExperimentUnit[]>;
  /**
   * Adds the perf cells (server/engine/perf/rollup.ts: counts added, sketches merged) of the perf
   * step that saved checkpoint revision `rev`; like addExperimentUnits, a cell that already took
   * `rev` (or a later one) takes nothing. One writer at a time (the perf step's lease).
   */
  addPerfCells(rev: number, cells: readonly PerfCell[]): Promise<void>;
  /** Every perf cell (pages × versions × platforms × metrics: hundreds to a few thousand). */
  perfCells(): Promise<PerfCell[]>;
  /** Like addExperimentUnits, for the campaigns' report rows (keyed by all but the sums). */
  addAdReportUnits(rev: number, units: readonly AdReportUnit[]): Promise<void>;
  /** Every row of one campaign on the given days with one of the given dims (any order, no cap). */
  adReportUnits(
    campaignId: string,
    days: readonly string[],
    dims: readonly AdReportDim[],
  ): Promise<AdReportUnit[]>;
  /** Deletes up to `limit` rows naming a user of days before `day` (retention); returns how many. */
  purgeAdReportUnitsBefore(day: string, limit: number): Promise<number>;
}
