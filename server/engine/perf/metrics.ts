/**
 * The timings of wx.getPerformance entries as page_perf names them (one list for the schema and the
 * rollups), and the sampling correction of ratios between event types.
 */
import type { PagePerfEvent } from '../../../typings';

export const TIMING_METRICS = [
  'appLaunch',
  'route',
  'firstRender',
  'firstPaint',
  'firstContentfulPaint',
  'largestContentfulPaint',
  'evaluateScript',
  'loadPackage',
  'timeToContent',
] as const satisfies readonly PagePerfEvent['metric'][];

/** Per event type, the share of events the tracker keeps (TRACK_SAMPLING; a type not named keeps all). */
export type SamplingRates = Readonly<Record<string, number>>;

/** The share of `type` the tracker keeps under `rates` (1 when not named or not a share). */
export function keptShare(rates: SamplingRates | undefined, type: string): number {
  const r = rates?.[type];
  return typeof r === 'number' && r >= 0 && r <= 1 ? r : 1;
}

/**
 * A ratio of two counts of events sampled at their own rates, each count scaled up by its type's
 * kept share (Horvitz–Thompson): (a / rate(aType)) / (b / rate(bType)). Null without a denominator.
 * The rates are the configured ones, which the tracker takes from `track`'s answers: after a rate
 * changes, events kept under the old one are scaled by the new one (an approximation).
 */
export function sampledRatio(
  a: number,
  aType: string,
  b: number,
  bType: string,
  rates: SamplingRates | undefined,
): number | null {
  const ra = keptShare(rates, aType);
  const rb = keptShare(rates, bType);
  if (!(b > 0) || !(ra > 0) || !(rb > 0)) return null;
  return a / ra / (b / rb);
}
