/**
 * The prefetch A/B's per-variant figures (issue 18) from the perf rollup cells the perf step keeps
 * per feed.prefetch variant (rollup.ts, AB_PAGE): the detail page's time to content and the
 * prefetch cost per detail open. Descriptive: the sketches are per event, not per user, so no
 * significance is claimed here (the experiment's own metrics carry the tests).
 */
import type { PrefetchVariantResult } from '../../../typings';
import { sampledRatio, type SamplingRates } from './metrics';
import { summarise } from './report';
import { AB_PAGE, type PerfCell } from './rollup';
import { QuantileSketch } from './sketch';

/**
 * Per open: the `prefetch` reports' sums over the detail opens (`page_perf` timeToContent), each
 * scaled by its type's sampling rate (TRACK_SAMPLING), so different rates do not bias the ratios.
 */
export function prefetchResults(
  cells: readonly PerfCell[],
  experimentId: string,
  variants: readonly string[],
  sampling?: SamplingRates,
): PrefetchVariantResult[] {
  const ratio = (a: number, b: number): number | null => {
    const r = sampledRatio(a, 'prefetch', b, 'page_perf', sampling);
    return r === null ? null : Math.round(r * 10_000) / 10_000;
  };
  const page = AB_PAGE + experimentId;
  const mine = cells.filter((c) => c.page === page);
  return variants.map((variant) => {
    const of = (metric: string) => mine.find((c) => c.version === variant && c.metric === metric);
    const sum = (metric: string) => of(metric)?.sum ?? 0;
    const ttc = of('timeToContent');
    const opens = ttc?.count ?? 0;
    const calls = sum('prefetch.calls');
    const bytes = sum('prefetch.bytes');
    const hits = sum('prefetch.hits');
    return {
      variant,
      opens,
      timeToContent: ttc?.sketch ? summarise(QuantileSketch.decode(ttc.sketch)) : null,
      reports: sum('prefetch.reports'),
      calls,
      bytes,
      hits,
      callsPerOpen: ratio(calls, opens),
      bytesPerOpen: ratio(bytes, opens),
      hitRate: ratio(hits, opens),
    };
  });
}
