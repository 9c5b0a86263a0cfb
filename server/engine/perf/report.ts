/**
 * The performance report from rollup cells alone: per page × version × platform quantiles,
 * error rates and setData budget breaches; per version quantiles for the chart; each release
 * against the previous one per page and timing (regression.ts); feature tap rates; funnels.
 */
import type {
  PerfFeatureRate,
  PerfFunnel,
  PerfPageRow,
  PerfRegression,
  PerfReport,
  PerfVersionQuantiles,
  QuantileSummary,
} from '../../../typings';
import { compareQuantile, compareVersions, DEFAULT_REGRESSION, releaseParts } from './regression';
import type { RegressionOptions } from './regression';
import { sampledRatio, type SamplingRates } from './metrics';
import { AB_PAGE, ALL, FUNNELS, type PerfCell } from './rollup';
import { QuantileSketch } from './sketch';

const round = (x: number): number => Math.round(x * 100) / 100;

export function summarise(s: QuantileSketch): QuantileSummary {
  return {
    n: s.count,
    p50: round(s.quantile(0.5)),
    p90: round(s.quantile(0.9)),
    p99: round(s.quantile(0.99)),
  };
}

const VIEW_METRICS = new Set(['route', 'appLaunch']);

/**
 * `sampling`: the tracker's rates (TRACK_SAMPLING). A feature's tap rate divides `tap` events by
 * the page's views (`page_perf` entries); each is scaled by its own rate, so different rates for
 * the two types do not bias it.
 */
