/** Mini Program performance as `train`'s rollups describe it (issue 18): the 性能 page and `npm run perf:report`. */

/** p50 / p90 / p99 of one distribution and how many measurements it holds. */
export interface QuantileSummary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
}

/** One page × version × platform: its timings (by metric) and counts. */
export interface PerfPageRow {
  page: string;
  version: string;
  platform: string;
  /** Navigations to the page (route entries) and launches on it (appLaunch entries). */
  views: number;
  errors: number;
  /** errors / views (null without views). */
  errorRate: number | null;
  /** setData reports over budget (a call > 256 KB or > 20 calls in a second) and all reports. */
  setDataBreaches: number;
  setDataReports: number;
  timings: Record<string, QuantileSummary>;
}

/** One version's quantiles of one metric of one page (all platforms): a bar group of the chart. */
export interface PerfVersionQuantiles extends QuantileSummary {
  page: string;
  metric: string;
  version: string;
}

/** A version's p90 against the previous version's, one page and metric, all platforms. */
export interface PerfRegression {
  page: string;
  metric: string;
  baselineVersion: string;
  version: string;
  baselineN: number;
  n: number;
  baselineP90: number;
  p90: number;
  ratio: number;
  pValue: number;
  flagged: boolean;
}

export interface PerfFeatureRate {
  feature: string;
  page: string;
  /** The release and platform of the taps (`unknown` when not sent; `*` for taps rolled up before they were kept per version). */
  version: string;
  platform: string;
  taps: number;
  /** taps / views of the page in the same version and platform (all of them for `*`), each scaled by its sampling rate; null without views. */
  rate: number | null;
}

export interface PerfFunnelStep {
  step: string;
  count: number;
  /** count / the previous step's count (null for the first step or without one). */
  conversion: number | null;
}

export interface PerfFunnel {
  name: 'content' | 'ad';
  steps: PerfFunnelStep[];
}

/** A funnel's steps for one version on one platform (`*`: all platforms of the version; version `*`: rolled up before funnels carried one; `unknown`: sessions whose release no event named). */
export interface PerfVersionFunnel extends PerfFunnel {
  version: string;
  platform: string;
}

/** A funnel step's conversion in a release against the previous release (all platforms). */
export interface PerfFunnelRegression {
  funnel: 'content' | 'ad';
  step: string;
  baselineVersion: string;
  version: string;
  /** The trials: the step's denominator (previous step's count) in each version. */
  baselineN: number;
  n: number;
  baselineConversion: number;
  conversion: number;
  /** One-sided Fisher exact p-value of "no lower conversion". */
  pValue: number;
  flagged: boolean;
}

export interface PerfReport {
  /** Release versions seen, oldest first (then non-release builds such as develop). */
  versions: string[];
  pages: PerfPageRow[];
  quantiles: PerfVersionQuantiles[];
  /** Every comparison made (a version with its previous, both with enough measurements); `flagged` ones are regressions. */
  regressions: PerfRegression[];
  features: PerfFeatureRate[];
  /** App-wide: every version and platform. */
  funnels: PerfFunnel[];
  /** Per version × platform, and per version over all platforms (platform `*`); releases oldest first. */
  funnelsByVersion: PerfVersionFunnel[];
  /** Each tested step of each release against the previous release; `flagged` ones dropped significantly. */
  funnelRegressions: PerfFunnelRegression[];
  /** The test behind funnelRegressions' `flagged`: one-sided, at `alpha`, with at least `minCount` trials a side. */
  funnelTest: { alpha: number; minCount: number };
  /** The test behind `flagged`. */
  test: { quantile: number; alpha: number; minRatio: number; minCount: number };
}
