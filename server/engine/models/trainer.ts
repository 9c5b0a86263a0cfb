/**
 * Trains a learner over a batch: a fixed number of passes (`train`), or passes until the
 * log-loss on a validation split carved from the END of the training rows stops improving
 * (`trainEarlyStopping`). Progressive validation is kept on the first pass.
 */
import type { ExampleBatch } from '../features/examples';
import { FeatureVector } from '../features/vector';
import { logLoss } from '../metrics/logloss';
import { ProgressiveValidation } from '../metrics/progressive';
import type { Learner } from './learner';

export interface TrainReport {
  /** Examples learned (all passes) and examples refused (first pass). */
  learned: number;
  refused: number;
  /** Progressive validation over the first pass: every example scored before it is learned. */
  progressive: ProgressiveValidation;
}

/** One pass over rows [from, to); counts into the report (refusals and progressive metrics only when `first`). */
function pass(
  learner: Learner,
  data: ExampleBatch,
  from: number,
  to: number,
  vec: FeatureVector,
  report: TrainReport,
  first: boolean,
): void {
  for (let i = from; i < to; i++) {
    const y = data.load(i, vec);
    const p = learner.learn(vec, y);
    if (p === null) {
      if (first) report.refused++;
      continue;
    }
    report.learned++;
    if (first) report.progressive.add(y, p);
  }
}

const newReport = (): TrainReport => ({
  learned: 0,
  refused: 0,
  progressive: new ProgressiveValidation(),
});

export function train(learner: Learner, data: ExampleBatch, epochs = 1): TrainReport {
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new RangeError('epochs must be a positive integer');
  const vec = new FeatureVector();
  const report = newReport();
  for (let e = 0; e < epochs; e++) pass(learner, data, 0, data.size, vec, report, e === 0);
  return report;
}

export interface EarlyStopping {
  /** Most passes over the fitting rows. */
  maxEpochs: number;
  /** Share of the training rows, taken from the end, held out to decide when to stop (0 < share < 1). */
  validationShare: number;
  /**
   * Relative log-loss improvement below which a pass is kept but is the last one (0 ≤ x < 1;
   * default 0: stop only when the loss does not fall). Saves the pass that would be run only to
   * be rolled back once the curve has flattened.
   */
  minImprovement?: number;
}

export interface EarlyStoppingReport extends TrainReport {
  /** Passes kept (the best validation log-loss), and the validation log-loss after each pass run. */
  epochs: number;
  validationLogLoss: number[];
}

/** A learner that can copy its learned state in memory and go back to it (cheaper than a blob round trip). */
export interface Checkpointing<C> {
  checkpoint(): C;
  rollback(c: C): void;
}

const checkpointing = (l: Learner): l is Learner & Checkpointing<unknown> =>
  typeof (l as Partial<Checkpointing<unknown>>).checkpoint === 'function' &&
  typeof (l as Partial<Checkpointing<unknown>>).rollback === 'function';

/**
 * Fits on the first (1 − share) of the rows, scoring the held-out tail after every pass; stops
 * after a pass that lowers its log-loss by less than `minImprovement` (relative; that pass is
 * kept), or at the first pass that does not lower it and then goes back to the best snapshot (an
 * in-memory checkpoint when the learner offers one, else its blob via `restore(blob, current)`:
 * the model's blob loader, or an in-place restore). The held-out rows are then learned once, so no
 * training row is wasted. Labels the learner refuses are left out of the validation score.
 */
export function trainEarlyStopping<L extends Learner>(
  learner: L,
  data: ExampleBatch,
  opts: EarlyStopping,
  restore: (blob: Uint8Array, current: L) => L,
): { model: L; report: EarlyStoppingReport } {
  if (!Number.isInteger(opts.maxEpochs) || opts.maxEpochs < 1)
    throw new RangeError('maxEpochs must be a positive integer');
  if (!(opts.validationShare > 0 && opts.validationShare < 1))
    throw new RangeError('validationShare must be in (0, 1)');
  const tol = opts.minImprovement ?? 0;
  if (!(tol >= 0 && tol < 1)) throw new RangeError('minImprovement must be in [0, 1)');
  const cut = Math.floor(data.size * (1 - opts.validationShare));
  const vec = new FeatureVector();
  const report: EarlyStoppingReport = { ...newReport(), epochs: 0, validationLogLoss: [] };
  const labels: number[] = [];
  for (let i = cut; i < data.size; i++) labels.push(data.load(i, vec));
  let model = learner;
  let best = Infinity;
  let snapshot: Uint8Array | null = null;
  let saved: unknown = null;
  const cp: Checkpointing<unknown> | null = checkpointing(learner) ? learner : null;
  for (let e = 0; e < opts.maxEpochs; e++) {
    pass(model, data, 0, cut, vec, report, e === 0);
    const ys: number[] = [];
    const ps: number[] = [];
    for (let i = cut; i < data.size; i++) {
      data.load(i, vec);
      const y = labels[i - cut];
      if (y !== 0 && y !== 1) continue;
      ys.push(y);
      ps.push(model.predict(vec));
    }
    const loss = ys.length ? logLoss(ys, ps) : NaN;
    report.validationLogLoss.push(loss);
    if (Number.isNaN(loss)) {
      // Nothing to validate on (no usable labels in the tail): keep this one pass.
      report.epochs = e + 1;
      break;
    }
    if (!(loss < best)) break;
    const flat = best !== Infinity && loss > best * (1 - tol);
    best = loss;
    report.epochs = e + 1;
    snapshot = null; // let the previous snapshot go before the next is written (peak memory)
    saved = null;
    if (flat) break; // improved, but too little to pay for another pass: keep this one
    if (e + 1 < opts.maxEpochs) {
      if (cp) saved = cp.checkpoint();
      else snapshot = model.serialize();
    }
  }
  if (report.validationLogLoss.length > report.epochs) {
    if (cp && saved !== null) cp.rollback(saved);
    else if (snapshot) model = restore(snapshot, model);
  }
  // The held-out tail, learned once; its progressive metrics join the first pass's.
  pass(model, data, cut, data.size, vec, report, true);
  return { model, report };
}

/** Predictions of the learner for every row of the batch. */
export function predictAll(learner: Learner, data: ExampleBatch): Float64Array {
  const vec = new FeatureVector();
  const out = new Float64Array(data.size);
  for (let i = 0; i < data.size; i++) {
    data.load(i, vec);
    out[i] = learner.predict(vec);
  }
  return out;
}
