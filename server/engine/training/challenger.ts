/**
 * A challenger beside the champion: on the recent window of labelled examples, the trainer's own
 * selection (successive halving, models/selection.ts) trains a fresh model of whichever kind the
 * window favours; it replaces the online champion only if the promotion gate finds it no worse on
 * the window's last rows, which neither model had learned when it scored them (the champion's
 * progressive predictions, the challenger's held-out ones). So a deployment whose data favour a
 * plain model gets one, and the gate keeps a lucky challenger from replacing a good champion.
 */
import { ExampleBatch } from '../features/examples';
import { FeatureVector } from '../features/vector';
import { auc } from '../metrics/auc';
import { logLoss } from '../metrics/logloss';
import type { CtrModelConfig } from '../models/defaults';
import type { Learner } from '../models/learner';
import { trainSelecting } from '../models/selection';
import { promotionGate } from './gate';
import type { GateVerdict } from './gate';

/** The run's labelled examples as learned, with the champion's prediction made before each (bounded). */
export class ChallengerWindow {
  readonly batch = new ExampleBatch();
  readonly champion: number[] = [];
  /** The serving model's predictions, when one serves (it does not learn, so any time is before). */
  readonly serving: number[] = [];

  constructor(readonly maxExamples: number) {}

  /** Records x (copied) and the champion's progressive prediction; false once the window is full. */
  add(x: FeatureVector, y: number, championP: number, servingP?: number): boolean {
    if (this.batch.size >= this.maxExamples) return false;
    this.batch.push(x, y);
    this.champion.push(championP);
    if (servingP !== undefined) this.serving.push(servingP);
    return true;
  }
}

export interface ChallengeOptions {
  /** The configuration whose `select` and `earlyStopping` drive the selection. */
  config: CtrModelConfig;
  /** Share of the window, from its end, on which challenger and champion are compared (0 < x < 1). */
  holdShare: number;
  /** The gate's minimum of compared rows. */
  minExamples: number;
  /** AUC the challenger may lose against the champion and still replace it (0: it must tie or win). */
  tolerance: number;
}

export const DEFAULT_CHALLENGE: Omit<ChallengeOptions, 'config'> = {
  holdShare: 0.2,
  minExamples: 200,
  // A challenger must not be worse: a tie still moves to the kind the window chose.
  tolerance: 0,
};

export interface ChallengeResult {
  /** The challenger, having learned the whole window (its compared rows last). */
  model: Learner;
  chosen: string;
  verdict: GateVerdict;
  rows: number;
  auc: number;
  logLoss: number;
  championAuc: number;
  championLogLoss: number;
  /** The serving model's AUC on the compared rows (null: none serves), for the gate against it. */
  servingAuc: number | null;
}

/**
 * Trains the challenger on the window's first rows and gates it against the champion on the last
 * `holdShare`; null when the window has too few rows to train and compare (nothing is trained).
 */
export function challenge(
  win: ChallengerWindow,
  opts: ChallengeOptions,
  fields?: number,
): ChallengeResult | null {
  const { select, earlyStopping } = opts.config;
  if (!select || !earlyStopping) return null;
  const n = win.batch.size;
  const from = Math.floor(n * (1 - opts.holdShare));
  if (n - from < opts.minExamples || from < opts.minExamples) return null;
  const vec = new FeatureVector();
  const fit = new ExampleBatch();
  for (let i = 0; i < from; i++) fit.push(vec, win.batch.load(i, vec));
  const { model, report } = trainSelecting(fit, fields, select, earlyStopping);
  const labels: number[] = [];
  const ours: number[] = [];
  const theirs: number[] = [];
  const serving: number[] = [];
  const withServing = win.serving.length === n;
  for (let i = from; i < n; i++) {
    const y = win.batch.load(i, vec);
    if (y !== 0 && y !== 1) continue;
    labels.push(y);
    ours.push(model.predict(vec));
    theirs.push(win.champion[i]);
    if (withServing) serving.push(win.serving[i]);
  }
  const a = auc(labels, ours);
  const b = auc(labels, theirs);
  const verdict = promotionGate({
    candidateAuc: a,
    servingAuc: b,
    servingVersion: 'the champion',
    examples: labels.length,
    minExamples: opts.minExamples,
    tolerance: opts.tolerance,
  });
  // The compared rows, learned last: the challenger ends having seen the whole window.
  for (let i = from; i < n; i++) model.learn(vec, win.batch.load(i, vec));
  return {
    model,
    chosen: report.chosen,
    verdict,
    rows: labels.length,
    auc: a,
    logLoss: logLoss(labels, ours),
    championAuc: b,
    championLogLoss: logLoss(labels, theirs),
    servingAuc: withServing ? auc(labels, serving) : null,
  };
}
