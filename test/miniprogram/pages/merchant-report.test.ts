/**
 * The campaign report page in miniprogram-simulate with real @vant/weapp components, a stubbed
 * `merchant` client and a recording canvas: what it asks for per range, what it shows, the chart
 * it draws, and its empty / error / retry states.
 */
import * as simulate from 'miniprogram-simulate';
import type {
  Breakdown,
  Campaign,
  DailyReportRow,
  MerchantRequest,
  MerchantResponse,
} from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { setCanvasQuery } from '../../../miniprogram/merchant/chart/canvas';
import pageJson from '../../../miniprogram/merchant/pages/report/index.json';
import { loadWithVant } from '../helpers/vant';
import { open, settle, stubMerchant, tap, texts } from '../merchant/page-helpers';
import type { Answer, Page } from '../merchant/page-helpers';
import { drawnTexts, recordingCanvas } from '../merchant/recording-canvas';
import type { RecordingCanvas } from '../merchant/recording-canvas';
import { tapRetry } from '../helpers/load-state';

const TAG = 'report-page';
/** 2026-11-28 12:00 in China (04:00 UTC). */
const NOW = Date.UTC(2026, 10, 28, 4, 0);

function row(day: string, over: Partial<DailyReportRow> = {}): DailyReportRow {
  return {
    day,
    requestsWon: 0,
    viewableImpressions: 0,
    clicks: 0,
    spendFen: 0,
    invalidClicks: 0,
    ctr: null,
    orders: 0,
    paidFen: 0,
    refunds: 0,
    refundedFen: 0,
    netOrders: 0,
    netPaidFen: 0,
    cpaFen: null,
    roas: null,
    ...over,
  };
}

const ROWS: DailyReportRow[] = [
  row('20261126', {
    requestsWon: 2000,
    viewableImpressions: 1500,
    clicks: 30,
    spendFen: 4500,
    invalidClicks: 4,
    ctr: 0.02,
    orders: 2,
    paidFen: 9000,
    netOrders: 2,
    netPaidFen: 9000,
    cpaFen: 2250,
    roas: 2,
  }),
  row('20261127'),
  row('20261128', {
    requestsWon: 150000,
    viewableImpressions: 120000,
    clicks: 1200,
    spendFen: 123456,
    invalidClicks: 3000,
    ctr: 0.01,
    orders: 10,
    paidFen: 246912,
    refunds: 1,
    refundedFen: 9_900,
    netOrders: 9,
    netPaidFen: 237_012,
    cpaFen: 13717,
    roas: 1.92,
  }),
];

function breakdown(by: Breakdown['by']): Breakdown {
  if (by === 'buyers')
    return {
      by,
      rows: [
        // Labels come from the server (the segments' one owner), not from the page.
        {
          key: 'rfm:new',
          label: '新客户',
          users: 12,
          viewableImpressions: 0,
          clicks: 0,
          ctr: null,
          orders: 13,
          paidFen: 25_870,
          refundedFen: 0,
          netPaidFen: 25_870,
        },
        {
          key: 'rfm:champion',
          label: '高价值常客',
          users: 10,
          viewableImpressions: 0,
          clicks: 0,
          ctr: null,
          orders: 31,
          paidFen: 123_400,
          refundedFen: 100_000,
          netPaidFen: 23_400,
        },
      ],
      suppressedRows: 3,
      minUsers: 10,
    };
  return by === 'position'
    ? {
        by,
        rows: [
          { key: '10', users: 40, viewableImpressions: 500, clicks: 5, ctr: 0.01 },
          { key: '3', users: 90, viewableImpressions: 1000, clicks: 25, ctr: 0.025 },
        ],
        suppressedRows: 0,
        minUsers: 10,
      }
    : {
        by,
        rows: [
          { key: 'scene:1001', users: 80, viewableImpressions: 1200, clicks: 24, ctr: 0.02 },
          { key: 'scene:unknown', users: 20, viewableImpressions: 300, clicks: 6, ctr: 0.02 },
        ],
        suppressedRows: 2,
        minUsers: 10,
      };
}

const CAMPAIGN: Campaign = {
  id: 'c1',
  merchantId: 'm1',
  name: '双十二促销',
  status: 'active',
  creative: {
    title: '标题',
    description: '',
    image: '',
    landing: { kind: 'page', path: 'pages/feed/index' },
  },
  targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
  bidFen: 100,
  dailyBudgetFen: 10000,
  totalBudgetFen: 100000,
  startAt: NOW,
  endAt: NOW + 86_400_000,
  hours: [],
  createdAt: NOW,
  updatedAt: NOW,
};

