/**
 * A campaign's report (`/merchant/pages/report/index?campaignId=…`): a range of CST days (last
 * 7 / 14 / 30 days or two date pickers, at most 31 days), summary cards, a daily chart on a 2D
 * canvas with a metric switch, the days as a table, and the breakdowns by feed position and by
 * launch scene with the k-anonymity note. Written with Component() so it runs in miniprogram-simulate.
 */
import type {
  Breakdown,
  DailyReportRow,
  MerchantRequest,
  MerchantResponse,
} from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { queryCanvas } from '../../chart/canvas';
import { DEFAULT_STYLE, drawChart } from '../../chart/draw';
import { layoutChart } from '../../chart/layout';
import {
  PRESET_DAYS,
  SERIES,
  breakdownView,
  chartSeries,
  dayToPicker,
  hasData,
  pickerRange,
  presetRange,
  rangeText,
  summaryCards,
  tableRows,
  todayPicker,
  totals,
} from './view';
import type { BreakdownView, Card, DayRange, TableRow } from './view';

// Three breakdown tabs: by slot, by launch scene, and the buyers of pay-verified orders by segment.
type By = Breakdown['by'];
const BYS: readonly By[] = ['position', 'segment', 'buyers'];

/** With `loadable`'s status (loading, ready, empty, error) and errorMessage. */
interface ReportData {
  campaignName: string;
  presets: { days: number; label: string }[];
  /** Days of the chosen preset; 0 while a custom range is being picked. */
  preset: number;
  range: DayRange;
  rangeText: string;
  pickerFrom: string;
  pickerTo: string;
  pickerMax: string;
  rangeError: string;
  cards: Card[];
  series: { key: string; label: string }[];
  seriesKey: string;
  table: TableRow[];
  breakdownBy: By;
  breakdowns: Record<By, BreakdownView | null>;
  breakdownErrors: Record<By, string>;
}

type Tap = WechatMiniprogram.BaseEvent<
  Record<string, never>,
  { days?: number; key?: string; by?: By }
>;
type PickerChange = WechatMiniprogram.CustomEvent<{ value: string }>;

type ReportMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  onPresetTap(e: Tap): Promise<void>;
  onFromChange(e: PickerChange): Promise<void>;
  onToChange(e: PickerChange): Promise<void>;
  applyPickers(): Promise<void>;
  onSeriesTap(e: Tap): Promise<void>;
  onBreakdownTap(e: Tap): void;
  load(): Promise<void>;
  drawChart(): Promise<void>;
};

