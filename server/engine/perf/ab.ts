/**
 * The prefetch A/B's per-variant figures (issue 18) from the perf rollup cells the perf step keeps
 * per feed.prefetch variant (rollup.ts, AB_PAGE): the detail page's time to content and the
 * prefetch cost per detail open. Descriptive: the sketches are per event, not per user, so no
 * significance is claimed here (the experiment's own metrics carry the tests).
 */
import type { PrefetchVariantResult } from '../../../typings';
import { summarise } from './report';
import { AB_PAGE, type PerfCell } from './rollup';
import { QuantileSketch } from './sketch';

const ratio = (a: number, b: number): number | null =>
  b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null;

export function prefetchResults(
  cells: readonly PerfCell[],
  experimentId: string,
  variants: readonly string[],
): PrefetchVariantResult[] {
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
