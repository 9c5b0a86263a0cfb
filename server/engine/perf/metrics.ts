/** The timings of wx.getPerformance entries as page_perf names them: one list for the schema and the rollups. */
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
