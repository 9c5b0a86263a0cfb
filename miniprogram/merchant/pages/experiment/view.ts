/**
 * What the experiment results page shows, from `experiment.get` / `experiment.results`: pure,
 * so the page only calls setData. Estimates and differences come with their 95 % intervals and
 * the two-sided p-value; a verdict is worded only when the server says there is enough data.
 */
import type {
  Experiment,
  ExperimentMetric,
  ExperimentResults,
  MetricResult,
} from '../../../../typings';
import {
  count,
  dateTime,
  percent,
  percentPoints,
  signedYuan,
  yuan,
} from '../../../services/format';
import {
  METRIC_KIND,
  METRIC_LABELS,
  PARAMETER_LABELS,
  STATUS,
  trafficText,
  valueText,
  variantTitle,
} from '../../experiment-labels';

/** Below this p-value a difference is called significant (the server's intervals are 95 %). */
export const ALPHA = 0.05;

export interface HeaderView {
  name: string;
  statusLabel: string;
  tag: string;
  parameterText: string;
  trafficText: string;
  timeText: string;
  variants: { name: string; control: boolean; valueText: string; shareText: string }[];
}

export function headerView(e: Experiment): HeaderView {
  const total = e.variants.reduce((s, v) => s + v.weight, 0) || 1;
  const times = [`创建于 ${dateTime(e.createdAt)}`];
  if (e.startedAt !== null) times.push(`开始于 ${dateTime(e.startedAt)}`);
  if (e.stoppedAt !== null) times.push(`停止于 ${dateTime(e.stoppedAt)}`);
  return {
    name: e.name,
    statusLabel: STATUS[e.status].label,
    tag: STATUS[e.status].tag,
    parameterText: `${PARAMETER_LABELS[e.parameter]}（${e.parameter}）`,
    trafficText: trafficText(e.buckets),
    timeText: times.join(' · '),
    variants: e.variants.map((v, i) => ({
      name: v.name,
      control: i === 0,
      valueText: valueText(e.parameter, v.value),
      shareText: percent(v.weight / total, 0),
    })),
  };
}

