/** Formats CTR benchmark results as a terminal table and as the markdown block of docs/benchmarks.md. */
import type { CtrModelConfig } from '../../server/engine/models/defaults';
import type { AnchorResult, CtrResult } from './result';

type Row = { ours: CtrResult; anchor?: AnchorResult };

const f = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

function cells(r: Row): string[] {
  const o = r.ours;
  const a = r.anchor;
  return [
    o.name,
    o.model ?? '—',
    `${o.trainRows}/${o.testRows}`,
    f(o.auc, 4),
    f(o.logloss, 4),
    String(o.epochs ?? '—'),
    f(o.trainSeconds, 3),
    f(o.trainCpuSeconds, 3),
    f(o.examplesPerSecond / 1000, 0) + 'k',
    f(o.peakRssMB, 0),
    String(o.modelBytes),
    a ? f(a.auc, 4) : '—',
    a ? f(a.logloss, 4) : '—',
    a ? f(a.fitSeconds, 2) : '—',
    ratioCell(r),
    cpuRatioCell(r),
    f(o.progressiveAuc, 4),
    f(o.ece, 4),
  ];
}

/** The pairwise ratios of --repeat (each training over the LIBLINEAR fit timed beside it): wall clock, or CPU time. */
export function pairedRatios(r: Row, clock: 'wall' | 'cpu' = 'wall'): number[] {
  const t = r.ours.timings;
  if (!t || !t.liblinearSeconds.length) return [];
  const [ours, theirs] =
    clock === 'wall'
      ? [t.trainSeconds, t.liblinearSeconds]
      : [t.trainCpuSeconds, t.liblinearCpuSeconds];
  return ours.map((s, i) => s / theirs[i]).filter(Number.isFinite);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median, least and greatest of the paired ratios; null without --repeat's LIBLINEAR timings. */
export function ratioSpread(
  r: Row,
  clock: 'wall' | 'cpu' = 'wall',
): { median: number; min: number; max: number; n: number } | null {
  const xs = pairedRatios(r, clock);
  if (!xs.length) return null;
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/**
 * Our training seconds over LIBLINEAR's fit seconds, both wall clock in the same run: the median
 * of the paired ratios with --repeat, else the one training over the anchor's fit; null without either.
 */
export function timeRatio(r: Row): number | null {
  const spread = ratioSpread(r);
  if (spread) return spread.median;
  return r.anchor && r.anchor.fitSeconds > 0 ? r.ours.trainSeconds / r.anchor.fitSeconds : null;
}

const ratioCell = (r: Row): string => {
  const s = ratioSpread(r);
  return s && s.n > 1
    ? `${f(s.median, 2)} (${f(s.min, 2)}–${f(s.max, 2)}, n ${s.n})`
    : f(timeRatio(r) ?? NaN, 2);
};

const cpuRatioCell = (r: Row): string => {
  const s = ratioSpread(r, 'cpu');
  return s ? `${f(s.median, 2)} (${f(s.min, 2)}–${f(s.max, 2)})` : '—';
};

/** The configuration as printed: a selection's candidates by name only (their settings are the base's, see defaults.ts). */
export function describeConfig(config: CtrModelConfig): string {
  const { select, ...rest } = config;
  return JSON.stringify(
    select
      ? { ...rest, select: { ...select, candidates: select.candidates.map((c) => c.name) } }
      : rest,
  );
}

const HEAD = [
  'data set',
  'model',
  'train/test',
  'AUC',
  'log-loss',
  'epochs',
  'train s',
  'train CPU s',
  'ex/s',
  'peak RSS MB',
  'model bytes',
  'LIBLINEAR AUC',
  'LIBLINEAR log-loss',
  'LIBLINEAR fit s',
  'time ratio (median, range)',
  'CPU time ratio',
  'progressive AUC',
  'ECE',
];

export function textTable(rows: Row[]): string {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => r.map((s, c) => s.padStart(widths[c])).join('  ')).join('\n');
}

export function markdownTable(rows: Row[], config: CtrModelConfig): string {
  const lines = [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ];
  const rungs = rungLines(rows).map((l) => `- ${l}`);
  return `${lines.join('\n')}\n\nSelection (tail log-loss of each candidate at each rung, rows learned):\n\n${rungs.join('\n')}\n\nDefault configuration: \`${describeConfig(config)}\``;
}

/** One line per data set: each candidate's tail log-loss at each rung (name@rows learned; a batch LR's points with their C), then the choice. */
export function rungLines(rows: Row[]): string[] {
  return rows
    .filter((r) => r.ours.rungs?.length)
    .map(
      (r) =>
        `${r.ours.name}: ${r.ours
          .rungs!.map(
            (g) =>
              `${g.name}${g.c === undefined ? '' : ` C=${+g.c.toPrecision(3)}`}@${g.rows} ${g.logLoss.toFixed(4)}`,
          )
          .join(', ')} → ${r.ours.model}`,
    );
}
