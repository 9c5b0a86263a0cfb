/**
 * `npm run bench:ctr`: trains the engine's default click model on the CTR data sets of
 * ../shared/BENCHMARKS.md §1 (or on files given on the command line) and prints AUC, log-loss,
 * training seconds, examples/s, peak RSS and model bytes. Each data set runs in its own child
 * process so that peak RSS is that run's own.
 *   --json            print {"datasets": [...]} instead of the table
 *   --only NAME       run one data set (adkdd21, frappe, criteo8k)
 *   --train F --test F [--label COL]   a generic data set: libsvm/libFM, or CSV with a label column
 *   --anchors         also run ../shared/anchors/ctr_anchor.py (LIBLINEAR) in the same run; for --train/--test,
 *                     LIBLINEAR itself on the same tokens and C grid (bench/ctr/liblinear.ts)
 *   --repeat N        time our training N times, each beside a LIBLINEAR fit at the anchor's C (with
 *                     --anchors): the time ratio is then the median of the N paired ratios, with their range
 *   --record          write the table into docs/benchmarks.md (CTR section)
 *   --config JSON     top-level overrides of the default configuration (e.g. '{"model":"lr"}'), to
 *                     measure a trade-off beside LIBLINEAR; not with --record (the table is the default's)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { adkdd21, criteo8k, frappe, generic, missingFiles } from './ctr/datasets';
import type { DatasetSpec } from './ctr/datasets';
import { anchorFigures, liblinearInstalled, removeFiles, writeLibsvm } from './ctr/liblinear';
import type { LiblinearFiles } from './ctr/liblinear';
import type { AnchorResult, CtrResult } from './ctr/result';
import { benchConfig } from './ctr/config';
import {
  describeConfig,
  markdownTable,
  ratioSpread,
  rungLines,
  textTable,
  timeRatio,
} from './ctr/table';
import { DEFAULT_CTR_CONFIG } from '../server/engine/models/defaults';
import type { CtrModelConfig } from '../server/engine/models/defaults';

const root = resolve(__dirname, '..');
const shared = resolve(root, '..', 'shared');
const ctrDir = join(shared, 'datasets', 'ctr');
const builtin = [
  { name: 'adkdd21', dir: join(ctrDir, 'criteo-adkdd21'), spec: adkdd21 },
  { name: 'frappe', dir: join(ctrDir, 'frappe'), spec: frappe },
  { name: 'criteo8k', dir: join(ctrDir, 'criteo'), spec: criteo8k },
];

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    label: { type: 'string' },
    anchors: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    config: { type: 'string' },
    repeat: { type: 'string' },
  },
});

const repeat = args.repeat === undefined ? 1 : Number(args.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50) {
  process.stderr.write('bench:ctr: --repeat needs a whole number from 1 to 50\n');
  process.exit(2);
}

let config: CtrModelConfig = DEFAULT_CTR_CONFIG;
if (args.config) {
  if (args.record) {
    process.stderr.write(
      "bench:ctr: --record writes the default configuration's table; leave out --config\n",
    );
    process.exit(2);
  }
  try {
    config = benchConfig(args.config);
  } catch (e) {
    process.stderr.write(`bench:ctr: --config is not JSON (${(e as Error).message})\n`);
    process.exit(2);
  }
}

const say = (s: string): void => {
  // With --json, stdout carries only the JSON object.
  (args.json ? process.stderr : process.stdout).write(`${s}\n`);
};

type Job = {
  arg: Record<string, unknown>;
  name: string;
  spec: DatasetSpec;
  anchorDir?: string;
};
const jobs: Job[] = [];
if (args.train || args.test) {
  if (!args.train || !args.test) {
    process.stderr.write('bench:ctr: --train and --test go together\n');
    process.exit(2);
  }
  const spec = generic(args.train, args.test, args.label);
  const missing = missingFiles(spec);
  if (missing.length) {
    process.stderr.write(`bench:ctr: not found: ${missing.join(', ')}\n`);
    process.exit(2);
  }
  jobs.push({
    name: spec.name,
    spec,
    arg: {
      name: spec.name,
      train: resolve(args.train),
      test: resolve(args.test),
      label: args.label,
      config: args.config,
    },
  });
} else {
  const chosen = args.only ? builtin.filter((b) => b.name === args.only) : builtin;
  if (args.only && !chosen.length) {
    process.stderr.write(
      `bench:ctr: unknown data set "${args.only}" (adkdd21, frappe, criteo8k)\n`,
    );
    process.exit(2);
  }
  for (const b of chosen) {
    const missing = missingFiles(b.spec(b.dir));
    if (missing.length) say(`${b.name}: data set not found (${missing[0]}); skipped, no figures.`);
    else
      jobs.push({
        name: b.name,
        spec: b.spec(b.dir),
        arg: { name: b.name, dir: b.dir, config: args.config },
        anchorDir: b.dir,
      });
  }
}

function runOne(job: Job): CtrResult {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      join(__dirname, 'ctr', 'run-one.ts'),
      JSON.stringify(job.arg),
    ],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as CtrResult;
}

function runAnchor(job: Job): AnchorResult | undefined {
  const script = join(shared, 'anchors', 'ctr_anchor.py');
  if (!job.anchorDir || !existsSync(script) || !existsSync('/usr/bin/python3')) return undefined;
  try {
    const out = execFileSync('/usr/bin/python3', [script, job.name, job.anchorDir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const m = /LIBLINEAR.*C=([\d.]+).*AUC=([\d.]+) logloss=([\d.]+) fit=([\d.]+)s/.exec(out);
    return m
      ? { c: Number(m[1]), auc: Number(m[2]), logloss: Number(m[3]), fitSeconds: Number(m[4]) }
      : undefined;
  } catch (e) {
    say(
      `${job.name}: anchor failed (${(e as Error).message.split('\n')[0]}); install liblinear-tools python3-sklearn`,
    );
    return undefined;
  }
}

if (!jobs.length) {
  say('bench:ctr: no data set found; nothing measured.');
  if (args.json) process.stdout.write(`${JSON.stringify({ datasets: [] })}\n`);
  process.exit(0);
}

const results: Array<{ ours: CtrResult; anchor?: AnchorResult }> = [];
const haveLiblinear = args.anchors && liblinearInstalled();
if (args.anchors && !haveLiblinear)
  say('bench:ctr: liblinear-train not found; install liblinear-tools for the anchors');
for (const job of jobs) {
  // A data set the anchor script does not know gets LIBLINEAR on the same tokens here.
  let files: LiblinearFiles | null = null;
  let anchor: AnchorResult | undefined;
  if (args.anchors && job.anchorDir) anchor = runAnchor(job);
  else if (haveLiblinear) {
    files = writeLibsvm(job.spec);
    anchor = anchorFigures(files);
  }
  if (repeat > 1 && haveLiblinear && anchor?.c !== undefined) files ??= writeLibsvm(job.spec);
  try {
    const ours = runOne({
      ...job,
      arg: {
        ...job.arg,
        repeat,
        ...(files && anchor?.c !== undefined && repeat > 1
          ? { liblinear: { dir: files.dir, train: files.train, c: anchor.c } }
          : {}),
      },
    });
    results.push({ ours, anchor });
  } finally {
    if (files) removeFiles(files);
  }
}

if (args.json) {
  const datasets = results.map((row) => ({
    name: row.ours.name,
    model: row.ours.model,
    auc: row.ours.auc,
    logloss: row.ours.logloss,
    trainSeconds: row.ours.trainSeconds,
    examplesPerSecond: row.ours.examplesPerSecond,
    peakRssMB: row.ours.peakRssMB,
    modelBytes: row.ours.modelBytes,
    // Against LIBLINEAR's fit in the same run (--anchors); null without it.
    timeRatio: timeRatio(row),
    // --repeat: the spread of the paired ratios whose median is timeRatio.
    ...(ratioSpread(row) ? { timeRatioSpread: ratioSpread(row) } : {}),
    // The same pairs in CPU seconds (ours: this process; LIBLINEAR: its process), less moved by load.
    ...(ratioSpread(row, 'cpu') ? { cpuTimeRatioSpread: ratioSpread(row, 'cpu') } : {}),
    ...(row.anchor ? { liblinear: row.anchor } : {}),
  }));
  process.stdout.write(`${JSON.stringify({ datasets })}\n`);
} else {
  say(`config: ${describeConfig(config)}`);
  say(textTable(results));
  for (const line of rungLines(results)) say(`selection ${line}`);
}

if (args.record) {
  const doc = join(root, 'docs', 'benchmarks.md');
  const begin = '<!-- bench:ctr:begin -->';
  const end = '<!-- bench:ctr:end -->';
  const block = `${begin}\n${markdownTable(results, DEFAULT_CTR_CONFIG)}\n${end}`;
  const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  writeFileSync(
    doc,
    a >= 0 && b > a
      ? text.slice(0, a) + block + text.slice(b + end.length)
      : `${text.trimEnd()}\n\n${block}\n`,
  );
  say(`recorded in ${doc}`);
}
