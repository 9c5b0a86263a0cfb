/** One data set's figures, as bench/ctr.ts prints them (the first seven keys are the --json contract). */
export interface CtrResult {
  name: string;
  auc: number;
  logloss: number;
  trainSeconds: number;
  examplesPerSecond: number;
  peakRssMB: number;
  modelBytes: number;
  trainRows: number;
  testRows: number;
  /** CPU seconds of the training (user + system of this process): less moved by other jobs on the machine than trainSeconds. */
  trainCpuSeconds: number;
  /** Training rows the learner refused (bad label or values). */
  refused: number;
  /** Reading + hashing the files, and allocating the model's tables: not in trainSeconds. */
  encodeSeconds: number;
  allocSeconds: number;
  progressiveAuc: number;
  progressiveLogloss: number;
  /** Expected calibration error over test deciles. */
  ece: number;
  /** Passes over the training rows that were kept (early stopping on the train-carved validation tail). */
  epochs: number;
  /** The model trained: the candidate the trainer chose, or the configured kind without a selection. */
  model: string;
  /** Each candidate's tail log-loss at each rung of the selection (none without one). */
  rungs?: Array<{ name: string; rows: number; logLoss: number; c?: number }>;
  /** --repeat: wall-clock and CPU seconds of each training, and of the LIBLINEAR fit timed beside each (same order). */
  timings?: {
    trainSeconds: number[];
    liblinearSeconds: number[];
    trainCpuSeconds: number[];
    liblinearCpuSeconds: number[];
  };
}

/** LIBLINEAR's figures from ../shared/anchors/ctr_anchor.py, measured in the same run. */
export interface AnchorResult {
  auc: number;
  logloss: number;
  fitSeconds: number;
  /** The best C of the anchor's grid. */
  c?: number;
}
