/**
 * The trainer chooses its click model on its own validation data: successive halving (Jamieson &
 * Talwalkar, "Non-stochastic Best Arm Identification and Hyperparameter Optimization", AISTATS
 * 2016; the inner loop of Hyperband, Li et al., JMLR 2018) over candidate configurations, scored
 * on a validation tail carved from the END of the training rows, never on test rows.
 *
 * Every candidate learns the first rows of the fitting part (a share of one pass); the best
 * 1/η by tail log-loss go on with η times the budget, continuing from where they stopped
 * (online learners resume for free), until one is left; that one then trains on with early
 * stopping, and finally learns the held-out tail once, as `trainEarlyStopping` does. Candidates
 * are listed simplest (cheapest) first, and a costlier candidate is preferred to a simpler one
 * only when its tail log-loss is lower by more than `z` standard errors of the paired per-row
 * difference: where the data cannot tell them apart, the cheaper model serves (the
 * one-standard-error rule of Breiman et al. 1984, made paired).
 *
 * A batch candidate (`batch` set: L2 logistic regression by trust-region Newton, batch-lr.ts)
 * has no partial budget to compare at a rung (a solver on the full batch is either solved or not),
 * so it enters at the last rung: solved on the fitting rows with its C chosen on the same tail, it
 * meets the halving's survivor once that one has finished its early-stopped training, by the same
 * cost rule and its place in the list; if it wins, it is refitted on all the rows at its C and
 * becomes an FTRL logistic regression with its weights. A survivor that is itself a logistic
 * regression listed after the batch one is not trained on: the batch LR finishes the linear family.
 */
import type { ExampleBatch } from '../features/examples';
import { CompactRows, fitPath, Objective, PATH_CG, solveTron, toLogistic } from './batch-lr';
import type { BatchLrParams, ObjectiveState } from './batch-lr';
import { FeatureVector } from '../features/vector';
import { logLossOne } from '../metrics/logloss';
import { sigmoid } from './learner';
import { ProgressiveValidation } from '../metrics/progressive';
import type { CtrModelConfig } from './defaults';
import { createCtrModel, restoreCtrModel } from './defaults';
import type { Learner } from './learner';
import type { Checkpointing, EarlyStopping, EarlyStoppingReport } from './trainer';

export interface ModelCandidate {
  /** Short name reported as the choice (e.g. "lr", "ffm-k2"). */
  name: string;
  config: CtrModelConfig;
  /**
   * Trained on the full batch instead of online: L2 logistic regression (config.model must be
   * 'lr', config.linear without L1: the online learning that follows).
   */
  batch?: BatchLrParams;
}

export interface SelectionParams {
  /** Candidates, simplest (cheapest per example) first. */
  candidates: ModelCandidate[];
  /** Share of one pass over the fitting rows every candidate learns before the first cut (0 < x ≤ 1). */
  firstBudget: number;
  /** Keep the best 1/eta of the candidates at each rung and give them eta times the budget (≥ 2). */
  eta: number;
  /** A costlier candidate must lower the tail's log-loss by this many paired standard errors (≥ 0). */
  z: number;
}

/** One candidate's tail log-loss at one rung (rows learned, counted over all passes). */
export interface RungScore {
  name: string;
  rows: number;
  logLoss: number;
  /** A batch candidate's point of its regularisation path. */
  c?: number;
}

export interface SelectionReport extends EarlyStoppingReport {
  /** The candidate chosen. */
  chosen: string;
  /** Every candidate's score at every rung it reached, in order. */
  rungs: RungScore[];
}

interface Arm {
  name: string;
  index: number;
  model: Learner;
  /** Rows learned so far, over all passes (position in the fitting rows = learned mod cut). */
  learned: number;
  /** First-pass counts, kept per arm so that the winner reports its own. */
  refused: number;
  progressive: ProgressiveValidation;
  losses: Float64Array;
  mean: number;
}

const checkpointing = (l: Learner): l is Learner & Checkpointing<unknown> =>
  typeof (l as Partial<Checkpointing<unknown>>).checkpoint === 'function' &&
  typeof (l as Partial<Checkpointing<unknown>>).rollback === 'function';

