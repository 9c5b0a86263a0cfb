/** Rollups port: sums `train` keeps as it reads the event log, so results never rescan the log. */
import type { PerfCell } from '../engine/perf/rollup';

export type { PerfCell };

/**
 * One user's sums in one variant of one experiment: the unit the delta method analyses (Deng et
 * al. 2018): viewable impressions of the positions it counts, clicks and likes on them, and the
 * amount the user paid while the experiment ran.
 */
export interface ExperimentUnit {
  experimentId: string;
  variant: string;
  openid: string;
  impressions: number;
  clicks: number;
  likes: number;
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
}
