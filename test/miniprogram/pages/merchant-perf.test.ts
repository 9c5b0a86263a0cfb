/**
 * The 性能 page in miniprogram-simulate with real @vant/weapp components and a stubbed `merchant`
 * client: flagged regressions, the per-version quantile bars and the metric switch, the page
 * table, funnels and features, the funnels per version with the platform filter and the release
 * whose conversion fell; a caller who is not a platform admin sees the refusal.
 */
import type { PerfReport } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/perf/index.json';
import { loadWithVant } from '../helpers/vant';
import { recordingTracker, tapsOf } from '../helpers/recording-tracker';
import { fullTexts, open, stubMerchant, tap, texts } from '../merchant/page-helpers';

const TAG = 'perf-page';
const q = (
  page: string,
  metric: string,
  version: string,
  p50: number,
  p90: number,
  p99: number,
) => ({
  page,
  metric,
  version,
  n: 150,
  p50,
  p90,
  p99,
});

const REPORT: PerfReport = {
  versions: ['1.3.0', '1.4.0'],
  pages: [
    {
      page: 'pages/detail/index',
      version: '1.4.0',
      platform: 'android',
      views: 200,
      errors: 3,
      errorRate: 0.015,
      setDataBreaches: 1,
      setDataReports: 40,
      timings: { firstRender: { n: 150, p50: 240, p90: 410, p99: 700 } },
    },
  ],
  quantiles: [
    q('pages/detail/index', 'firstRender', '1.3.0', 180, 300, 500),
    q('pages/detail/index', 'firstRender', '1.4.0', 240, 410, 1000),
    q('pages/detail/index', 'route', '1.4.0', 90, 120, 200),
  ],
  regressions: [
    {
      page: 'pages/detail/index',
      metric: 'firstRender',
      baselineVersion: '1.3.0',
      version: '1.4.0',
      baselineN: 150,
      n: 150,
      baselineP90: 300,
      p90: 410,
      ratio: 1.367,
      pValue: 0.0002,
      flagged: true,
    },
    {
      page: 'pages/feed/index',
      metric: 'firstRender',
      baselineVersion: '1.3.0',
      version: '1.4.0',
      baselineN: 150,
      n: 150,
      baselineP90: 300,
      p90: 305,
      ratio: 1.017,
      pValue: 0.4,
      flagged: false,
    },
  ],
  features: [
    {
      feature: 'detail.like',
      page: 'pages/detail/index',
      version: '1.4.0',
      platform: 'android',
      taps: 30,
      rate: 0.15,
    },
  ],
  funnels: [
    {
      name: 'content',
      steps: [
        { step: 'feed.impression', count: 1000, conversion: null },
        { step: 'feed.open', count: 100, conversion: 0.1 },
        { step: 'detail.like', count: 30, conversion: 0.3 },
        { step: 'detail.comment', count: 5, conversion: 0.05 },
        { step: 'detail.share', count: 2, conversion: 0.02 },
      ],
    },
    {
      name: 'ad',
      steps: [
        { step: 'ad.impression', count: 400, conversion: null },
        { step: 'ad.landing', count: 8, conversion: 0.02 },
        { step: 'ad.pay', count: 0, conversion: 0 },
      ],
    },
  ],
  funnelsByVersion: [
    { version: '1.3.0', platform: '*', ...steps(500, 100) },
    { version: '1.3.0', platform: 'ios', ...steps(500, 100) },
    { version: '1.4.0', platform: '*', ...steps(500, 20) },
    { version: '1.4.0', platform: 'android', ...steps(300, 12) },
    { version: '1.4.0', platform: 'ios', ...steps(200, 8) },
  ],
  funnelRegressions: [
    {
      funnel: 'content',
      step: 'feed.open',
      baselineVersion: '1.3.0',
      version: '1.4.0',
      baselineN: 500,
      n: 500,
      baselineConversion: 0.2,
      conversion: 0.04,
      pValue: 1e-14,
      flagged: true,
    },
  ],
  funnelTest: { alpha: 0.01, minCount: 30 },
  test: { quantile: 0.9, alpha: 0.01, minRatio: 1.1, minCount: 30 },
};

/** A content funnel of `impressions` and `opens` (no likes…). */
function steps(impressions: number, opens: number) {
  return {
    name: 'content' as const,
    steps: [
      { step: 'feed.impression', count: impressions, conversion: null },
      { step: 'feed.open', count: opens, conversion: opens / impressions },
      { step: 'detail.like', count: 0, conversion: 0 },
      { step: 'detail.comment', count: 0, conversion: 0 },
      { step: 'detail.share', count: 0, conversion: 0 },
    ],
  };
}

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('merchant/pages/perf/index', TAG, pageJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  setTracker(null);
  jest.restoreAllMocks();
});