/** Checks the parameters; throws RangeError on any that cannot work. */
export function checkSelection(p: SelectionParams): void {
  if (!p.candidates.length) throw new RangeError('selection needs at least one candidate');
  if (!(p.firstBudget > 0 && p.firstBudget <= 1))
    throw new RangeError('firstBudget must be in (0, 1]');
  if (!(p.eta >= 2)) throw new RangeError('eta must be at least 2');
  if (!(p.z >= 0)) throw new RangeError('z must be ≥ 0');
  for (const c of p.candidates)
    if (c.batch && (c.config.model !== 'lr' || c.config.linear.l1 !== 0))
      throw new RangeError('a batch candidate is a logistic regression without L1');
}

/**
 * Whether `costly` beats `simple` beyond noise: the mean of the per-row loss differences
 * (simple − costly) exceeds z standard errors of that mean.
 */
export function significantlyBetter(
  costly: Float64Array,
  simple: Float64Array,
  z: number,
): boolean {
  const m = costly.length;
  if (m < 2) return false;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const d = simple[i] - costly[i];
    s += d;
    s2 += d * d;
  }
  const mean = s / m;
  const variance = Math.max(0, (s2 - m * mean * mean) / (m - 1));
  return mean > z * Math.sqrt(variance / m);
}

/**
 * The survivors of one rung: the simplest arm that is not significantly worse than the leader
 * (lowest mean loss) first, then the others by mean loss, `keep` in all.
 */
export function survivors<A extends { index: number; mean: number; losses: Float64Array }>(
  arms: A[],
  keep: number,
  z: number,
): A[] {
  const byLoss = [...arms].sort((a, b) => a.mean - b.mean || a.index - b.index);
  const leader = byLoss[0];
  const bySimplicity = [...arms].sort((a, b) => a.index - b.index);
  const pick =
    bySimplicity.find((a) => a === leader || !significantlyBetter(leader.losses, a.losses, z)) ??
    leader;
  return [pick, ...byLoss.filter((a) => a !== pick)].slice(0, Math.max(1, keep));
}

/**
 * Runs the selection and the winner's early-stopped training on `data` (examples in time order;
 * the last `es.validationShare` of them validate). `fields` is the schema's field count (undefined:
 * the FFM's configured width).
 */
