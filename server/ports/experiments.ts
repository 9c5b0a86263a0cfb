/** Experiments port: experiment definitions, read whole, written compare-and-set on their version. */
import type { Experiment, ExperimentStatus } from '../engine/experiments/definition';

export interface ExperimentStore {
  /** Stores a new experiment; false (nothing changed) when its id is taken. */
  create(experiment: Experiment): Promise<boolean>;
  get(id: string): Promise<Experiment | null>;
  /** Experiments of one merchant (null: the platform's), or of everyone when `merchantId` is undefined; newest first. */
  list(filter: { merchantId?: string | null; status?: ExperimentStatus }): Promise<Experiment[]>;
  /**
   * Replaces an experiment if its stored version is still `expectedVersion` (the new one must
   * carry expectedVersion + 1); false, with nothing changed, when another write came first.
   */
  update(experiment: Experiment, expectedVersion: number): Promise<boolean>;
}
