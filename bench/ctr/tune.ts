/**
 * Model selection without the test set. Only the TRAIN rows of each data set are read into
 * batches; they are cut into K contiguous folds (K = 1: the last 15 % validates). For every
 * fold the candidate trains on the other rows and is scored on the fold after every pass;
 * the table shows the fold-mean AUC / log-loss per pass and at the pass early stopping (lowest
 * fold log-loss) would keep.
 * --bag N averages the logits of N models that differ only in their seed (ffm.seed, fm.seed + 0..N−1).
 *   npx tsx bench/ctr/tune.ts '<json overrides of DEFAULT_CTR_CONFIG>' [--folds K] [--bag N] [adkdd21 frappe criteo8k]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { adkdd21, criteo8k, frappe } from './datasets';
import type { DatasetSpec } from './datasets';
import { ExampleBatch } from '../../server/engine/features/examples';
import { FeatureHasher } from '../../server/engine/features/hasher';
import { FeatureVector } from '../../server/engine/features/vector';
import { auc } from '../../server/engine/metrics/auc';
import { logLoss } from '../../server/engine/metrics/logloss';
import { createCtrModel, DEFAULT_CTR_CONFIG } from '../../server/engine/models/defaults';
import type { CtrModelConfig } from '../../server/engine/models/defaults';
import type { Learner } from '../../server/engine/models/learner';
import { FieldWeightedFM } from './experimental/fwfm';
import type { FwfmParams } from './experimental/fwfm';

const dir = resolve(__dirname, '..', '..', '..', 'shared', 'datasets', 'ctr');
const specs: Record<string, DatasetSpec> = {
  adkdd21: adkdd21(join(dir, 'criteo-adkdd21')),
  frappe: frappe(join(dir, 'frappe')),
  criteo8k: criteo8k(join(dir, 'criteo')),
};

/** The data set's training rows only, hashed; test rows are skipped unread. */
function trainRows(spec: DatasetSpec, bits: number): { rows: ExampleBatch; fields: number } {
  const hasher = new FeatureHasher(bits);
  const rows = new ExampleBatch();
  const x = new FeatureVector();
  for (const row of spec.rows()) {
    if (row.test) continue;
    x.clear();
    for (const [f, v, w] of row.tokens) hasher.add(x, f, v, w);
    rows.push(x, row.label);
  }
  return { rows, fields: hasher.fieldCount };
}

const { values: opts, positionals } = parseArgs({
  options: { folds: { type: 'string', default: '1' }, bag: { type: 'string', default: '1' } },
  allowPositionals: true,
});
const folds = Number(opts.folds);
const bag = Number(opts.bag);
const overrides = JSON.parse(positionals[0] ?? '{}') as Partial<CtrModelConfig> & {
  fwfm?: Partial<FwfmParams>;
};
const cfg = { ...DEFAULT_CTR_CONFIG, ...overrides } as CtrModelConfig;
// EXPERIMENT: '{"fwfm": {...}}' trains the field-weighted FM of bench/ctr/experimental/fwfm.ts instead.
const fwfm: FwfmParams | null = overrides.fwfm
  ? {
      k: 4,
      fields: 0,
      eta: 0.1,
      l2: 2e-5,
      initScale: 0.3,
      seed: 1,
      minCount: 10,
      etaPair: 0.05,
      ...overrides.fwfm,
    }
  : null;
const maxEpochs = cfg.earlyStopping?.maxEpochs ?? cfg.epochs;
const tol = cfg.earlyStopping?.minImprovement ?? 0;
const names = positionals.slice(1).length ? positionals.slice(1) : Object.keys(specs);

for (const name of names) {
  const { rows, fields } = trainRows(specs[name], cfg.bits);
  const n = rows.size;
  const aucs: number[][] = [];
  const losses: number[][] = [];
  const vec = new FeatureVector();
  const t0 = performance.now();
  for (let f = 0; f < folds; f++) {
    const [lo, hi] =
      folds === 1
        ? [Math.floor(n * 0.85), n]
        : [Math.floor((f * n) / folds), Math.floor(((f + 1) * n) / folds)];
    const models: Learner[] = Array.from({ length: bag }, (_, s) =>
      fwfm
        ? new FieldWeightedFM(cfg.bits, cfg.linear, { ...fwfm, fields, seed: fwfm.seed + s })
        : createCtrModel(
            {
              ...cfg,
              fm: { ...cfg.fm, seed: cfg.fm.seed + s },
              ffm: cfg.ffm && { ...cfg.ffm, seed: cfg.ffm.seed + s },
            },
            fields,
          ),
    );
    const ys: number[] = [];
    for (let i = lo; i < hi; i++) ys.push(rows.load(i, vec));
    aucs.push([]);
    losses.push([]);
    for (let e = 0; e < maxEpochs; e++) {
      for (const model of models)
        for (let i = 0; i < n; i++) if (i < lo || i >= hi) model.learn(vec, rows.load(i, vec));
      const ps: number[] = [];
      for (let i = lo; i < hi; i++) {
        rows.load(i, vec);
        let t = 0;
        for (const model of models) {
          const p = model.predict(vec);
          t += Math.log(p / (1 - p));
        }
        ps.push(1 / (1 + Math.exp(-t / bag)));
      }
      aucs[f].push(auc(ys, ps));
      losses[f].push(logLoss(ys, ps));
      // Early stopping stops at the first pass that does not improve, or improves by less than
      // minImprovement (that pass is kept: still the lowest loss); later passes are not needed.
      if (e > 0 && losses[f][e] > losses[f][e - 1] * (1 - tol)) break;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const stopAt = losses.map((l) => l.indexOf(Math.min(...l)));
  const stopped = `early-stopped ${mean(aucs.map((a, f) => a[stopAt[f]])).toFixed(4)}/${mean(losses.map((l, f) => l[stopAt[f]])).toFixed(4)} (passes kept ${stopAt.map((s) => s + 1).join(',')}, run ${losses.map((l) => l.length).join(',')}; fold AUCs ${aucs.map((a, f) => a[stopAt[f]].toFixed(4)).join(',')})`;
  const perEpoch: string[] = [];
  for (let e = 0; e < maxEpochs; e++) {
    const live = aucs.filter((a) => a.length > e);
    if (live.length < folds) break;
    perEpoch.push(
      `e${e + 1} ${mean(live.map((a) => a[e])).toFixed(4)}/${mean(losses.map((l) => l[e])).toFixed(4)}`,
    );
  }
  console.log(`${name.padEnd(8)} ${stopped}  | ${perEpoch.join('  ')}  (${secs.toFixed(1)} s)`);
}
