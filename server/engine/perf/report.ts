/**
 * The performance report from rollup cells alone: per page × version × platform quantiles,
 * error rates and setData budget breaches; per version quantiles for the chart; each release
 * against the previous one per page and timing (regression.ts); feature tap rates; funnels, app-wide
 * and per version × platform, and each release's step conversions against the previous release's
 * (conversion.ts).
 */
import type {
  PerfFeatureRate,
  PerfFunnel,
  PerfFunnelRegression,
  PerfVersionFunnel,
  PerfPageRow,
  PerfRegression,
  PerfReport,
  PerfVersionQuantiles,
  QuantileSummary,
} from '../../../typings';
import { compareQuantile, compareVersions, DEFAULT_REGRESSION, releaseParts } from './regression';
import type { RegressionOptions } from './regression';
import { sampledRatio, type SamplingRates } from './metrics';
import { compareConversion, DEFAULT_CONVERSION_TEST } from './conversion';
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
  const funnelCounts = new Map<string, number>(); // step, app-wide
  const funnelByContext = new Map<string, Map<string, number>>(); // version|platform → step → count
  const addFunnel = (ctx: string, step: string, n: number) => {
    const m = funnelByContext.get(ctx) ?? new Map<string, number>();
    m.set(step, (m.get(step) ?? 0) + n);
    funnelByContext.set(ctx, m);
  };

  for (const c of cells) {
    if (c.page.startsWith(AB_PAGE)) continue; // the prefetch A/B's cells: the experiment's results (ab.ts)
    if (c.metric.startsWith('funnel.')) {
      const step = c.metric.slice('funnel.'.length);
      funnelCounts.set(step, (funnelCounts.get(step) ?? 0) + c.count);
      addFunnel(`${c.version}|${c.platform}`, step, c.count);
      // A version's total over its platforms (cells from before funnels had a version stay under ALL).
      if (c.platform !== ALL) addFunnel(`${c.version}|${ALL}`, step, c.count);
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

  const funnels = funnelsOf(funnelCounts);
  const funnelsByVersion: PerfVersionFunnel[] = [...funnelByContext]
    .map(([ctx, counts]) => {
      const [version, platform] = ctx.split('|');
      return funnelsOf(counts).map((f) => ({ ...f, version, platform }));
    })
    .flat()
    .sort(
      (a, b) =>
        compareVersions(a.version, b.version) ||
        Number(b.platform === ALL) - Number(a.platform === ALL) ||
        a.platform.localeCompare(b.platform) ||
        a.name.localeCompare(b.name),
    );
  const funnelRegressions = compareReleases(funnelByContext);

  return {
    versions: [...versions].sort(compareVersions),
    pages,
    quantiles,
    regressions,
    features,
    funnels,
    funnelsByVersion,
    funnelRegressions,
    funnelTest: { ...DEFAULT_CONVERSION_TEST },
    test: {
      quantile: test.q,
      alpha: test.alpha,
      minRatio: test.minRatio,
      minCount: test.minCount,
    },
  };
}

/** A funnel step's denominator: detail.* steps all follow the open; the others their previous step. */
function previousStep(name: keyof typeof FUNNELS, i: number): number {
  return name === 'content' && i > 1 ? 1 : i - 1;
}

/** Both funnels' steps from step counts, each with its conversion. */
function funnelsOf(counts: ReadonlyMap<string, number>): PerfFunnel[] {
  return (Object.keys(FUNNELS) as (keyof typeof FUNNELS)[]).map((name) => {
    const steps = FUNNELS[name].map((step) => ({ step, count: counts.get(step) ?? 0 }));
    return {
      name,
      steps: steps.map((s, i) => {
        const prev = i === 0 ? 0 : steps[previousStep(name, i)].count;
        return { ...s, conversion: prev > 0 ? round((s.count / prev) * 10_000) / 10_000 : null };
      }),
    };
  });
}

/**
 * Each release's step conversions against the previous release that has the step's trials, all
 * platforms merged (the version's `*` counts); `develop`, `trial`, `unknown` and the pre-release
 * `*` cells are never compared.
 */
function compareReleases(
  byContext: ReadonlyMap<string, ReadonlyMap<string, number>>,
): PerfFunnelRegression[] {
  const releases = [...byContext.keys()]
    .map((k) => k.split('|'))
    .filter(([version, platform]) => platform === ALL && releaseParts(version))
    .map(([version]) => version)
    .sort(compareVersions);
  const out: PerfFunnelRegression[] = [];
  for (const name of Object.keys(FUNNELS) as (keyof typeof FUNNELS)[])
    FUNNELS[name].forEach((step, i) => {
      if (i === 0) return;
      const prevStep = FUNNELS[name][previousStep(name, i)];
      const at = (v: string) => {
        const m = byContext.get(`${v}|${ALL}`);
        return { x: m?.get(step) ?? 0, n: m?.get(prevStep) ?? 0 };
      };
      const tested = releases.filter((v) => at(v).n >= DEFAULT_CONVERSION_TEST.minCount);
      for (let j = 1; j < tested.length; j++) {
        const base = at(tested[j - 1]);
        const cand = at(tested[j]);
        const c = compareConversion(base, cand);
        if (!c.tested) continue;
        out.push({
          funnel: name,
          step,
          baselineVersion: tested[j - 1],
          version: tested[j],
          baselineN: base.n,
          n: cand.n,
          baselineConversion: round(c.baseline * 10_000) / 10_000,
          conversion: round(c.candidate * 10_000) / 10_000,
          pValue: c.pValue,
          flagged: c.flagged,
        });
      }
    });
  return out.sort(
    (a, b) =>
      Number(b.flagged) - Number(a.flagged) ||
      a.funnel.localeCompare(b.funnel) ||
      compareVersions(a.version, b.version),
  );
}
