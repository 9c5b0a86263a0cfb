/**
 * A 性能 report as `perf.report` answers it, for the 性能 page's tests and its screenshots: two
 * versions, a flagged and an unflagged regression, a page row, a feature rate, the funnels, and the
 * funnels per version (1.4.0's open rate fell, flagged).
 */
import type { PerfReport } from '../../../typings';

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

export const PERF_REPORT: PerfReport = {
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
export function steps(impressions: number, opens: number) {
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
