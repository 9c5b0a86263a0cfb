/**
 * LIBLINEAR (`liblinear-train`, Debian's liblinear-tools) on the tokens of a data set, as
 * ../shared/anchors/ctr_anchor.py runs it: one-hot `field=value` tokens, L2 logistic regression
 * (-s 0), bias 1, best C of the anchor's grid by test AUC. Used for repeated fit timings beside our
 * training in one process (the time ratio's spread) and as the anchor of data sets given on the
 * command line, which the anchor script does not know.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auc } from '../../server/engine/metrics/auc';
import { logLoss } from '../../server/engine/metrics/logloss';
import type { DatasetSpec } from './datasets';

/** The anchor's grid of C. */
export const ANCHOR_C = [0.03, 0.1, 0.3, 1];

export const liblinearInstalled = (): boolean => {
  try {
    execFileSync('liblinear-train', [], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // Without arguments it prints its usage and exits 1; only a missing binary is ENOENT.
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
};

export interface LiblinearFiles {
  dir: string;
  train: string;
  test: string;
  testLabels: number[];
}

/** Writes the train and test rows in libsvm form (one index per distinct token, 1-based, sorted, value 1). */
export function writeLibsvm(spec: DatasetSpec): LiblinearFiles {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ctr-'));
  const vocab = new Map<string, number>();
  const tr: string[] = [];
  const te: string[] = [];
  const testLabels: number[] = [];
  for (const row of spec.rows()) {
    if (!(row.label === 0 || row.label === 1)) continue;
    const ids = new Set<number>();
    for (const [f, v] of row.tokens) {
      const t = `${f}=${v}`;
      let id = vocab.get(t);
      if (id === undefined) vocab.set(t, (id = vocab.size + 1));
      ids.add(id);
    }
    const line = `${row.label ? '+1' : '-1'} ${[...ids]
      .sort((a, b) => a - b)
      .map((j) => `${j}:1`)
      .join(' ')}`;
    (row.test ? te : tr).push(line);
    if (row.test) testLabels.push(row.label);
  }
  const files = { dir, train: join(dir, 'tr'), test: join(dir, 'te'), testLabels };
  writeFileSync(files.train, `${tr.join('\n')}\n`);
  writeFileSync(files.test, `${te.join('\n')}\n`);
  return files;
}

const trainArgs = (files: LiblinearFiles, c: number): string[] => [
  '-s',
  '0',
  '-c',
  String(c),
  '-B',
  '1',
  '-q',
  files.train,
  join(files.dir, 'm'),
];

/** Wall-clock seconds of one `liblinear-train` run at C (process start and parsing included, as the anchor times it). */
export function fitSeconds(files: LiblinearFiles, c: number): number {
  const t0 = performance.now();
  execFileSync('liblinear-train', trainArgs(files, c), { stdio: 'ignore' });
  return (performance.now() - t0) / 1000;
}

/**
 * One `liblinear-train` run at C: its wall-clock seconds (as fitSeconds) and its CPU seconds
 * (user + system of the process, from bash's `time`), which other jobs on a shared machine move
 * much less than the wall clock.
 */
export function fitTimes(files: LiblinearFiles, c: number): { wall: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync(
    'bash',
    [
      '-c',
      'TIMEFORMAT="%3U %3S"; time liblinear-train "$@" > /dev/null',
      '_',
      ...trainArgs(files, c),
    ],
    { encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`liblinear-train failed: ${r.stderr}`);
  return { wall, cpu: Number(m[1]) + Number(m[2]) };
}

/** The anchor's figures: every C of the grid fitted, the best by test AUC reported (as ctr_anchor.py). */
export function anchorFigures(files: LiblinearFiles): {
  auc: number;
  logloss: number;
  fitSeconds: number;
  c: number;
} {
  let best = { auc: -1, logloss: NaN, fitSeconds: NaN, c: NaN };
  for (const c of ANCHOR_C) {
    const secs = fitSeconds(files, c);
    const out = join(files.dir, 'out');
    execFileSync('liblinear-predict', ['-b', '1', '-q', files.test, join(files.dir, 'm'), out], {
      stdio: 'ignore',
    });
    const [head, ...rest] = readFileSync(out, 'utf8').trim().split('\n');
    const cols = head.split(/\s+/);
    const pos = cols.indexOf('1') >= 0 ? cols.indexOf('1') : cols.indexOf('+1');
    const p = rest.map((l) => Math.min(1 - 1e-15, Math.max(1e-15, Number(l.split(/\s+/)[pos]))));
    const a = auc(files.testLabels, p);
    if (a > best.auc) best = { auc: a, logloss: logLoss(files.testLabels, p), fitSeconds: secs, c };
  }
  return best;
}

export const removeFiles = (files: LiblinearFiles): void =>
  rmSync(files.dir, { recursive: true, force: true });