/** "p < 0.001", "p = 0.034"; "—" when the test is undefined. */
export function pText(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return 'p = —';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

const valueOf = (metric: ExperimentMetric, x: number): string =>
  METRIC_KIND[metric] === 'rate' ? percent(x) : yuan(x);

function intervalText(metric: ExperimentMetric, low: number | null, high: number | null): string {
  if (low === null || high === null) return '区间不可用';
  return `95% 区间 ${valueOf(metric, low)} ~ ${valueOf(metric, high)}`;
}

function deltaText(metric: ExperimentMetric, x: number | null): string {
  return METRIC_KIND[metric] === 'rate' ? percentPoints(x) : signedYuan(x);
}

export type Verdict = 'control' | 'better' | 'worse' | 'same' | 'pending' | 'untestable';

/** The Chinese wording of a comparison; "better" / "worse" mean higher / lower than control. */
export function verdict(
  enoughData: boolean,
  delta: number,
  pValue: number | null,
): { kind: Verdict; text: string } {
  if (!enoughData) return { kind: 'pending', text: '样本不足，暂不下结论' };
  if (pValue === null) return { kind: 'untestable', text: '无法检验（数据没有波动）' };
  if (pValue < ALPHA)
    return delta > 0
      ? { kind: 'better', text: '显著高于对照组' }
      : { kind: 'worse', text: '显著低于对照组' };
  return { kind: 'same', text: '与对照组无显著差异' };
}

/** Where an interval sits on the section's shared axis, in % of the track. */
export interface Bar {
  left: number;
  width: number;
  point: number;
}

export interface VariantView {
  variant: string;
  /** What the page calls it: the name, or a creative test's creative title and name. */
  title: string;
  control: boolean;
  nText: string;
  valueText: string;
  intervalText: string;
  bar: Bar;
  diffText: string;
  diffIntervalText: string;
  pText: string;
  verdict: Verdict;
  verdictText: string;
}

export interface MetricView {
  metric: ExperimentMetric;
  label: string;
  role: '目标指标' | '护栏指标';
  testText: string;
  enoughData: boolean;
  note: string;
  /** Where the control's value lies on the axis, for the reference line. */
  controlPoint: number;
  variants: VariantView[];
}

const clamp = (x: number): number => Math.min(100, Math.max(0, x));
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** One axis for all variants of a metric, from the lowest interval end to the highest, 5 % padded. */
export function bars(
  estimates: { value: number; low: number | null; high: number | null }[],
): Bar[] {
  const lows = estimates.map((e) => e.low ?? e.value);
  const highs = estimates.map((e) => e.high ?? e.value);
  let lo = Math.min(...lows);
  let hi = Math.max(...highs);
  if (!(hi > lo)) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const span = hi - lo;
  lo -= span * 0.05;
  hi += span * 0.05;
  const at = (x: number): number => round1(clamp(((x - lo) / (hi - lo)) * 100));
  return estimates.map((e, i) => {
    const left = at(lows[i]);
    return { left, width: Math.max(0.5, round1(at(highs[i]) - left)), point: at(e.value) };
  });
}

export function metricView(
  r: MetricResult,
  role: MetricView['role'],
  titleOf: (variant: string) => string = (v) => v,
): MetricView {
  const rate = METRIC_KIND[r.metric] === 'rate';
  const unit = rate ? '次曝光' : '位用户';
  const axis = bars(r.variants.map((v) => v.estimate));
  return {
    metric: r.metric,
    label: METRIC_LABELS[r.metric],
    role,
    testText: r.test === 'delta-method z' ? '按用户的 z 检验（delta 方法）' : 'Welch t 检验',
    enoughData: r.enoughData,
    note: r.enoughData
      ? ''
      : `每组至少 ${count(r.minSample)} ${unit}${rate ? `、${count(r.minUsers)} 位用户` : ''}后才下结论，目前只显示估计值`,
    controlPoint: axis[0]?.point ?? 0,
    variants: r.variants.map((v, i) => {
      const d = v.vsControl;
      const w = d
        ? verdict(r.enoughData, d.delta, d.pValue)
        : { kind: 'control' as const, text: '对照组' };
      return {
        variant: v.variant,
        title: titleOf(v.variant),
        control: d === null,
        nText: `${count(v.estimate.n)} ${unit}`,
        valueText: valueOf(r.metric, v.estimate.value),
        intervalText: intervalText(r.metric, v.estimate.low, v.estimate.high),
        bar: axis[i],
        diffText: d ? `较对照组 ${deltaText(r.metric, d.delta)}` : '',
        diffIntervalText: d
          ? d.low === null || d.high === null
            ? '差值区间不可用'
            : `95% 区间 ${deltaText(r.metric, d.low)} ~ ${deltaText(r.metric, d.high)}`
          : '',
        pText: d ? pText(d.pValue) : '',
        verdict: w.kind,
        verdictText: w.text,
      };
    }),
  };
}

/** One feed.prefetch variant's measured effect (time to content on detail, prefetch cost per open). */
export interface PrefetchRow {
  variant: string;
  title: string;
  timing: string;
  cost: string;
}

const kb = (bytes: number | null): string =>
  bytes === null ? '—' : `${(bytes / 1024).toFixed(1)} KB`;

/** The rows of 预取效果: what each variant's users waited on detail, and what prefetching cost. */
export function prefetchRows(e: Experiment, r: ExperimentResults): PrefetchRow[] {
  return (r.prefetch ?? []).map((p) => ({
    variant: p.variant,
    title: variantTitle(e, p.variant),
    timing: p.timeToContent
      ? `详情内容耗时 p50 ${Math.round(p.timeToContent.p50)} ms，p90 ${Math.round(p.timeToContent.p90)} ms（${count(p.opens)} 次打开）`
      : '还没有详情打开的耗时数据',
    cost:
      `每次打开预取 ${p.callsPerOpen === null ? '—' : p.callsPerOpen.toFixed(2)} 次请求、${kb(p.bytesPerOpen)}；` +
      `命中 ${p.hitRate === null ? '—' : percent(p.hitRate, 1)}（共 ${count(p.calls)} 次请求，${kb(p.bytes)}）`,
  }));
}

export interface ResultsView {
  srm: boolean;
  srmText: string;
  truncatedText: string;
  users: { variant: string; title: string; text: string }[];
  /** Per variant: mean predicted purchase propensity beside the realised pay rate, and the money net of refunds. */
  purchase: { variant: string; title: string; text: string; netText: string }[];
  metrics: MetricView[];
  /** feed.prefetch experiments: 预取效果 per variant; empty otherwise. */
  prefetch: PrefetchRow[];
}

/** "预测购买倾向 12.3%（88 人有预测）· 实际付款率 9.8%（10 人付款）". */
export function purchaseText(p: ExperimentResults['purchase'][string] | undefined): string {
  if (!p) return '—';
  const predicted =
    p.meanPropensity === null
      ? '预测购买倾向 —（暂无预测）'
      : `预测购买倾向 ${percent(p.meanPropensity, 1)}（${count(p.scored)} 人有预测）`;
  const realised =
    p.payRate === null
      ? '实际付款率 —'
      : `实际付款率 ${percent(p.payRate, 1)}（${count(p.payers)} 人付款）`;
  return `${predicted} · ${realised}`;
}

/** "实收 ¥82.00（付款 ¥94.00，退款 1 笔 ¥12.00）": what the variant's buyers paid and kept paid. */
export function netText(p: ExperimentResults['purchase'][string] | undefined): string {
  if (!p || typeof p.netFen !== 'number') return '';
  return `扣除退款后实收 ${yuan(p.netFen)}（付款 ${yuan(p.paidFen)}，退款 ${count(p.refunds)} 笔 ${yuan(p.refundedFen)}）`;
}

export function resultsView(e: Experiment, r: ExperimentResults): ResultsView {
  const total = e.variants.reduce((s, v) => s + v.weight, 0) || 1;
  const exposed = Object.values(r.users).reduce((s, n) => s + n, 0);
  return {
    srm: r.srm.mismatch,
    srmText: r.srm.mismatch
      ? `样本比例异常（SRM）：各组实际进入的用户数与设定的流量比例明显不符（${pText(r.srm.pValue)}），分流或数据记录可能有问题，以下结果暂不可信，请先排查原因。`
      : '',
    truncatedText: r.truncated
      ? `数据量较大，本次只统计了前 ${count(r.eventsRead)} 条事件，结果可能不完整。`
      : '',
    users: e.variants.map((v) => {
      const n = r.users[v.name] ?? 0;
      return {
        variant: v.name,
        title: variantTitle(e, v.name),
        text: `${count(n)} 人（设定 ${percent(v.weight / total, 0)}，实际 ${exposed > 0 ? percent(n / exposed, 1) : '—'}）`,
      };
    }),
    purchase: e.variants.map((v) => ({
      variant: v.name,
      title: variantTitle(e, v.name),
      text: purchaseText(r.purchase?.[v.name]),
      netText: netText(r.purchase?.[v.name]),
    })),
    metrics: [
      metricView(r.target, '目标指标', (v) => variantTitle(e, v)),
      ...r.guardrails.map((g) => metricView(g, '护栏指标', (v) => variantTitle(e, v))),
    ],
    prefetch: prefetchRows(e, r),
  };
}