export function trainSelecting(
  data: ExampleBatch,
  fields: number | undefined,
  sel: SelectionParams,
  es: EarlyStopping,
): { model: Learner; report: SelectionReport } {
  checkSelection(sel);
  if (!Number.isInteger(es.maxEpochs) || es.maxEpochs < 1)
    throw new RangeError('maxEpochs must be a positive integer');
  if (!(es.validationShare > 0 && es.validationShare < 1))
    throw new RangeError('validationShare must be in (0, 1)');
  const tol = es.minImprovement ?? 0;
  const cut = Math.floor(data.size * (1 - es.validationShare));
  const vec = new FeatureVector();
  // The tail's usable rows (labels 0/1), scored after every rung and pass.
  const tail: number[] = [];
  const tailY: number[] = [];
  const labels = data.labels;
  for (let i = cut; i < data.size; i++) {
    const y = labels[i];
    if (y === 0 || y === 1) {
      tail.push(i);
      tailY.push(y);
    }
  }
  const online = sel.candidates.flatMap((c, index) => (c.batch ? [] : [{ c, index }]));
  const arms: Arm[] = online.map(({ c, index }) => ({
    name: c.name,
    index,
    model: createCtrModel(c.config, fields),
    learned: 0,
    refused: 0,
    progressive: new ProgressiveValidation(),
    losses: new Float64Array(tail.length),
    mean: NaN,
  }));
  const rungs: RungScore[] = [];

  /** Learns rows until the arm has learned `target` in all (wrapping into further passes). */
  const advance = (arm: Arm, target: number): void => {
    if (cut === 0) return;
    while (arm.learned < target) {
      const pos = arm.learned % cut;
      const first = arm.learned < cut;
      const end = Math.min(cut, pos + (target - arm.learned));
      for (let i = pos; i < end; i++) {
        const y = data.load(i, vec);
        const p = arm.model.learn(vec, y);
        if (first) {
          if (p === null) arm.refused++;
          else arm.progressive.add(y, p);
        }
      }
      arm.learned += end - pos;
    }
  };
  /** Per-row tail losses of any predictor into `losses`; their mean. */
  const scoreWith = (predict: (x: FeatureVector) => number, losses: Float64Array): number => {
    let s = 0;
    for (let t = 0; t < tail.length; t++) {
      data.load(tail[t], vec);
      const l = logLossOne(tailY[t], predict(vec));
      losses[t] = l;
      s += l;
    }
    return tail.length ? s / tail.length : NaN;
  };
  const score = (arm: Arm): number => {
    arm.mean = scoreWith((x) => arm.model.predict(x), arm.losses);
    return arm.mean;
  };

  let alive = arms;
  let budget = sel.firstBudget;
  while (alive.length > 1 && tail.length > 0) {
    const target = Math.max(1, Math.round(budget * cut));
    for (const arm of alive) {
      advance(arm, target);
      rungs.push({ name: arm.name, rows: arm.learned, logLoss: score(arm) });
    }
    const next = survivors(alive, Math.floor(alive.length / sel.eta), sel.z);
    // Release the dropped models before the survivors grow (peak memory).
    for (const arm of alive) if (!next.includes(arm)) arm.model = null as unknown as Learner;
    alive = next;
    budget *= sel.eta;
  }
  const report: SelectionReport = {
    learned: 0,
    refused: 0,
    progressive: new ProgressiveValidation(),
    epochs: 0,
    validationLogLoss: [],
    chosen: '',
    rungs,
  };
  const batches = sel.candidates.flatMap((c, index) => (c.batch ? [{ c, index }] : []));
  const survivor = alive.length ? alive[0] : null;
  // A batch LR listed before the survivor, itself a logistic regression, finishes that family: the
  // exact optimum of the objective the online runs approximate, so the survivor's early-stopped
  // passes are not run (they could only confirm the survivor; the batch LR would serve anyway
  // unless beaten beyond noise, which a regularised optimum of the same model rarely is).
  const finishedByBatch =
    survivor !== null &&
    sel.candidates[survivor.index].config.model === 'lr' &&
    batches.some((b) => b.index < survivor.index);
  const win = finishedByBatch ? null : survivor;
  let final: Learner | null = win ? earlyStop(win) : null;
  if (survivor && !win)
    rungs.push({ name: survivor.name, rows: survivor.learned, logLoss: survivor.mean });

  /** The survivor's early-stopped training, continued from its state; its best pass's tail losses are kept. */
  function earlyStop(arm: Arm): Learner {
    const model = arm.model;
    const cp = checkpointing(model) ? model : null;
    let saved: unknown = null;
    let snapshot: Uint8Array | null = null;
    let best = Infinity;
    let bestLearned = 0;
    let ran = 0;
    const bestLosses = new Float64Array(tail.length);
    for (let e = Math.floor(arm.learned / Math.max(1, cut)); e < es.maxEpochs; e++) {
      advance(arm, (e + 1) * cut);
      ran = e + 1;
      const loss = tail.length ? score(arm) : NaN;
      report.validationLogLoss.push(loss);
      if (Number.isNaN(loss)) {
        report.epochs = e + 1;
        bestLearned = arm.learned;
        break;
      }
      if (!(loss < best)) break;
      const flat = best !== Infinity && loss > best * (1 - tol);
      best = loss;
      bestLosses.set(arm.losses);
      report.epochs = e + 1;
      bestLearned = arm.learned;
      saved = null;
      snapshot = null;
      if (flat) break;
      if (e + 1 < es.maxEpochs) {
        if (cp) saved = cp.checkpoint();
        else snapshot = model.serialize();
      }
    }
    let out = model;
    if (ran > report.epochs) {
      if (cp && saved !== null) cp.rollback(saved);
      else if (snapshot) out = restoreCtrModel(snapshot, model);
    }
    arm.losses = bestLosses;
    arm.mean = best;
    arm.learned = bestLearned;
    return out;
  }

  // Batch candidates meet the survivor at the last rung, each solved on the fitting rows.
  let chosen = win ? { name: win.name, index: win.index, batch: null as null | BatchChoice } : null;
  if (batches.length) {
    const rows = new CompactRows(data, 2 ** batches[0].c.config.bits);
    const fitRows = rows.rowsBefore(cut);
    const contenders: Array<{ index: number; mean: number; losses: Float64Array }> = [];
    if (win) {
      rungs.push({ name: win.name, rows: win.learned, logLoss: win.mean });
      contenders.push(win);
    }
    const choices: BatchChoice[] = [];
    // The tail rows' places among the compact rows (−1: a row the batch solver left out, scored
    // from the batch): the path's points are scored from the compact rows, no row copied out.
    const tailRow = new Int32Array(tail.length).fill(-1);
    for (let t = 0, r = fitRows; t < tail.length && r < rows.rows; t++) {
      while (r < rows.rows && rows.source[r] < tail[t]) r++;
      if (r < rows.rows && rows.source[r] === tail[t]) tailRow[t] = r;
    }
    const scoreBatch = (w: Float64Array, losses: Float64Array): number => {
      let s = 0;
      for (let t = 0; t < tail.length; t++) {
        const r = tailRow[t];
        let z: number;
        if (r >= 0) z = rows.dot(w, r);
        else {
          data.load(tail[t], vec);
          z = rows.logit(w, vec);
        }
        const l = logLossOne(tailY[t], sigmoid(z));
        losses[t] = l;
        s += l;
      }
      return tail.length ? s / tail.length : NaN;
    };
    for (const { c, index } of batches) {
      const losses = new Float64Array(tail.length);
      const path = fitPath(rows, fitRows, c.batch!, (w) => scoreBatch(w, losses));
      for (const pt of path.points)
        rungs.push({ name: c.name, rows: fitRows, logLoss: pt.score, c: pt.c });
      const mean = scoreBatch(path.w, losses);
      report.learned += path.passes * fitRows;
      const choice: BatchChoice = { name: c.name, index, mean, losses, ...path, cand: c };
      choices.push(choice);
      contenders.push(choice);
    }
    const pick = tail.length ? survivors(contenders, 1, sel.z)[0] : contenders[0];
    const b = choices.find((x) => x === pick);
    if (b) {
      // Refitted on every row at the chosen C (LIBLINEAR fits all its rows too), from the best
      // path point's solution on the fitting rows: one inexact Newton step (REFIT_STEPS), since
      // that start is already near the answer (on AdKDD'21 a second step moved the test AUC by
      // 1e-4 and cost a tenth of the training); the result continues as an FTRL logistic regression.
      const w = b.w;
      const p = b.cand.batch!;
      const obj = new Objective(rows, rows.rows);
      // From what the path knew at that point: only the tail rows are read before the step.
      obj.resume(w, b.state);
      const refit = solveTron(
        rows,
        rows.rows,
        b.c,
        w,
        { ...p, maxIter: REFIT_STEPS },
        p.pathTol,
        PATH_CG,
        obj,
      );
      report.learned += refit.passes * rows.rows;
      chosen = { name: b.name, index: b.index, batch: b };
      final = toLogistic(rows, rows.rows, w, b.cand.config.bits, b.cand.config.linear, obj);
      report.epochs = refit.iterations;
      report.validationLogLoss = b.points.map((pt) => pt.score);
    }
  }
  if (!chosen || !final) throw new RangeError('selection needs at least one candidate');
  report.chosen = chosen.name;
  // Learned rows: every candidate's work up to the kept state (the cost of selecting included).
  for (const arm of arms) report.learned += arm.learned;
  if (survivor && !win) report.refused = survivor.refused;
  if (!chosen.batch && win) {
    report.refused = win.refused;
    report.progressive = win.progressive;
  }
  // The held-out tail, learned once (a batch solution has been refitted on it); its progressive
  // metrics join the first pass's.
  for (let i = chosen.batch ? data.size : cut; i < data.size; i++) {
    const y = data.load(i, vec);
    const p = final.learn(vec, y);
    if (p === null) report.refused++;
    else {
      report.learned++;
      report.progressive.add(y, p);
    }
  }
  return { model: final, report };
}

/** Newton steps of the batch LR's refit on all rows. */
const REFIT_STEPS = 1;

interface BatchChoice {
  name: string;
  index: number;
  mean: number;
  losses: Float64Array;
  w: Float64Array;
  c: number;
  state: ObjectiveState;
  points: Array<{ c: number; score: number; iterations: number }>;
  cand: ModelCandidate;
}
