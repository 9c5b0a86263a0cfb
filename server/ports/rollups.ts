/** Rollups port: sums `train` keeps as it reads the event log, so results never rescan the log. */

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
}
