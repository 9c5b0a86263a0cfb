/**
 * How the final model is fitted after early stopping, compared by 5-fold cross-validation over
 * the TRAINING rows only (the same contiguous folds as tune.ts). Each fold's fitting rows go
 * through the benchmark's own procedure, trainEarlyStopping with the default configuration (its
 * validation tail carved from the end of the fitting rows), and the fold scores:
 *   tail once   the default: the held-out tail learned once after the kept passes;
 *   tail E×     the tail learned as many times as the kept passes (E);
 *   refit E     a fresh model trained E passes over all fitting rows (twice the work).
 *   npx tsx bench/ctr/procedure.ts [--folds K] [--config '<json overrides of DEFAULT_CTR_CONFIG>'] [adkdd21 frappe criteo8k]
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
import {
  createCtrModel,
  DEFAULT_CTR_CONFIG,
  restoreCtrModel,
} from '../../server/engine/models/defaults';
import type { CtrModelConfig } from '../../server/engine/models/defaults';
import type { Learner } from '../../server/engine/models/learner';
import { trainEarlyStopping } from '../../server/engine/models/trainer';

const dir = resolve(__dirname, '..', '..', '..', 'shared', 'datasets', 'ctr');
const specs: Record<string, DatasetSpec> = {
  adkdd21: adkdd21(join(dir, 'criteo-adkdd21')),
  frappe: frappe(join(dir, 'frappe')),
  criteo8k: criteo8k(join(dir, 'criteo')),
};

const { values: opts, positionals } = parseArgs({
  options: { folds: { type: 'string', default: '5' }, config: { type: 'string', default: '{}' } },
  allowPositionals: true,
});
const folds = Number(opts.folds);
const cfg: CtrModelConfig = {
  ...DEFAULT_CTR_CONFIG,
  ...(JSON.parse(opts.config) as Partial<CtrModelConfig>),
};
const es = cfg.earlyStopping!;

for (const name of positionals.length ? positionals : Object.keys(specs)) {
  const hasher = new FeatureHasher(cfg.bits);
  const rows = new ExampleBatch();
  const x = new FeatureVector();
  for (const row of specs[name].rows()) {
    if (row.test) continue; // training rows only
    x.clear();
    for (const [f, v, w] of row.tokens) hasher.add(x, f, v, w);
    rows.push(x, row.label);
  }
  const fields = hasher.fieldCount;
  const n = rows.size;
  const score: Record<string, Array<[number, number]>> = {
    'tail once': [],
    'tail E×': [],
    'refit E': [],
  };
  const t0 = performance.now();
  for (let f = 0; f < folds; f++) {
    const lo = Math.floor((f * n) / folds);
    const hi = Math.floor(((f + 1) * n) / folds);
    const fit = new ExampleBatch();
    for (let i = 0; i < n; i++) if (i < lo || i >= hi) fit.push(x, rows.load(i, x));
    const ys: number[] = [];
    for (let i = lo; i < hi; i++) ys.push(rows.load(i, x));
    const evaluate = (m: Learner): [number, number] => {
      const ps: number[] = [];
      for (let i = lo; i < hi; i++) {
        rows.load(i, x);
        ps.push(m.predict(x));
      }
      return [auc(ys, ps), logLoss(ys, ps)];
    };
    const { model, report } = trainEarlyStopping(
      createCtrModel(cfg, fields),
      fit,
      es,
      restoreCtrModel,
    );
    const E = report.epochs;
    score['tail once'].push(evaluate(model));
    const cut = Math.floor(fit.size * (1 - es.validationShare));
    for (let e = 1; e < E; e++) for (let i = cut; i < fit.size; i++) model.learn(x, fit.load(i, x));
    score['tail E×'].push(evaluate(model));
    const refit = createCtrModel(cfg, fields);
    for (let e = 0; e < E; e++) for (let i = 0; i < fit.size; i++) refit.learn(x, fit.load(i, x));
    score['refit E'].push(evaluate(refit));
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const parts = Object.entries(score).map(
    ([k, v]) =>
      `${k} ${mean(v.map((s) => s[0])).toFixed(4)}/${mean(v.map((s) => s[1])).toFixed(4)} [${v.map((s) => s[0].toFixed(4)).join(',')}]`,
  );
  console.log(
    `${name.padEnd(8)} ${parts.join('  ')}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
