/**
 * Model selection without the test set: carves the last 15 % of each data set's TRAIN rows as
 * a validation split, trains a candidate configuration on the rest and prints validation AUC
 * and log-loss after every pass. The test rows are never loaded into a batch.
 *   npx tsx bench/ctr/tune.ts '<json overrides of DEFAULT_CTR_CONFIG>' [adkdd21 frappe criteo8k]
 */
import { join, resolve } from 'node:path';
import { adkdd21, criteo8k, frappe } from './datasets';
import type { DatasetSpec } from './datasets';
import { ExampleBatch } from '../../server/engine/features/examples';
import { FeatureHasher } from '../../server/engine/features/hasher';
import { FeatureVector } from '../../server/engine/features/vector';
import { auc } from '../../server/engine/metrics/auc';
import { logLoss } from '../../server/engine/metrics/logloss';
import { createCtrModel, DEFAULT_CTR_CONFIG } from '../../server/engine/models/defaults';
import type { CtrModelConfig } from '../../server/engine/models/defaults';
import { predictAll } from '../../server/engine/models/trainer';

const VALIDATION_SHARE = 0.15;
const dir = resolve(__dirname, '..', '..', '..', 'shared', 'datasets', 'ctr');
const specs: Record<string, DatasetSpec> = {
  adkdd21: adkdd21(join(dir, 'criteo-adkdd21')),
  frappe: frappe(join(dir, 'frappe')),
  criteo8k: criteo8k(join(dir, 'criteo')),
};

/** Train rows only, split in order: the first 85 % fit, the last 15 % validate. */
function carve(spec: DatasetSpec, bits: number): { fit: ExampleBatch; val: ExampleBatch; fields: number } {
  const hasher = new FeatureHasher(bits);
  const rows: Array<{ x: FeatureVector; y: number }> = [];
  const rare = Number(process.env.RARE ?? 0);
  const counts = new Map<string, number>();
  if (rare) {
    const all = [...spec.rows()].filter((r) => !r.test);
    const cut0 = Math.floor(all.length * (1 - VALIDATION_SHARE));
    all.slice(0, cut0).forEach((r) => r.tokens.forEach(([f, v]) => counts.set(f + '=' + v, (counts.get(f + '=' + v) ?? 0) + 1)));
  }
  for (const row of spec.rows()) {
    if (row.test) continue;
    if (rare) row.tokens = row.tokens.map(([f, v, w]) => [f, (counts.get(f + '=' + v) ?? 0) >= rare ? v : 'RARE', w]);
    const x = new FeatureVector(row.tokens.length + 1);
    for (const [f, v, w] of row.tokens) hasher.add(x, f, v, w);
    if (process.env.POLY2) {
      const n = x.n;
      for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) x.push((Math.imul(x.idx[a] ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(x.idx[b], 0x85ebca6b)) & hasher.mask, 100, Number(process.env.POLY2));
    }
    rows.push({ x, y: row.label });
  }
  const cut = Math.floor(rows.length * (1 - VALIDATION_SHARE));
  const fit = new ExampleBatch();
  const val = new ExampleBatch();
  rows.forEach((r, i) => (i < cut ? fit : val).push(r.x, r.y));
  return { fit, val, fields: hasher.fieldCount };
}

const override = JSON.parse(process.argv[2] ?? '{}') as Partial<CtrModelConfig>;
const cfg = { ...DEFAULT_CTR_CONFIG, ...override } as CtrModelConfig;
const names = process.argv.slice(3).length ? process.argv.slice(3) : Object.keys(specs);
for (const name of names) {
  const { fit, val, fields } = carve(specs[name], cfg.bits);
  const model = createCtrModel(cfg, fields);
  const lr = createCtrModel({ ...cfg, model: 'lr' }, fields);
  const vec = new FeatureVector();
  const line: string[] = [];
  let secs = 0;
  for (let e = 0; e < cfg.epochs; e++) {
    const t0 = performance.now();
    for (let i = 0; i < fit.size; i++) {
      const y = fit.load(i, vec);
      model.learn(vec, y);
      if (process.env.ENS) lr.learn(vec, y);
    }
    secs += (performance.now() - t0) / 1000;
    const p = predictAll(model, val);
    if (process.env.ENS) {
      const q = predictAll(lr, val);
      const wt = Number(process.env.ENS);
      const lg = (u: number): number => Math.log(u / (1 - u));
      for (let i = 0; i < p.length; i++) p[i] = 1 / (1 + Math.exp(-((1 - wt) * lg(p[i]) + wt * lg(q[i]))));
    }
    line.push(`e${e + 1} ${auc(val.labels, p).toFixed(4)}/${logLoss(val.labels, p).toFixed(4)}`);
  }
  console.log(`${name.padEnd(8)} ${line.join('  ')}  (${secs.toFixed(2)} s)`);
}
