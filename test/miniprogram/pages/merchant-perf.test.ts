/**
 * The 性能 page in miniprogram-simulate with real @vant/weapp components and a stubbed `merchant`
 * client: flagged regressions, the per-version quantile bars and the metric switch, the page
 * table, funnels and features, the funnels per version with the platform filter and the release
 * whose conversion fell; a caller who is not a platform admin sees the refusal.
 */
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/perf/index.json';
import { PERF_REPORT, steps } from '../helpers/perf-report';
import { loadWithVant } from '../helpers/vant';
import { recordingTracker, tapsOf } from '../helpers/recording-tracker';
import { fullTexts, open, stubMerchant, tap, texts } from '../merchant/page-helpers';

const TAG = 'perf-page';
const REPORT = PERF_REPORT;

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