export function buildReport(
  cells: readonly PerfCell[],
  options: Partial<RegressionOptions> & { sampling?: SamplingRates } = {},
): PerfReport {
  const { sampling, ...regression } = options;
  const test = { ...DEFAULT_REGRESSION, ...regression };
  const rows = new Map<string, PerfPageRow>();
  const byVersion = new Map<string, QuantileSketch>(); // metric|page|version over platforms
  const viewsByPage = new Map<string, number>();
  const viewsByRow = new Map<string, number>(); // page|version|platform
  const versions = new Set<string>();
  const taps: PerfCell[] = [];
  const funnelCounts = new Map<string, number>();

  for (const c of cells) {
    if (c.page.startsWith(AB_PAGE)) continue; // the prefetch A/B's cells: the experiment's results (ab.ts)
    if (c.metric.startsWith('funnel.')) {
      funnelCounts.set(c.metric.slice('funnel.'.length), c.count);
      continue;
    }
    if (c.metric.startsWith('tap.')) {
      taps.push(c);
      continue;
    }
    if (c.version === ALL) continue;
    versions.add(c.version);
    const key = `${c.page}|${c.version}|${c.platform}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        page: c.page,
        version: c.version,
        platform: c.platform,
        views: 0,
        errors: 0,
        errorRate: null,
        setDataBreaches: 0,
        setDataReports: 0,
        timings: {},
      };
      rows.set(key, row);
    }
    if (VIEW_METRICS.has(c.metric)) {
      row.views += c.count;
      viewsByRow.set(key, (viewsByRow.get(key) ?? 0) + c.count);
      viewsByPage.set(c.page, (viewsByPage.get(c.page) ?? 0) + c.count);
    }
    if (c.metric.startsWith('error.')) row.errors += c.count;
    else if (c.metric === 'setData.breach') row.setDataBreaches += c.count;
    else if (c.metric === 'setData.reports') row.setDataReports += c.count;
    if (!c.sketch) continue;
    const sketch = QuantileSketch.decode(c.sketch);
    row.timings[c.metric] = summarise(sketch);
    const vKey = `${c.metric}|${c.page}|${c.version}`;
    const merged = byVersion.get(vKey);
    if (merged) merged.merge(sketch);
    else byVersion.set(vKey, sketch.clone());
  }

  const pages = [...rows.values()].map((r) => ({
    ...r,
    errorRate: r.views > 0 ? round((r.errors / r.views) * 10_000) / 10_000 : null,
  }));
  pages.sort(
    (a, b) =>
      a.page.localeCompare(b.page) ||
      compareVersions(a.version, b.version) ||
      a.platform.localeCompare(b.platform),
  );

  const quantiles: PerfVersionQuantiles[] = [];
  const series = new Map<string, { version: string; sketch: QuantileSketch }[]>();
  for (const [key, sketch] of byVersion) {
    const [metric, page, version] = key.split('|');
    quantiles.push({ page, metric, version, ...summarise(sketch) });
    const list = series.get(`${metric}|${page}`) ?? [];
    list.push({ version, sketch });
    series.set(`${metric}|${page}`, list);
  }
  quantiles.sort(
    (a, b) =>
      a.page.localeCompare(b.page) ||
      a.metric.localeCompare(b.metric) ||
      compareVersions(a.version, b.version),
  );

  const regressions: PerfRegression[] = [];
  for (const [key, list] of series) {
    const [metric, page] = key.split('|');
    const releases = list
      .filter((x) => releaseParts(x.version) && x.sketch.count >= test.minCount)
      .sort((a, b) => compareVersions(a.version, b.version));
    for (let i = 1; i < releases.length; i++) {
      const base = releases[i - 1];
      const cand = releases[i];
      const c = compareQuantile(base.sketch, cand.sketch, test);
      regressions.push({
        page,
        metric,
        baselineVersion: base.version,
        version: cand.version,
        baselineN: c.baselineN,
        n: c.candidateN,
        baselineP90: round(c.baseline),
        p90: round(c.candidate),
        ratio: round(c.ratio * 1000) / 1000,
        pValue: c.pValue,
        flagged: c.flagged,
      });
    }
  }
  regressions.sort(
    (a, b) =>
      Number(b.flagged) - Number(a.flagged) ||
      a.page.localeCompare(b.page) ||
      a.metric.localeCompare(b.metric) ||
      compareVersions(a.version, b.version),
  );

  const features: PerfFeatureRate[] = taps
    .map((c) => {
      // Taps rolled up before they carried a version (ALL) are over all of the page's views.
      const views =
        c.version === ALL
          ? (viewsByPage.get(c.page) ?? 0)
          : (viewsByRow.get(`${c.page}|${c.version}|${c.platform}`) ?? 0);
      const rate = sampledRatio(c.count, 'tap', views, 'page_perf', sampling);
      return {
        feature: c.metric.slice('tap.'.length),
        page: c.page,
        version: c.version,
        platform: c.platform,
        taps: c.count,
        rate: rate === null ? null : round(rate * 10_000) / 10_000,
      };
    })
    .sort(
      (a, b) =>
        b.taps - a.taps ||
        a.feature.localeCompare(b.feature) ||
        compareVersions(a.version, b.version) ||
        a.platform.localeCompare(b.platform),
    );

  const funnels: PerfFunnel[] = (Object.keys(FUNNELS) as (keyof typeof FUNNELS)[]).map((name) => {
    const steps = FUNNELS[name].map((step) => ({ step, count: funnelCounts.get(step) ?? 0 }));
    return {
      name,
      steps: steps.map((s, i) => ({
        ...s,
        // detail.* steps all follow the open; ad steps follow each other
        conversion: ((prev) => (prev > 0 ? round((s.count / prev) * 10_000) / 10_000 : null))(
          i === 0 ? 0 : name === 'content' && i > 1 ? steps[1].count : steps[i - 1].count,
        ),
      })),
    };
  });
  for (const f of funnels) f.steps[0].conversion = null;

  return {
    versions: [...versions].sort(compareVersions),
    pages,
    quantiles,
    regressions,
    features,
    funnels,
    test: {
      quantile: test.q,
      alpha: test.alpha,
      minRatio: test.minRatio,
      minCount: test.minCount,
    },
  };
}
