/**
 * A tracker that records what a page asks it to track, installed as the app-wide tracker. Named
 * feature taps (`tap`, services/features.ts) and the page's own perf entries (`page_perf`: the
 * detail page's time to content) are left out unless `withTaps` / `withPerf` asks for them: the
 * page tests assert the page's own events, the feature-use and prefetch tests those.
 */
import { setTracker } from '../../../miniprogram/services/analytics';
import type { Tracker } from '../../../miniprogram/services/tracker';

export type Tracked = Array<[string, Record<string, unknown>]>;

export function recordingTracker(
  options: { withTaps?: boolean; withPerf?: boolean } = {},
): Tracked {
  const tracked: Tracked = [];
  const record = (type: string, props: unknown): void => {
    if (type === 'tap' && !options.withTaps) return;
    if (type === 'page_perf' && !options.withPerf) return;
    tracked.push([type, props as Record<string, unknown>]);
  };
  setTracker({
    sessionId: 'test',
    track: record,
    // Consent is decided in these tests: what waits for it is tracked at once.
    trackWhenDecided: record,
    flush: () => undefined,
    setConsent: () => undefined,
    setSampling: () => undefined,
  } as Tracker);
  return tracked;
}

/** The feature names of the taps among what was tracked. */
export const tapsOf = (tracked: Tracked): unknown[] =>
  tracked.filter(([type]) => type === 'tap').map(([, props]) => props.feature);
