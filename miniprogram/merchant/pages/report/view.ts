/** What the report page shows, computed from `report.daily` and `report.breakdown` answers: pure, so the page only calls setData. */
import type { Breakdown, DailyReportRow } from '../../../../typings';
import {
  count,
  cstDay,
  dayLabel,
  msFromPickerDate,
  percent,
  pickerDate,
  ratio,
  yuan,
} from '../../../services/format';
import type { ValueKind } from '../../chart/layout';

/** The server's limit on one report's range (server/merchant/reports.ts). */
export const MAX_REPORT_DAYS = 31;
export const PRESET_DAYS = [7, 14, 30] as const;
const DAY_MS = 86_400_000;

export interface DayRange {
  /** CST days "YYYYMMDD", inclusive. */
  from: string;
  to: string;
}

/** The last `days` CST days, today included. */
export function presetRange(days: number, now: number): DayRange {
  return { from: cstDay(now - (days - 1) * DAY_MS), to: cstDay(now) };
}

/** Two picker dates ("2026-11-01") as a range, or the reason they are not one. */
export function pickerRange(
  fromText: string,
  toText: string,
  now: number,
): DayRange | { error: string } {
  const from = msFromPickerDate(fromText);
  const to = msFromPickerDate(toText);
  if (from === null || to === null) return { error: '请选择开始和结束日期' };
  if (to < from) return { error: '结束日期不能早于开始日期' };
  if (cstDay(to) > cstDay(now)) return { error: '结束日期不能晚于今天' };
  const days = Math.round((to - from) / DAY_MS) + 1;
  if (days > MAX_REPORT_DAYS)
    return { error: `一次最多查询 ${MAX_REPORT_DAYS} 天，请缩短日期范围` };
  return { from: cstDay(from), to: cstDay(to) };
}

/** "20261128" → "2026-11-28", what a date picker takes. */
export function dayToPicker(day: string): string {
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
}

export const todayPicker = (now: number): string => pickerDate(now);

/** "11月22日 – 11月28日" (with the year when the range crosses one). */
export function rangeText(r: DayRange): string {
  const withYear = r.from.slice(0, 4) !== r.to.slice(0, 4);
  return r.from === r.to
    ? dayLabel(r.from, withYear)
    : `${dayLabel(r.from, withYear)} – ${dayLabel(r.to, withYear)}`;
}

/** True when any day saw anything at all: otherwise the page shows its empty state. */
export function hasData(rows: DailyReportRow[]): boolean {
  return rows.some(
    (r) =>
      r.requestsWon > 0 ||
      r.viewableImpressions > 0 ||
      r.clicks > 0 ||
      r.spendFen > 0 ||
      r.orders > 0,
  );
}

export interface Totals {
  requestsWon: number;
  impressions: number;
  clicks: number;
  invalidClicks: number;
  spendFen: number;
  orders: number;
  paidFen: number;
  refunds: number;
  refundedFen: number;
  /** The range's orders not refunded in full, and what they kept (the server's net figures). */
  netOrders: number;
  netPaidFen: number;
  ctr: number | null;
  /** Spend per order kept, and what was kept per yuan spent: both net of refunds. */
  cpaFen: number | null;
  roas: number | null;
}

/** Sums over the range; CTR, CPA and ROAS are ratios of the sums, not averages of daily ratios. */
export function totals(rows: DailyReportRow[]): Totals {
  const t = {
    requestsWon: 0,
    impressions: 0,
    clicks: 0,
    invalidClicks: 0,
    spendFen: 0,
    orders: 0,
    paidFen: 0,
    refunds: 0,
    refundedFen: 0,
    netOrders: 0,
    netPaidFen: 0,
  };
  for (const r of rows) {
    t.requestsWon += r.requestsWon;
    t.impressions += r.viewableImpressions;
    t.clicks += r.clicks;
    t.invalidClicks += r.invalidClicks;
    t.spendFen += r.spendFen;
    t.orders += r.orders;
    t.paidFen += r.paidFen;
    t.refunds += r.refunds;
    t.refundedFen += r.refundedFen;
    t.netOrders += r.netOrders;
    t.netPaidFen += r.netPaidFen;
  }
  return {
    ...t,
    ctr: t.impressions > 0 ? t.clicks / t.impressions : null,
    cpaFen: t.netOrders > 0 ? t.spendFen / t.netOrders : null,
    roas: t.spendFen > 0 ? t.netPaidFen / t.spendFen : null,
  };
}

export interface Card {
  key: string;
  label: string;
  value: string;
}

export function summaryCards(t: Totals): Card[] {
  return [
    { key: 'impressions', label: '曝光', value: count(t.impressions) },
    { key: 'clicks', label: '点击', value: count(t.clicks) },
    { key: 'invalid', label: '无效点击', value: count(t.invalidClicks) },
    { key: 'ctr', label: '点击率', value: percent(t.ctr) },
    { key: 'spend', label: '花费', value: yuan(t.spendFen) },
    { key: 'orders', label: '订单', value: count(t.orders) },
    // Net of refunds, as the server computes them (a refunded order is no conversion).
    { key: 'cpa', label: 'CPA（扣除退款）', value: t.cpaFen === null ? '—' : yuan(t.cpaFen) },
    { key: 'roas', label: 'ROAS（扣除退款）', value: ratio(t.roas) },
    { key: 'refunds', label: '退款', value: count(t.refunds) },
    { key: 'refunded', label: '退款金额', value: yuan(t.refundedFen) },
  ];
}