/** The usual answers; `over` replaces one action's answer. */
function server(
  over: Partial<Record<MerchantRequest['action'], (req: MerchantRequest) => Answer>> = {},
) {
  return (req: MerchantRequest): Answer => {
    const custom = over[req.action];
    if (custom) return custom(req);
    if (req.action === 'campaign.get') return { action: 'campaign.get', campaign: CAMPAIGN };
    if (req.action === 'report.daily') return { action: 'report.daily', rows: ROWS };
    if (req.action === 'report.breakdown')
      return { action: 'report.breakdown', breakdown: breakdown(req.by) };
    throw new Error(`unexpected ${req.action}`);
  };
}

let pageId: string;
let canvas: RecordingCanvas;

beforeAll(() => {
  pageId = loadWithVant('merchant/pages/report/index', TAG, pageJson.usingComponents);
});

beforeEach(() => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
  canvas = recordingCanvas();
  setCanvasQuery(async () => ({ ctx: canvas, width: 320, height: 220 }));
});

afterEach(() => {
  setApi(null);
  setCanvasQuery(null);
  jest.restoreAllMocks();
});

const reportCalls = (calls: MerchantRequest[]) => calls.filter((c) => c.action !== 'campaign.get');
const rangeCalls = (from: string, to: string): MerchantRequest[] => [
  { action: 'report.daily', campaignId: 'c1', from, to },
  { action: 'report.breakdown', campaignId: 'c1', from, to, by: 'position' },
  { action: 'report.breakdown', campaignId: 'c1', from, to, by: 'segment' },
  { action: 'report.breakdown', campaignId: 'c1', from, to, by: 'buyers' },
];

const openReport = (query: Record<string, string> = { campaignId: 'c1' }): Promise<Page> =>
  open(pageId, query);

async function pick(page: Page, id: string, value: string): Promise<void> {
  page.querySelector(`#${id}`)!.dispatchEvent('change', { detail: { value } });
  await simulate.sleep(0);
  await settle();
}

