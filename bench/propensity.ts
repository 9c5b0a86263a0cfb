/**
 * `npm run bench:propensity`: purchase propensity on UCI Online Shoppers with the protocol of
 * ../shared/BENCHMARKS.md §4 (label Revenue, data row i is test if i % 5 == 0), our logistic
 * regression and gradient-boosted trees (settings chosen on a validation split of the training
 * rows only), beside ../shared/anchors/payment_anchor.py (scikit-learn) in the same run.
 *   --transactions FILE --calibration-end YYYY-MM-DD --horizon-end YYYY-MM-DD
 *                  the RFM propensity model on a whitespace-separated log (customer id, yyyymmdd,
 *                  quantity, amount); customers with id % 5 == 0 are the test set
 *   --json         print {"auc", "logloss", "seconds"} of the chosen model (the anchor's lines go to stderr)
 *   --no-anchor    skip the anchor
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auc } from '../server/engine/metrics/auc';
import { logLoss } from '../server/engine/metrics/logloss';
import { fitFamily, trainPropensity } from '../server/engine/payments/propensity-model';
import type { Design, PropensityFamily } from '../server/engine/payments/propensity-model';
import { readCsvSplit, SHOPPERS_CATEGORICAL } from './propensity/shoppers';
import { parseTransactions, parseYmd, transactionSplit } from './propensity/transactions';

const repoRoot = resolve(__dirname, '..');
const shared = resolve(repoRoot, '../shared');
const { values: args } = parseArgs({
  options: {
    transactions: { type: 'string' },
    'calibration-end': { type: 'string' },
    'horizon-end': { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-anchor': { type: 'boolean', default: false },
  },
});

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

interface Measured {
  family: PropensityFamily;
  auc: number;
  logloss: number;
  fitSeconds: number;
}

/** Chooses settings on the training rows, then fits and measures both families on the test rows. */
function measure(
  train: Design,
  trainY: Float64Array,
  test: Design,
  testY: Float64Array,
): { chosen: PropensityFamily; selectSeconds: number; rows: Measured[]; lines: string[] } {
  const t0 = performance.now();
  const { choice } = trainPropensity(train, trainY);
  const selectSeconds = (performance.now() - t0) / 1000;
  const rows = (['lr', 'gbdt'] as const).map((family) => {
    const t1 = performance.now();
    const m = fitFamily(train, trainY, family, choice);
    const fitSeconds = (performance.now() - t1) / 1000;
    const p = m.predict(test);
    return { family, auc: auc(testY, p), logloss: logLoss(testY, p), fitSeconds };
  });
  const lines = [
    `  validation (training rows only): LR l2=${choice.lr.l2} logloss ${choice.lr.logloss.toFixed(4)}; ` +
      `trees ${Object.entries(choice.gbdt.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ' ',
        )} rounds=${choice.gbdt.rounds} logloss ${choice.gbdt.logloss.toFixed(4)} -> ${choice.family}`,
  ];
  return { chosen: choice.family, selectSeconds, rows, lines };
}

function print(title: string, started: number, r: ReturnType<typeof measure>): void {
  const seconds = (performance.now() - started) / 1000;
  const chosen = r.rows.find((m) => m.family === r.chosen) as Measured;
  if (args.json) {
    console.log(
      JSON.stringify({
        auc: r4(chosen.auc),
        logloss: r4(chosen.logloss),
        seconds: Math.round(seconds * 100) / 100,
      }),
    );
    return;
  }
  console.log(title);
  for (const line of r.lines) console.log(line);
  const names: Record<PropensityFamily, string> = {
    lr: 'ours logistic regression (Newton)',
    gbdt: 'ours gradient-boosted trees',
  };
  for (const m of r.rows)
    console.log(
      `  ${names[m.family].padEnd(34)} AUC=${m.auc.toFixed(4)} logloss=${m.logloss.toFixed(4)} fit=${m.fitSeconds.toFixed(2)}s${m.family === r.chosen ? ' (chosen)' : ''}`,
    );
  console.log(
    `  settings chosen in ${r.selectSeconds.toFixed(2)}s; whole run ${seconds.toFixed(2)}s`,
  );
}

function shoppers(): void {
  const file = resolve(shared, 'datasets/transactions/online_shoppers_intention.csv');
  if (!existsSync(file)) {
    console.log(`bench:propensity: data set not found at ${file}; nothing measured.`);
    return;
  }
  const started = performance.now();
  const s = readCsvSplit(
    readFileSync(file, 'utf8'),
    'Revenue',
    SHOPPERS_CATEGORICAL,
    (i) => i % 5 === 0,
  );
  const r = measure(s.train, s.trainY, s.test, s.testY);
  const pos = [...s.trainY, ...s.testY].reduce((a, b) => a + b, 0);
  const n = s.trainY.length + s.testY.length;
  print(
    `shoppers: ${n} rows (${s.testY.length} test), ${s.columns.length} columns, positive rate ${(pos / n).toFixed(4)} (this project)`,
    started,
    r,
  );
  if (!args['no-anchor']) runAnchor(file);
}

function transactions(file: string): void {
  const cal = parseYmd(args['calibration-end'] ?? '');
  const end = parseYmd(args['horizon-end'] ?? '');
  if (!Number.isFinite(cal) || !Number.isFinite(end) || !(end > cal)) {
    console.error(
      'bench:propensity: --transactions needs --calibration-end and a later --horizon-end (YYYY-MM-DD)',
    );
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const log = parseTransactions(readFileSync(resolve(file), 'utf8'));
  const { train, test } = transactionSplit(log.orders, cal, end);
  const count = (y: Float64Array) => y.reduce((a, b) => a + b, 0);
  if (
    !train.labels.length ||
    !test.labels.length ||
    !count(train.labels) ||
    !count(test.labels) ||
    count(train.labels) === train.labels.length
  ) {
    console.error(
      'bench:propensity: the split leaves a set empty or of one class; nothing measured.',
    );
    process.exitCode = 2;
    return;
  }
  const r = measure(train.design, train.labels, test.design, test.labels);
  print(
    `${file.split('/').pop()}: ${log.orders.length} purchases (${log.skipped} lines skipped), ` +
      `${train.users.length} train / ${test.users.length} test customers, ` +
      `test repurchase rate ${(count(test.labels) / test.labels.length).toFixed(4)} (RFM features, this project)`,
    started,
    r,
  );
}

function runAnchor(file: string): void {
  const script = resolve(shared, 'anchors/payment_anchor.py');
  const t0 = performance.now();
  try {
    // One thread, like our fit: on a shared 2-core machine OpenMP's spinning threads made
    // HistGradientBoosting's fit 15× slower than single-threaded, which says nothing about it.
    const out = execFileSync('/usr/bin/python3', [script, 'shoppers', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    const line = `anchor (scikit-learn, one thread, same run, ${((performance.now() - t0) / 1000).toFixed(2)}s):\n${out}`;
    (args.json ? process.stderr : process.stdout).write(line);
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim().split('\n').pop() ?? String(err);
    const hint = /No module named|ENOENT/.test(why)
      ? '; install with: apt-get update && apt-get install -y python3-sklearn python3-pandas'
      : '';
    (args.json ? process.stderr : process.stdout).write(`anchor failed (${why})${hint}\n`);
  }
}

if (args.transactions) transactions(args.transactions);
else shoppers();
