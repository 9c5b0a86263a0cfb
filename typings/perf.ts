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

export interface PerfReport {
  /** Release versions seen, oldest first (then non-release builds such as develop). */
  versions: string[];
  pages: PerfPageRow[];
  quantiles: PerfVersionQuantiles[];
  /** Every comparison made (a version with its previous, both with enough measurements); `flagged` ones are regressions. */
  regressions: PerfRegression[];
  features: PerfFeatureRate[];
  funnels: PerfFunnel[];
  /** The test behind `flagged`. */
  test: { quantile: number; alpha: number; minRatio: number; minCount: number };
}
