/**
 * A daily line chart's geometry, pure: the plot area, a "nice" value axis from zero (steps of
 * 1, 2 or 5 × 10^k), zh-CN tick labels (万 for counts, % for rates, ¥ for fen), day labels
 * thinned to fit, and each day's point (null where the value is undefined, e.g. CTR on a day
 * without impressions). draw.ts turns a layout into canvas calls; no canvas is touched here.
 */

/** How values read: counts ("1.2万"), rates ("3.5%"), money in fen ("¥12"). */
export type ValueKind = 'count' | 'percent' | 'fen';

export interface ChartInput {
  /** CSS pixels of the canvas. */
  width: number;
  height: number;
  /** One label per day ("11月28日"), same length as values. */
  labels: string[];
  values: (number | null)[];
  kind: ValueKind;
  /** Axis caption drawn above the value axis, e.g. "曝光（次）". */
  caption: string;
  fontSize?: number;
}

export interface Tick {
  value: number;
  /** y for value ticks, x for day ticks (CSS px). */
  pos: number;
  label: string;
}

export interface Point {
  x: number;
  y: number;
  value: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  fontSize: number;
  caption: string;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: Tick[];
  xTicks: Tick[];
  points: (Point | null)[];
  /** Runs of consecutive points, each drawn as one polyline (a null value breaks the line). */
  segments: Point[][];
  /** True when there is no value to draw: the chart says so instead of drawing a flat line. */
  empty: boolean;
}

const PAD = 8;
const TICK_GAP = 6;
const TARGET_Y_TICKS = 4;

/** The smallest of 1, 2, 5 × 10^k that is ≥ raw. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / exp;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * exp;
}

/** Smallest useful step per kind: whole counts, 0.01 % rates, 1 fen. */
const MIN_STEP: Record<ValueKind, number> = { count: 1, percent: 0.0001, fen: 1 };
/** Axis top when every value is zero. */
const EMPTY_TOP: Record<ValueKind, number> = { count: 4, percent: 0.04, fen: 400 };

/** Tick values from 0 up to the first multiple of the step at or above max. */
export function valueTicks(max: number, kind: ValueKind, target = TARGET_Y_TICKS): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : EMPTY_TOP[kind];
  const step = Math.max(MIN_STEP[kind], niceStep(top / target));
  const n = Math.max(1, Math.ceil(top / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Decimals that show a step exactly (step 0.5 → 1, 0.05 → 2, 5 → 0). */
function decimalsFor(step: number): number {
  if (!(step > 0)) return 0;
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

const trim = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

/** A value-axis label in zh-CN; `step` sets the decimals so neighbouring ticks read apart. */
export function tickLabel(value: number, kind: ValueKind, step: number): string {
  if (value === 0) return kind === 'percent' ? '0%' : kind === 'fen' ? '¥0' : '0';
  if (kind === 'percent') return `${(value * 100).toFixed(decimalsFor(step * 100))}%`;
  if (kind === 'fen') {
    const yuan = value / 100;
    if (yuan >= 10_000) return `¥${trim((yuan / 10_000).toFixed(2))}万`;
    return `¥${yuan.toFixed(decimalsFor(step / 100))}`;
  }
  if (value >= 10_000) return `${trim((value / 10_000).toFixed(2))}万`;
  return String(Math.round(value));
}

/** Width estimate of a label: CJK and full-width signs one em, anything else about 0.6 em. */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? fontSize : fontSize * 0.6;
  return w;
}

export function layoutChart(input: ChartInput): ChartLayout {
  const fontSize = input.fontSize ?? 11;
  const { width, height, kind } = input;
  const n = Math.min(input.labels.length, input.values.length);
  const values = input.values.slice(0, n);
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = defined.length ? Math.max(...defined) : 0;

  const tickValues = valueTicks(max, kind);
  const step = tickValues[1] - tickValues[0];
  const yLabels = tickValues.map((v) => tickLabel(v, kind, step));
  const labelWidth = Math.max(...yLabels.map((l) => textWidth(l, fontSize)));

  const plot = {
    left: PAD + labelWidth + TICK_GAP,
    top: PAD + fontSize + TICK_GAP,
    right: width - PAD,
    bottom: height - PAD - fontSize - TICK_GAP,
  };
  const plotW = Math.max(1, plot.right - plot.left);
  const plotH = Math.max(1, plot.bottom - plot.top);
  const top = tickValues[tickValues.length - 1];
  const yOf = (v: number): number => plot.bottom - (Math.max(0, v) / top) * plotH;
  // Each day owns an equal band and sits in its middle, so one day is centred and bars would fit.
  const band = plotW / Math.max(1, n);
  const xOf = (i: number): number => plot.left + (i + 0.5) * band;

  const yTicks = tickValues.map((value, i) => ({ value, pos: yOf(value), label: yLabels[i] }));

  // Thin the day labels so they never overlap; the last day is always labelled.
  const dayWidth =
    Math.max(0, ...input.labels.slice(0, n).map((l) => textWidth(l, fontSize))) + TICK_GAP;
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / dayWidth))));
  const xTicks: Tick[] = [];
  for (let i = 0; i < n; i++)
    if ((n - 1 - i) % every === 0) xTicks.push({ value: i, pos: xOf(i), label: input.labels[i] });

  const points = values.map((v, i) =>
    v === null || !Number.isFinite(v) ? null : { x: xOf(i), y: yOf(v), value: v },
  );
  const segments: Point[][] = [];
  let run: Point[] = [];
  for (const p of points) {
    if (p) {
      run.push(p);
    } else if (run.length) {
      segments.push(run);
      run = [];
    }
  }
  if (run.length) segments.push(run);

  return {
    width,
    height,
    fontSize,
    caption: input.caption,
    plot,
    yTicks,
    xTicks,
    points,
    segments,
    empty: defined.length === 0,
  };
}
