/** Child process of bench/ctr.ts: trains the default model on one data set and prints one JSON result line. */
import { auc } from '../../server/engine/metrics/auc';
import {
  calibrationByQuantile,
  expectedCalibrationError,
} from '../../server/engine/metrics/calibration';
import { logLoss } from '../../server/engine/metrics/logloss';
import { createCtrModel, restoreCtrModel } from '../../server/engine/models/defaults';
import type { CtrModelConfig } from '../../server/engine/models/defaults';
import { predictAll, train, trainEarlyStopping } from '../../server/engine/models/trainer';
import { trainSelecting } from '../../server/engine/models/selection';
import type { SelectionReport } from '../../server/engine/models/selection';
import { benchConfig } from './config';
import type { DatasetSpec } from './datasets';
import { adkdd21, criteo8k, frappe, generic } from './datasets';
import { encode } from './encode';
import type { CtrResult } from './result';

type Arg = {
  name: string;
  dir?: string;
  train?: string;
  test?: string;
  label?: string;
  config?: string;
};

function specFrom(arg: Arg): DatasetSpec {
  if (arg.name === 'adkdd21') return adkdd21(arg.dir!);
  if (arg.name === 'frappe') return frappe(arg.dir!);
  if (arg.name === 'criteo8k') return criteo8k(arg.dir!);
  return generic(arg.train!, arg.test!, arg.label);
}

const arg = JSON.parse(process.argv[2]) as Arg;
const spec = specFrom(arg);
// --config (bench/ctr.ts): top-level overrides of the default, for measuring a trade-off; the table records the configuration used.
const cfg: CtrModelConfig = benchConfig(arg.config);
const t0 = performance.now();
const { train: tr, test: te, fields } = encode(spec, cfg.bits);
// Reading and hashing leave large garbage (the unzipped text, outgrown arrays): collect it
// before training so that peak memory measures the model, not the reader (bench/ctr.ts passes --expose-gc).
(globalThis as { gc?: () => void }).gc?.();
const t1 = performance.now();
// A selection creates its own candidates; the single configured model is only for training without one.
const fresh = cfg.select ? null : createCtrModel(cfg, fields);
const t2 = performance.now();
const cpu0 = process.cpuUsage();
// Early stopping looks only at the tail of the TRAINING rows; the test rows are scored once, below.
// With a selection, the trainer picks the model on that same tail (successive halving).
const { model, report } =
  cfg.select && cfg.earlyStopping
    ? trainSelecting(tr, fields, cfg.select, cfg.earlyStopping)
    : cfg.earlyStopping
      ? trainEarlyStopping(fresh!, tr, cfg.earlyStopping, restoreCtrModel)
      : { model: fresh!, report: { ...train(fresh!, tr, cfg.epochs), epochs: cfg.epochs } };
const t3 = performance.now();
const selected = cfg.select ? (report as SelectionReport) : null;
const cpu = process.cpuUsage(cpu0);
const preds = predictAll(model, te);
const blob = model.serialize();
const trainSeconds = (t3 - t2) / 1000;
const result: CtrResult = {
  name: spec.name,
  auc: auc(te.labels, preds),
  logloss: logLoss(te.labels, preds),
  trainSeconds,
  trainCpuSeconds: (cpu.user + cpu.system) / 1e6,
  examplesPerSecond: report.learned / trainSeconds,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
  modelBytes: blob.length,
  trainRows: tr.size,
  testRows: te.size,
  refused: report.refused,
  encodeSeconds: (t1 - t0) / 1000,
  allocSeconds: (t2 - t1) / 1000,
  progressiveAuc: report.progressive.auc,
  progressiveLogloss: report.progressive.logLoss,
  ece: expectedCalibrationError(calibrationByQuantile(te.labels, preds, 10)),
  epochs: report.epochs,
  model: selected?.chosen ?? cfg.model,
  ...(selected ? { rungs: selected.rungs } : {}),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
