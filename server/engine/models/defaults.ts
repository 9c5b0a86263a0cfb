/** The one default click-model configuration: every data set and the production trainer use it. */
import { FieldAwareFM } from './ffm';
import type { FfmParams } from './ffm';
import { FactorizationMachine } from './fm';
import type { FmParams } from './fm';
import type { FtrlParams } from './ftrl';
import type { Learner } from './learner';
import { LogisticRegression } from './logistic';
import type { EarlyStopping } from './trainer';
import type { ModelCandidate, SelectionParams } from './selection';
import { ModelBlobError } from './blob';
import type { BatchLrParams } from './batch-lr';

export interface CtrModelConfig {
  model: 'lr' | 'fm' | 'ffm';
  /** Hashed space of 2^bits buckets. */
  bits: number;
  /** Passes over a batch when training without a validation split (the cloud trainer: one pass per batch of new examples). */
  epochs: number;
  /** Batch training (the benchmark): passes until the log-loss on the train-carved validation tail stops improving. */
  earlyStopping?: EarlyStopping;
  linear: FtrlParams;
  fm: FmParams;
  /** Field-aware FM; `fields` is the default width, replaced by the schema's field count when known. */
  ffm?: FfmParams;
  /**
   * Batch training chooses among these candidates on its own validation tail (successive halving,
   * `selection.ts`) instead of training `model`; `model` stays what a fresh online model is.
   */
  select?: SelectionParams;
}

/**
 * Field-aware FM: k 2 (k 4 and 8 validated no better, at 2× and 4× the work), λ 2e-5 as
 * libFFM, η 0.4, centred start ±0.3/√k, latent rows only for buckets seen ≥ 10 times, 64 MB
 * cap on latent rows. Fields default to 24 (the product transformer has 21).
 */
export const DEFAULT_FFM: FfmParams = {
  k: 2,
  fields: 24,
  eta: 0.4,
  l2: 2e-5,
  initScale: 0.3,
  seed: 1,
  minCount: 10,
  maxBytes: 64 * 2 ** 20,
};

/**
 * Each model's settings were chosen by 5-fold cross-validation over the TRAINING rows of the three
 * benchmark data sets (`bench/ctr/tune.ts --folds 5`), never on their test rows (docs/benchmarks.md
 * lists what was tried). Which model a batch trains is not fixed: the trainer selects it on its own
 * validation tail (DEFAULT_SELECTION); `model` is what a fresh online model is.
 */
const BASE_CONFIG: CtrModelConfig = {
  model: 'ffm',
  bits: 20,
  epochs: 1,
  // A pass that lowers the tail's log-loss by less than 0.2 % is the last: in the cross-validation
  // this kept the same passes on all three data sets and ran 12 % fewer on AdKDD'21 and Criteo 8k.
  earlyStopping: { maxEpochs: 15, validationShare: 0.15, minImprovement: 0.002 },
  linear: { alpha: 0.1, beta: 1, l1: 0.5, l2: 10 },
  fm: { k: 8, eta: 0.02, l2: 1e-4, initScale: 0.01, seed: 1 },
  ffm: DEFAULT_FFM,
};

/**
 * The batch logistic regression: C along a half-decade path from 0.03 (LIBLINEAR's grid as the
 * anchor runs it, one step beyond at 3), refined between the best point and its neighbours by a
 * parabola in log C; every solve stops once its gradient has fallen tenfold or at LIBLINEAR's own
 * tolerance, and the refit on all rows is one Newton step (selection.ts).
 */
export const DEFAULT_BATCH_LR: BatchLrParams = {
  cs: [0.03, 0.1, 0.3, 1, 3],
  eps: 0.01,
  maxIter: 100,
  pathTol: 0.1,
};

/**
 * Candidates of the trainer's own selection, simplest first: L2 logistic regression solved exactly
 * on the full batch (trust-region Newton, C chosen on the tail along a path from LIBLINEAR's grid
 * 0.03–1 and one step beyond; it then learns online as `lr-weak`), FTRL logistic regression without
 * L1 and with L2 1 (`lr-weak`), FM k 4, and the field-aware FM. The online LR only stands for the
 * linear family in the halving (a survivor listed after the batch LR is finished by it, never
 * trained on), so one is enough: the online LRs with the default regularisation (`lr`, L1 0.5 /
 * L2 10) and with larger steps (`lr-fast`, α 0.5) of the fourth round could never be chosen next to
 * the batch LR, and dropping them leaves three online candidates, so the halving ends after its
 * first rung (⌊3/2⌋ = 1 survivor).
 */
export function defaultCandidates(base: CtrModelConfig): ModelCandidate[] {
  const { select: _, ...plain } = base;
  return [
    // First: the exact optimum of the objective the online LRs approximate, at their serving cost;
    // an online LR is kept over it only when the tail says so beyond noise (the cost rule).
    {
      name: 'lr-batch',
      config: { ...plain, model: 'lr', linear: { ...plain.linear, l1: 0, l2: 1 } },
      batch: DEFAULT_BATCH_LR,
    },
    {
      name: 'lr-weak',
      config: { ...plain, model: 'lr', linear: { ...plain.linear, l1: 0, l2: 1 } },
    },
    { name: 'fm-k4', config: { ...plain, model: 'fm', fm: { ...plain.fm, k: 4 } } },
    { name: 'ffm-k2', config: { ...plain, model: 'ffm' } },
  ];
}

/**
 * Successive halving from 1/8 of a pass (then 1/4, …), keeping the better half at each rung; a
 * costlier candidate must win by 2 paired standard errors of the tail's log-loss.
 */
export const DEFAULT_SELECTION: SelectionParams = {
  candidates: defaultCandidates(BASE_CONFIG),
  firstBudget: 0.125,
  eta: 2,
  z: 2,
};

/** The one default configuration: batch training selects among DEFAULT_SELECTION's candidates. */
export const DEFAULT_CTR_CONFIG: CtrModelConfig = { ...BASE_CONFIG, select: DEFAULT_SELECTION };

/**
 * A fresh model of the configured kind. `fields` is the number of feature fields of the
 * schema (the hasher's fieldCount); only the field-aware FM uses it.
 */
export function createCtrModel(c: CtrModelConfig = DEFAULT_CTR_CONFIG, fields?: number): Learner {
  if (c.model === 'lr') return LogisticRegression.create(c.bits, c.linear);
  if (c.model === 'fm') return FactorizationMachine.create(c.bits, c.linear, c.fm);
  const p = c.ffm ?? DEFAULT_FFM;
  return FieldAwareFM.create(c.bits, c.linear, fields ? { ...p, fields } : p);
}

/** Loads a blob of any click-model kind; a damaged blob throws ModelBlobError (stable code) and loads nothing. */
export function loadAnyCtrModel(blob: Uint8Array): Learner {
  const loaders = [LogisticRegression.load, FactorizationMachine.load, FieldAwareFM.load];
  for (const load of loaders) {
    try {
      return load(blob);
    } catch (err) {
      // Length and checksum are checked before the kind, so only an intact blob of another kind goes on.
      if (!(err instanceof ModelBlobError) || err.code !== 'MODEL_KIND') throw err;
    }
  }
  throw new ModelBlobError('MODEL_KIND', 'model blob holds an unknown kind');
}

/** Back to a snapshot blob: in place for the field-aware FM (no second set of tables), by loading otherwise. */
export function restoreCtrModel(blob: Uint8Array, current: Learner): Learner {
  return current instanceof FieldAwareFM ? current.restoreFrom(blob) : loadAnyCtrModel(blob);
}