describe('merchant report page', () => {
  it('asks for the last 7 CST days and shows the totals, formatted', async () => {
    const calls = stubMerchant(server());
    const page = await openReport();
    expect(calls[0]).toEqual({ action: 'campaign.get', campaignId: 'c1' });
    expect(reportCalls(calls)).toEqual(rangeCalls('20261122', '20261128'));

    expect(texts(page, TAG, 'rs-report__title')).toEqual(['双十二促销']);
    expect(texts(page, TAG, 'rs-report__range')).toEqual(['11月22日 – 11月28日（北京时间）']);
    expect(texts(page, TAG, 'rs-report__card-label')).toEqual([
      '曝光',
      '点击',
      '无效点击',
      '点击率',
      '花费',
      '订单',
      'CPA（扣除退款）',
      'ROAS（扣除退款）',
      '退款',
      '退款金额',
    ]);
    // 121,500 impressions, 1,230 clicks → 1.01 %; ¥45.00 + ¥1,234.56; net of the refund (one order
    // of 11 kept ones less): ¥1,279.56 / 11 = ¥116.32 a kept order, (90 + 2,370.12) / 1,279.56 = 1.92.
    expect(texts(page, TAG, 'rs-report__card-value')).toEqual([
      '12.2万',
      '1,230',
      '3,004',
      '1.01%',
      '¥1,279.56',
      '12',
      '¥116.32',
      '1.92',
      '1',
      '¥99.00',
    ]);
  });

  it('lists the days newest first, with — where a rate has no denominator', async () => {
    stubMerchant(server());
    const page = await openReport();
    const rows = Array.from(
      (page.dom as HTMLElement).querySelectorAll(`.${TAG}--rs-report__day-row`),
    ).map((r) => Array.from(r.children).map((c) => (c.textContent ?? '').trim()));
    expect(rows).toEqual([
      ['11月28日', '12.0万', '1,200', '3,000', '1.00%', '¥1,234.56', '10', '1.92', '1', '¥99.00'],
      ['11月27日', '0', '0', '0', '—', '¥0.00', '0', '—', '0', '¥0.00'],
      ['11月26日', '1,500', '30', '4', '2.00%', '¥45.00', '2', '2.00', '0', '¥0.00'],
    ]);
  });

  it('puts the day and breakdown tables in sideways-scrolling views, each with a hint that more columns follow', async () => {
    stubMerchant(server());
    const page = await openReport();
    const dom = page.dom as HTMLElement;
    // Every row of both tables lives inside a horizontal scroll-view, so no column is cut off.
    for (const row of ['rs-report__day-row', 'rs-report__breakdown-row']) {
      const rows = Array.from(dom.querySelectorAll(`.${TAG}--${row}`));
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.closest('wx-scroll-view')).toBeTruthy();
    }
    const scrollViews = (node: unknown): Array<Record<string, unknown>> => {
      const n = node as { tagName?: string; attrs?: Array<{ name: string; value: unknown }> };
      const kids = (node as { children?: unknown[] }).children ?? [];
      const own =
        n.tagName === 'wx-scroll-view'
          ? [Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value]))]
          : [];
      return [...own, ...kids.flatMap(scrollViews)];
    };
    expect(scrollViews(page.toJSON()).map((a) => a.scrollX)).toEqual([true, true]);
    expect(texts(page, TAG, 'rs-report__scroll-hint')).toEqual([
      '左右滑动查看全部列',
      '左右滑动查看全部列',
    ]);
  });

  it('draws the impressions chart, oldest day first, and redraws for the metric picked', async () => {
    stubMerchant(server());
    const page = await openReport();
    let drawn = drawnTexts(canvas);
    expect(drawn).toContain('曝光（次）');
    expect(drawn.filter((t) => /月/.test(t))).toEqual(['11月26日', '11月27日', '11月28日']);
    expect(drawn.slice(0, 4)).toEqual(['0', '5万', '10万', '15万']); // 120,000 rounds up to a 5万 step
    expect(canvas.ops.filter((o) => o.op === 'arc')).toHaveLength(3);

    canvas.ops.length = 0;
    await tap(page, 'rs-report-series-ctr');
    expect(page.instance.data.seriesKey).toBe('ctr');
    drawn = drawnTexts(canvas);
    expect(drawn).toContain('点击率');
    expect(drawn.slice(0, 5)).toEqual(['0%', '0.5%', '1.0%', '1.5%', '2.0%']);
    // The day without impressions has no CTR: two dots, no line between separated days.
    expect(canvas.ops.filter((o) => o.op === 'arc')).toHaveLength(2);
    expect(
      canvas.ops.filter((o) => o.op === 'set strokeStyle' && o.args[0] === '#ff976a'),
    ).toHaveLength(1);

    canvas.ops.length = 0;
    await tap(page, 'rs-report-series-spend');
    expect(drawnTexts(canvas)).toContain('花费（元）');
    expect(drawnTexts(canvas).some((t) => t.startsWith('¥'))).toBe(true);
  });

  it('switching to 30 days asks for the new range', async () => {
    const calls = stubMerchant(server());
    const page = await openReport();
    calls.length = 0;
    await tap(page, 'rs-report-preset-30');
    expect(calls).toEqual(rangeCalls('20261030', '20261128'));
    expect(texts(page, TAG, 'rs-report__range')).toEqual(['10月30日 – 11月28日（北京时间）']);
    expect(page.querySelector('#rs-report-preset-30')!.dom!.className).toContain(
      'rs-report__segment--on',
    );
  });

  it('a custom range over 31 days says so and asks nothing; a valid one loads', async () => {
    const calls = stubMerchant(server());
    const page = await openReport();
    calls.length = 0;
    await tap(page, 'rs-report-preset-0');
    expect(calls).toEqual([]);
    expect(page.instance.data.pickerFrom).toBe('2026-11-22');
    expect(page.instance.data.pickerTo).toBe('2026-11-28');

    await pick(page, 'rs-report-from', '2026-10-01');
    expect(texts(page, TAG, 'rs-report__range-error')).toEqual([
      '一次最多查询 31 天，请缩短日期范围',
    ]);
    expect(calls).toEqual([]);

    await pick(page, 'rs-report-from', '2026-11-01');
    await pick(page, 'rs-report-to', '2026-11-20');
    expect(texts(page, TAG, 'rs-report__range-error')).toEqual([]);
    expect(calls).toEqual([
      ...rangeCalls('20261101', '20261128'),
      ...rangeCalls('20261101', '20261120'),
    ]);

    await pick(page, 'rs-report-to', '2026-10-20');
    expect(texts(page, TAG, 'rs-report__range-error')).toEqual(['结束日期不能早于开始日期']);
    expect(calls).toHaveLength(8);
  });

  it('shows the breakdown by position, then by scene with the k-anonymity note and what was left out', async () => {
    stubMerchant(server());
    const page = await openReport();
    const rowTexts = () =>
      Array.from(
        (page.dom as HTMLElement).querySelectorAll(`.${TAG}--rs-report__breakdown-row`),
      ).map((r) => Array.from(r.children).map((c) => (c.textContent ?? '').trim()));
    expect(rowTexts()).toEqual([
      ['信息流第 4 条', '90', '1,000', '25', '2.50%'],
      ['信息流第 11 条', '40', '500', '5', '1.00%'],
    ]);
    expect(texts(page, TAG, 'rs-report__kanon')).toEqual([
      '为保护用户隐私，少于 10 位用户的分组不显示',
    ]);
    expect(texts(page, TAG, 'rs-report__suppressed')).toEqual([]);

    await tap(page, 'rs-report-by-segment');
    expect(rowTexts()).toEqual([
      ['发现页小程序入口（1001）', '80', '1,200', '24', '2.00%'],
      ['未知场景', '20', '300', '6', '2.00%'],
    ]);
    expect(texts(page, TAG, 'rs-report__suppressed')).toEqual(['本期有 2 个分组因人数不足未显示']);
  });

  it('shows the buyers tab: pay-verified orders, paid, refunded and net amounts by the server-named buyer segment, most kept first, k-anonymous', async () => {
    stubMerchant(server());
    const page = await openReport();
    await tap(page, 'rs-report-by-buyers');
    const rowTexts = Array.from(
      (page.dom as HTMLElement).querySelectorAll(`.${TAG}--rs-report__breakdown-row`),
    ).map((r) => Array.from(r.children).map((c) => (c.textContent ?? '').trim()));
    // Ordered by the money kept: the new customers' ¥258.70 before the champions' ¥234.00 net of
    // their ¥1,000.00 refunded (their gross ¥1,234.00 alone would put them first).
    expect(rowTexts).toEqual([
      ['新客户', '12', '13', '¥258.70', '¥0.00', '¥258.70'],
      ['高价值常客', '10', '31', '¥1,234.00', '¥1,000.00', '¥234.00'],
    ]);
    // The second table head is the breakdown's (the first is the days').
    const head = (page.dom as HTMLElement).querySelectorAll(`.${TAG}--rs-report__tr--head`)[1];
    expect(Array.from(head.children).map((c) => (c.textContent ?? '').trim())).toEqual([
      '买家分群',
      '买家',
      '订单',
      '实付金额',
      '退款金额',
      '净收入（扣除退款）',
    ]);
    expect(texts(page, TAG, 'rs-report__suppressed')).toEqual(['本期有 3 个分组因人数不足未显示']);
    expect(page.instance.data.breakdownBy).toBe('buyers');
  });

  it('a failed breakdown says why in its section and leaves the rest of the report', async () => {
    stubMerchant(
      server({
        'report.breakdown': () =>
          new ApiError('BAD_REQUEST', '这段时间的数据量太大，请缩短查询的日期范围'),
      }),
    );
    const page = await openReport();
    expect(texts(page, TAG, 'rs-report__card-value')).toHaveLength(10);
    expect(texts(page, TAG, 'rs-report__breakdown-error')).toEqual([
      '这段时间的数据量太大，请缩短查询的日期范围',
    ]);
  });

  it('shows the empty state when nothing happened in the range', async () => {
    stubMerchant(
      server({
        'report.daily': () => ({
          action: 'report.daily',
          rows: [row('20261127'), row('20261128')],
        }),
      }),
    );
    const page = await openReport();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '所选日期内没有投放数据，换个日期范围试试',
    ]);
    expect(texts(page, TAG, 'rs-report__card-value')).toEqual([]);
    expect(canvas.ops).toEqual([]);
    // The range controls stay, so another range is one tap away.
    expect(page.querySelector('#rs-report-preset-14')).toBeTruthy();
  });

  it('shows the error with a retry that loads again', async () => {
    let fail = true;
    const calls = stubMerchant(
      server({
        'report.daily': (): MerchantResponse | Error =>
          fail
            ? new ApiError('FORBIDDEN', '你没有查看这个广告计划的权限')
            : { action: 'report.daily', rows: ROWS },
      }),
    );
    const page = await openReport();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '你没有查看这个广告计划的权限',
    ]);
    fail = false;
    calls.length = 0;
    await tapRetry(page);
    expect(calls).toEqual(rangeCalls('20261122', '20261128'));
    expect(texts(page, TAG, 'rs-report__card-value')[0]).toBe('12.2万');
  });

  it('without a campaign id it asks nothing and says where to come from', async () => {
    const calls = stubMerchant(server());
    const page = await openReport({});
    expect(calls).toEqual([]);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '没有指定广告计划，请从广告列表进入',
    ]);
  });

  it('ignores an older range that answers after a newer one', async () => {
    let release: (r: MerchantResponse) => void = () => undefined;
    let first = true;
    stubMerchant(
      server({
        'report.daily': (req) => {
          if (first) {
            first = false;
            return new Promise<MerchantResponse>((resolve) => (release = resolve));
          }
          return {
            action: 'report.daily',
            rows: ROWS.filter((r) => req.action === 'report.daily' && r.day >= req.from),
          };
        },
      }),
    );
    const page = simulate.render(pageId) as unknown as Page;
    page.attach(document.createElement('parent-wrapper'));
    const loading = page.instance.onLoad({ campaignId: 'c1' });
    await settle();
    await tap(page, 'rs-report-preset-14');
    expect(texts(page, TAG, 'rs-report__card-value')[0]).toBe('12.2万');
    release({
      action: 'report.daily',
      rows: [row('20261128', { viewableImpressions: 7, requestsWon: 7 })],
    });
    await loading;
    await settle();
    expect(texts(page, TAG, 'rs-report__card-value')[0]).toBe('12.2万');
  });
});
