/** Chinese names for what an experiment is (status, parameter, metric) and its variants' values; shared by the experiment pages. */
import type {
  Experiment,
  ExperimentMetric,
  ExperimentParameter,
  ExperimentStatus,
  ParameterValue,
} from '../../typings';
import { count, dateTime } from '../services/format';

export const STATUS: Record<
  ExperimentStatus,
  { label: string; tag: 'default' | 'success' | 'warning' }
> = {
  draft: { label: '草稿', tag: 'default' },
  running: { label: '运行中', tag: 'success' },
  stopped: { label: '已停止', tag: 'warning' },
};

export const PARAMETER_LABELS: Record<ExperimentParameter, string> = {
  'feed.diversity': '推荐多样性',
  'feed.explore': '探索比例',
  'ads.slots': '广告位置',
  'ad.creative': '广告创意',
  'feed.prefetch': '详情预取',
};

/** How a feed.prefetch variant reads. */
const PREFETCH_LABELS: Record<string, string> = {
  off: '不预取',
  position: '按位置预取',
  learned: '按模型预取',
};

export const METRIC_LABELS: Record<ExperimentMetric, string> = {
  ctr: '点击率',
  likes_per_impression: '点赞率',
  paid_per_user: '人均支付金额',
  net_paid_per_user: '人均净收入（扣除退款）',
};

/** What a creative test may target or guard (the server's CREATIVE_METRICS): likes are not counted on ad cards. */
export const CREATIVE_METRICS: readonly ExperimentMetric[] = [
  'ctr',
  'paid_per_user',
  'net_paid_per_user',
];

/** Rates per impression are shown as %, the per-user mean (fen) as ¥. */
export const METRIC_KIND: Record<ExperimentMetric, 'rate' | 'mean'> = {
  ctr: 'rate',
  likes_per_impression: 'rate',
  paid_per_user: 'mean',
  net_paid_per_user: 'mean',
};

/** Buckets of 10,000 → "10%" of the layer's traffic. */
export function trafficText(buckets: number): string {
  return `${Number((buckets / 100).toFixed(2))}%`;
}

/** A variant's setting as people read it: "0.3", ad positions as cards ("第 4、11 条"), or a creative by its title. */
export function valueText(parameter: ExperimentParameter, value: ParameterValue): string {
  if (Array.isArray(value))
    return value.length ? `第 ${value.map((p) => p + 1).join('、')} 条` : '不放广告';
  if (typeof value === 'object') return `「${value.title}」`;
  if (typeof value === 'string') return PREFETCH_LABELS[value] ?? value;
  return parameter === 'ads.slots' ? `第 ${value + 1} 条` : String(value);
}

export interface ExperimentRow {
  id: string;
  name: string;
  status: ExperimentStatus;
  statusLabel: string;
  tag: string;
  summary: string;
  timeText: string;
}

export function experimentRow(e: Experiment): ExperimentRow {
  const time =
    e.status === 'running' && e.startedAt !== null
      ? `开始于 ${dateTime(e.startedAt)}`
      : e.status === 'stopped' && e.stoppedAt !== null
        ? `停止于 ${dateTime(e.stoppedAt)}`
        : `创建于 ${dateTime(e.createdAt)}`;
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    statusLabel: STATUS[e.status].label,
    tag: STATUS[e.status].tag,
    summary: `${PARAMETER_LABELS[e.parameter]} · ${count(e.variants.length)} 组 · 流量 ${trafficText(e.buckets)} · 目标 ${METRIC_LABELS[e.targetMetric]}`,
    timeText: time,
  };
}

/** How results name a variant: a creative test's by its creative's title ("「第二份半价」 half"), others by their name. */
export function variantTitle(e: Experiment, name: string): string {
  const v = e.variants.find((x) => x.name === name);
  const value = v?.value;
  return e.parameter === 'ad.creative' &&
    value !== undefined &&
    typeof value === 'object' &&
    !Array.isArray(value)
    ? `「${value.title}」 ${name}`
    : name;
}
