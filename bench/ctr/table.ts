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
    f(timeRatio(r) ?? NaN, 2),
    f(o.progressiveAuc, 4),
    f(o.ece, 4),
  ];
}

/** Our training seconds over LIBLINEAR's fit seconds, both wall clock in the same run; null without the anchor. */
export function timeRatio(r: Row): number | null {
  return r.anchor && r.anchor.fitSeconds > 0 ? r.ours.trainSeconds / r.anchor.fitSeconds : null;
}

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
  'time ratio',
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

/** One line per data set: each candidate's tail log-loss at each rung (name@rows learned), then the choice. */
export function rungLines(rows: Row[]): string[] {
  return rows
    .filter((r) => r.ours.rungs?.length)
    .map(
      (r) =>
        `${r.ours.name}: ${r.ours
          .rungs!.map((g) => `${g.name}@${g.rows} ${g.logLoss.toFixed(4)}`)
          .join(', ')} → ${r.ours.model}`,
    );
}