interface ReportInstance {
  campaignId: string;
  /** The rows of the shown range, kept off `data`: only the chart reads them again. */
  rows: DailyReportRow[];
  /** Bumped per load, so an older range answering late is ignored. */
  seq: number;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

function merchantCall(req: MerchantRequest): Promise<MerchantResponse> {
  return getApi().call('merchant', req);
}

const DEFAULT_PRESET = 7;
const CHART_ID = '#rs-report-chart';

Component<
  ReportData,
  Record<string, never>,
  ReportMethods,
  [typeof loadable],
  ReportInstance,
  true
>({
  behaviors: [loadable],

  data: {
    campaignName: '',
    presets: [
      ...PRESET_DAYS.map((days) => ({ days, label: `近 ${days} 天` })),
      { days: 0, label: '自定义' },
    ],
    preset: DEFAULT_PRESET,
    range: { from: '', to: '' },
    rangeText: '',
    pickerFrom: '',
    pickerTo: '',
    pickerMax: '',
    rangeError: '',
    cards: [],
    series: SERIES.map((s) => ({ key: s.key, label: s.label })),
    seriesKey: SERIES[0].key,
    table: [],
    breakdownBy: 'position',
    breakdowns: { position: null, segment: null, buyers: null },
    breakdownErrors: { position: '', segment: '', buyers: '' },
  },

  lifetimes: {
    created() {
      this.campaignId = '';
      this.rows = [];
      this.seq = 0;
    },
  },

  methods: {
    async onLoad(query) {
      this.campaignId = query?.campaignId ?? '';
      if (!this.campaignId) {
        this.setData({ status: 'error', errorMessage: '没有指定广告计划，请从广告列表进入' });
        return;
      }
      const now = Date.now();
      const range = presetRange(DEFAULT_PRESET, now);
      this.setData({ range, rangeText: rangeText(range), pickerMax: todayPicker(now) });
      // The name is a nicety: if it fails, the report's own answer says why.
      const named = settle(merchantCall({ action: 'campaign.get', campaignId: this.campaignId }));
      const loaded = this.load();
      const campaign = await named;
      if (campaign.ok && campaign.value.action === 'campaign.get')
        this.setData({ campaignName: campaign.value.campaign.name });
      await loaded;
    },

    async onPresetTap(e) {
      const days = Number(e.currentTarget.dataset.days);
      if (days === this.data.preset) return;
      if (days === 0) {
        // Custom: the pickers start from the shown range; nothing is asked until one changes.
        this.setData({
          preset: 0,
          pickerFrom: dayToPicker(this.data.range.from),
          pickerTo: dayToPicker(this.data.range.to),
          rangeError: '',
        });
        return;
      }
      const range = presetRange(days, Date.now());
      this.setData({ preset: days, range, rangeText: rangeText(range), rangeError: '' });
      await this.load();
    },

    async onFromChange(e) {
      this.setData({ pickerFrom: e.detail.value });
      await this.applyPickers();
    },

    async onToChange(e) {
      this.setData({ pickerTo: e.detail.value });
      await this.applyPickers();
    },

    /** A valid custom range loads; an invalid one says why and keeps the shown report. */
    async applyPickers() {
      const r = pickerRange(this.data.pickerFrom, this.data.pickerTo, Date.now());
      if ('error' in r) {
        this.setData({ rangeError: r.error });
        return;
      }
      this.setData({ range: r, rangeText: rangeText(r), rangeError: '' });
      await this.load();
    },

    async onSeriesTap(e) {
      const key = e.currentTarget.dataset.key;
      if (!key || key === this.data.seriesKey) return;
      this.setData({ seriesKey: key });
      await this.drawChart();
    },

    onBreakdownTap(e) {
      const by = e.currentTarget.dataset.by;
      if (by && (BYS as readonly string[]).includes(by)) this.setData({ breakdownBy: by as By });
    },

    /** The daily report decides the page's state; a failed breakdown only says so in its own section. */
    async load() {
      const seq = ++this.seq;
      const { from, to } = this.data.range;
      const campaignId = this.campaignId;
      this.setData({ status: 'loading', errorMessage: '' });
      const [daily, position, segment, buyers] = await Promise.all([
        settle(merchantCall({ action: 'report.daily', campaignId, from, to })),
        ...BYS.map((by) =>
          settle(merchantCall({ action: 'report.breakdown', campaignId, from, to, by })),
        ),
      ]);
      if (seq !== this.seq) return;
      if (!daily.ok || daily.value.action !== 'report.daily') {
        this.rows = [];
        this.showFailure(daily.ok ? new Error('unexpected answer') : daily.error);
        return;
      }
      const rows = daily.value.rows;
      this.rows = rows;
      if (!hasData(rows)) {
        this.setData({ status: 'empty', cards: [], table: [] });
        return;
      }
      const view = (s: Settled<MerchantResponse>): BreakdownView | null =>
        s.ok && s.value.action === 'report.breakdown' ? breakdownView(s.value.breakdown) : null;
      const why = (s: Settled<MerchantResponse>): string =>
        s.ok
          ? s.value.action === 'report.breakdown'
            ? ''
            : '细分数据暂不可用'
          : toApiError(s.error).message;
      this.setData({
        status: 'ready',
        cards: summaryCards(totals(rows)),
        table: tableRows(rows),
        breakdowns: { position: view(position), segment: view(segment), buyers: view(buyers) },
        breakdownErrors: { position: why(position), segment: why(segment), buyers: why(buyers) },
      });
      await this.drawChart();
    },

    async drawChart() {
      if (this.data.status !== 'ready') return;
      const surface = await queryCanvas(this, CHART_ID);
      if (!surface) return;
      const { labels, values, series } = chartSeries(this.rows, this.data.seriesKey);
      const layout = layoutChart({
        width: surface.width,
        height: surface.height,
        labels,
        values,
        kind: series.kind,
        caption: series.caption,
      });
      drawChart(surface.ctx, layout, { ...DEFAULT_STYLE, color: series.color });
    },
  },
});
