/**
 * Model registry port: one metadata record per trained version (weights live in the BlobStore
 * under `blobKey`), and the serving pointer naming the version `recommend` loads.
 */

export type ModelStatus = 'promoted' | 'candidate' | 'retired';

export interface ModelMetrics {
  /** Labelled examples in the evaluation window (this run's progressive validation). */
  examples: number;
  positives: number;
  /** Progressive-validation AUC / log-loss / mean-prediction ÷ observed-rate of this version; null when undefined. */
  auc: number | null;
  logLoss: number | null;
  calibration: number | null;
  /** AUC of the version serving at the time, on the same window (null: none, or one class only). */
  servingAuc: number | null;
}

export interface ModelVersion {
  /** "v000001", increasing: sorts as it was issued. */
  version: string;
  kind: 'lr' | 'fm' | 'ffm';
  createdAt: number;
  /** Version this one continued training from; null for the first. */
  parent: string | null;
  /** Examples learned over the whole lineage. */
  examplesSeen: number;
  metrics: ModelMetrics;
  status: ModelStatus;
  /** Why it is (or is not) serving: the promotion gate's verdict, or a rollback note. */
  reason: string;
  blobKey: string;
}

export interface ServingPointer {
  version: string;
  since: number;
  reason: string;
  /**
   * Bumped when the serving version's weights are rewritten in place (an erasure's scrub,
   * server/privacy/learning-scrub.ts), so a warm instance reloads the same version; absent until then.
   */
  weightsRev?: number;
}

export interface ModelRegistry {
  /** Records a new version; a version already recorded is a conflict (returns false, nothing changes). */
  add(v: ModelVersion): Promise<boolean>;
  get(version: string): Promise<ModelVersion | null>;
  /** Newest first. */
  list(limit: number): Promise<ModelVersion[]>;
  setStatus(version: string, status: ModelStatus, reason: string): Promise<void>;
  serving(): Promise<ServingPointer | null>;
  /**
   * Points serving at `next` only if it currently names `expected` (null: nothing serves yet).
   * Returns false, changing nothing, when another writer moved it first.
   */
  swapServing(expected: string | null, next: ServingPointer): Promise<boolean>;
}
