/** A tracker that records what a page asks it to track, installed as the app-wide tracker. */
import { setTracker } from '../../../miniprogram/services/analytics';
import type { Tracker } from '../../../miniprogram/services/tracker';

export type Tracked = Array<[string, Record<string, unknown>]>;

export function recordingTracker(): Tracked {
  const tracked: Tracked = [];
  setTracker({
    sessionId: 'test',
    track: (type, props) => void tracked.push([type, props as Record<string, unknown>]),
    // Consent is decided in these tests: what waits for it is tracked at once.
    trackWhenDecided: (type, props) => void tracked.push([type, props as Record<string, unknown>]),
    flush: () => undefined,
    setConsent: () => undefined,
    setSampling: () => undefined,
  } as Tracker);
  return tracked;
}
