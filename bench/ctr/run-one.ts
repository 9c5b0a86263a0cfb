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
import { fitTimes } from './liblinear';
import type { LiblinearFiles } from './liblinear';
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
  /** Trainings timed in this process (the first one's model is the one scored). */
  repeat?: number;
  /** libsvm files written by the parent and the anchor's C: liblinear-train is timed before each training. */
  liblinear?: { dir: string; train: string; c: number };
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
const cpu = process.cpuUsage(cpu0);
// Peak memory of the first training (the repeats below allocate models of their own).
const peakRssMB = process.resourceUsage().maxRSS / 1024;
// Repeated timings: LIBLINEAR fitted beside each of our trainings in this process (after the run
// above, then before each repeat), so that both sides of each ratio meet the same load on a
// shared machine.
const repeat = Math.max(1, arg.repeat ?? 1);
const lib = arg.liblinear
  ? { files: { ...arg.liblinear, test: '', testLabels: [] } as LiblinearFiles, c: arg.liblinear.c }
  : null;
const oursSeconds = [(t3 - t2) / 1000];
const oursCpu = [(cpu.user + cpu.system) / 1e6];
const liblinearSeconds: number[] = [];
const liblinearCpu: number[] = [];
for (let r = 0; r < repeat; r++) {
  if (lib) {
    const t = fitTimes(lib.files, lib.c);
    liblinearSeconds.push(t.wall);
    liblinearCpu.push(t.cpu);
  }
  if (r === 0) continue;
  const s0 = performance.now();
  const c0 = process.cpuUsage();
  if (cfg.select && cfg.earlyStopping) trainSelecting(tr, fields, cfg.select, cfg.earlyStopping);
  else if (cfg.earlyStopping)
    trainEarlyStopping(createCtrModel(cfg, fields), tr, cfg.earlyStopping, restoreCtrModel);
  else train(createCtrModel(cfg, fields), tr, cfg.epochs);
  const c1 = process.cpuUsage(c0);
  oursSeconds.push((performance.now() - s0) / 1000);
  oursCpu.push((c1.user + c1.system) / 1e6);
}
const selected = cfg.select ? (report as SelectionReport) : null;
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
  peakRssMB,
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
  ...(repeat > 1 || lib
    ? {
        timings: {
          trainSeconds: oursSeconds,
          liblinearSeconds,
          trainCpuSeconds: oursCpu,
          liblinearCpuSeconds: liblinearCpu,
        },
      }
    : {}),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