export interface TableRow {
  day: string;
  label: string;
  impressions: string;
  clicks: string;
  invalid: string;
  ctr: string;
  spend: string;
  orders: string;
  roas: string;
  refunds: string;
  refunded: string;
}

/** The days, newest first (the chart reads oldest → newest, the table the latest first). */
export function tableRows(rows: DailyReportRow[]): TableRow[] {
  return [...rows]
    .sort((a, b) => (a.day < b.day ? 1 : -1))
    .map((r) => ({
      day: r.day,
      label: dayLabel(r.day),
      impressions: count(r.viewableImpressions),
      clicks: count(r.clicks),
      invalid: count(r.invalidClicks),
      ctr: percent(r.ctr),
      spend: yuan(r.spendFen),
      orders: count(r.orders),
      roas: ratio(r.roas),
      refunds: count(r.refunds),
      refunded: yuan(r.refundedFen),
    }));
}

/** The metrics the chart switches between. */
export type SeriesKey = 'impressions' | 'clicks' | 'ctr' | 'spend';

export interface Series {
  key: SeriesKey;
  label: string;
  caption: string;
  kind: ValueKind;
  color: string;
  pick(r: DailyReportRow): number | null;
}

export const SERIES: Series[] = [
  {
    key: 'impressions',
    label: '曝光',
    caption: '曝光（次）',
    kind: 'count',
    color: '#1989fa',
    pick: (r) => r.viewableImpressions,
  },
  {
    key: 'clicks',
    label: '点击',
    caption: '点击（次）',
    kind: 'count',
    color: '#07c160',
    pick: (r) => r.clicks,
  },
  {
    key: 'ctr',
    label: '点击率',
    caption: '点击率',
    kind: 'percent',
    color: '#ff976a',
    pick: (r) => r.ctr,
  },
  {
    key: 'spend',
    label: '花费',
    caption: '花费（元）',
    kind: 'fen',
    color: '#ee0a24',
    pick: (r) => r.spendFen,
  },
];

export const seriesOf = (key: string): Series => SERIES.find((s) => s.key === key) ?? SERIES[0];

/** Oldest first, labelled for the x axis. */
export function chartSeries(
  rows: DailyReportRow[],
  key: string,
): { labels: string[]; values: (number | null)[]; series: Series } {
  const series = seriesOf(key);
  const sorted = [...rows].sort((a, b) => (a.day < b.day ? -1 : 1));
  return {
    labels: sorted.map((r) => dayLabel(r.day)),
    values: sorted.map((r) => series.pick(r)),
    series,
  };
}

/** Short names of common WeChat launch scenes (the segment key is "scene:<number>"). */
const SCENE_NAMES: Record<number, string> = {
  1001: '发现页小程序入口',
  1005: '微信首页搜索',
  1007: '单聊分享卡片',
  1008: '群聊分享卡片',
  1011: '扫描二维码',
  1037: '从其他小程序打开',
  1038: '从其他小程序返回',
  1089: '聊天主界面下拉',
};

/** A row's name: the server's label where it sends one (buyer segments), else from the key. */
export function breakdownLabel(by: Breakdown['by'], key: string, label?: string): string {
  if (label) return label;
  if (by === 'buyers') return '未知分群';
  // Positions are 0-based feed indexes: "3" is the fourth card.
  if (by === 'position') return /^\d+$/.test(key) ? `信息流第 ${Number(key) + 1} 条` : key;
  if (key === 'scene:unknown') return '未知场景';
  const m = /^scene:(\d+)$/.exec(key);
  if (!m) return key;
  const name = SCENE_NAMES[Number(m[1])];
  return name ? `${name}（${m[1]}）` : `场景 ${m[1]}`;
}

export interface BreakdownRowView {
  key: string;
  label: string;
  users: string;
  impressions: string;
  clicks: string;
  ctr: string;
  /** Buyer segments: pay-verified orders through the ad, their paid amount, refunded so far and net ('' otherwise). */
  orders: string;
  paid: string;
  refunded: string;
  net: string;
}

export interface BreakdownView {
  rows: BreakdownRowView[];
  /** Always shown: why small groups are missing. */
  note: string;
  /** Shown when this answer left groups out. */
  suppressedText: string;
}

export function breakdownView(b: Breakdown): BreakdownView {
  const rows = [...b.rows]
    .sort((x, y) =>
      b.by === 'position' && /^\d+$/.test(x.key) && /^\d+$/.test(y.key)
        ? Number(x.key) - Number(y.key)
        : b.by === 'buyers'
          ? // Money kept first: what a merchant weighs a segment by.
            (y.netPaidFen ?? y.paidFen ?? 0) - (x.netPaidFen ?? x.paidFen ?? 0)
          : y.viewableImpressions - x.viewableImpressions,
    )
    .map((r) => ({
      key: r.key,
      label: breakdownLabel(b.by, r.key, r.label),
      users: count(r.users),
      impressions: count(r.viewableImpressions),
      clicks: count(r.clicks),
      ctr: percent(r.ctr),
      orders: r.orders === undefined ? '' : count(r.orders),
      paid: r.paidFen === undefined ? '' : yuan(r.paidFen),
      refunded: r.refundedFen === undefined ? '' : yuan(r.refundedFen),
      net: r.netPaidFen === undefined ? '' : yuan(r.netPaidFen),
    }));
  return {
    rows,
    note: `为保护用户隐私，少于 ${b.minUsers} 位用户的分组不显示`,
    suppressedText: b.suppressedRows > 0 ? `本期有 ${b.suppressedRows} 个分组因人数不足未显示` : '',
  };
}