describe('merchant perf page (性能)', () => {
  it('shows the flagged regression with its sample sizes, the quantile bars, the table and the funnels', async () => {
    const calls = stubMerchant(() => ({ action: 'perf.report', report: REPORT }));
    const page = await open(pageId);
    expect(calls).toEqual([{ action: 'perf.report' }]);
    expect(texts(page, TAG, 'rs-perf__regression-title')).toEqual([
      '详情 · 首次渲染：1.3.0 → 1.4.0',
    ]);
    expect(texts(page, TAG, 'rs-perf__regression-detail')).toEqual([
      'p90 300 ms → 410 ms（+37%），样本 150 / 150，p < 0.001',
    ]);
    expect(page.querySelector('#rs-perf-no-regression')).toBeFalsy();
    // The chart: each version's bars on the page's own scale (its largest p99 is 100 %).
    expect(texts(page, TAG, 'rs-perf__version-name')).toEqual(['1.3.0（150）', '1.4.0（150）']);
    const widths = Array.from(
      (page.dom as HTMLElement).querySelectorAll(`.${TAG}--rs-perf__bar`),
    ).map((el) => (el as HTMLElement).getAttribute('style'));
    expect(widths).toEqual(
      [18, 30, 50, 24, 41, 100].map((w) => expect.stringContaining(`width: ${w}%`)),
    );
    expect(fullTexts(page, TAG, 'rs-perf__row')[1]).toBe(
      '详情 1.4.0 android 200 1.5% 1 / 40 240 / 410 / 700',
    );
    expect(fullTexts(page, TAG, 'rs-perf__step').slice(0, 2)).toEqual([
      '首页曝光 1000',
      '打开详情 100 10.0%',
    ]);
    expect(texts(page, TAG, 'rs-perf__feature')).toEqual([
      'detail.like（1.4.0 android）：30 次（每次浏览 15.0%）',
    ]);
  });

  it('shows the funnels per version on the chosen platform and the release whose open rate fell', async () => {
    const tracked = recordingTracker({ withTaps: true });
    stubMerchant(() => ({ action: 'perf.report', report: REPORT }));
    const page = await open(pageId);
    expect(texts(page, TAG, 'rs-perf__platform')).toEqual(['全部平台', 'android', 'ios']);
    const funnelRegressions = () =>
      fullTexts(page, TAG, 'rs-perf__funnel-regression').map((t) => t.replace(/\s+/g, ' '));
    expect(funnelRegressions()).toEqual([
      '转化下降 内容漏斗 · 打开详情：1.3.0 → 1.4.0 转化 20.0% → 4.0%，样本 500 / 500，p < 0.001',
    ]);
    expect(page.querySelector('#rs-perf-no-funnel-regression')).toBeFalsy();
    // All platforms, newest release first.
    expect(texts(page, TAG, 'rs-perf__funnel-steps')[0]).toBe(
      '首页曝光 500 → 打开详情 20（4.0%） → 点赞 0（0.0%） → 评论 0（0.0%） → 分享 0（0.0%）',
    );
    expect(texts(page, TAG, 'rs-perf__version-funnel-title')).toEqual([
      '内容漏斗 · 1.4.0',
      '内容漏斗 · 1.3.0',
    ]);
    await tap(page, 'rs-perf-platform-android');
    expect(page.instance.data.platform).toBe('android');
    expect(texts(page, TAG, 'rs-perf__funnel-steps')).toEqual([
      '首页曝光 300 → 打开详情 12（4.0%） → 点赞 0（0.0%） → 评论 0（0.0%） → 分享 0（0.0%）',
    ]);
    await tap(page, 'rs-perf-platform-ios');
    expect(texts(page, TAG, 'rs-perf__version-funnel-title')).toEqual([
      '内容漏斗 · 1.4.0',
      '内容漏斗 · 1.3.0',
    ]);
    expect(tapsOf(tracked)).toEqual(['perf.platform', 'perf.platform']);
  });

  it('names unknown versions and platforms, and says when no conversion fell', async () => {
    stubMerchant(() => ({
      action: 'perf.report',
      report: {
        ...REPORT,
        funnelsByVersion: [
          { version: '*', platform: '*', ...steps(40, 4) },
          { version: 'unknown', platform: '*', ...steps(10, 1) },
          { version: 'unknown', platform: 'unknown', ...steps(10, 1) },
        ],
        funnelRegressions: [],
      },
    }));
    const page = await open(pageId);
    expect(page.querySelector('#rs-perf-no-funnel-regression')).toBeTruthy();
    expect(texts(page, TAG, 'rs-perf__platform')).toEqual(['全部平台', '未知平台']);
    expect(texts(page, TAG, 'rs-perf__version-funnel-title')).toEqual([
      '内容漏斗 · 未知版本',
      '内容漏斗 · 未分版本（旧数据）',
    ]);
  });

  it('switches the chart and the table to another metric', async () => {
    stubMerchant(() => ({ action: 'perf.report', report: REPORT }));
    const page = await open(pageId);
    expect(texts(page, TAG, 'rs-perf__metric')).toEqual(['首次渲染', '页面切换']);
    await tap(page, 'rs-perf-metric-route');
    expect(page.instance.data.metric).toBe('route');
    expect(texts(page, TAG, 'rs-perf__version-name')).toEqual(['1.4.0（150）']);
    expect(fullTexts(page, TAG, 'rs-perf__row')[1]).toMatch(/ —$/); // the table row has no route timings
  });

  it('names the metric switch (perf.metric) in a tap event', async () => {
    const tracked = recordingTracker({ withTaps: true });
    stubMerchant(() => ({ action: 'perf.report', report: REPORT }));
    const page = await open(pageId);
    await tap(page, 'rs-perf-metric-route');
    expect(tapsOf(tracked)).toEqual(['perf.metric']);
  });

  it('says when nothing regressed', async () => {
    stubMerchant(() => ({
      action: 'perf.report',
      report: { ...REPORT, regressions: REPORT.regressions.slice(1) },
    }));
    const page = await open(pageId);
    expect(page.querySelector('#rs-perf-no-regression')).toBeTruthy();
    expect(texts(page, TAG, 'rs-perf__regression-title')).toEqual([]);
  });

  it("shows the server's refusal to a caller who is not a platform admin", async () => {
    stubMerchant(() => new ApiError('FORBIDDEN', '只有平台管理员可以进行此操作'));
    const page = await open(pageId);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '只有平台管理员可以进行此操作',
    ]);
  });
});
