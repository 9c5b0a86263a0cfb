/**
 * Feature use (issue 18): every tappable element of a page or component names a stable feature
 * in its WXML, `data-feature="feed.card"` (area.feature, lowercase), and a handler called with
 * that element's tap sends one `tap` event with the name. Like every event it goes through the
 * app's tracker, so it is sampled by TRACK_SAMPLING (`tap=…`) and sent only with consent; `train`
 * folds the taps into feature counts per page × version × platform (server/engine/perf/rollup.ts).
 */
import { getTracker } from './analytics';
import { perfContext } from './perf-collect';

/** A feature name: two or three lowercase dot-separated parts, e.g. `feed.card`, `me.export.copy`. */
export const FEATURE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){1,2}$/;

/** Events already counted: a handler that calls another with the same event counts one tap. */
const counted = new WeakSet<object>();

/** The feature an event's element names (`data-feature`), or null for events of unnamed elements. */
export function featureOf(event: unknown): string | null {
  if (typeof event !== 'object' || event === null) return null;
  const target = (event as { currentTarget?: { dataset?: Record<string, unknown> } }).currentTarget;
  const feature = target?.dataset?.feature;
  return typeof feature === 'string' && FEATURE_NAME.test(feature) ? feature : null;
}

/** Sends the tap of a named feature (sampled and consent-gated by the tracker), with its release and platform. */
export function trackTap(feature: string): void {
  getTracker().track('tap', { feature, ...perfContext() });
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** The methods with each one wrapped: called with a named element's event, it sends the tap first. */
export function withTaps(methods: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(methods)) {
    if (typeof fn !== 'function' || (fn as { tapCounted?: true }).tapCounted) {
      out[name] = fn;
      continue;
    }
    const original = fn as Method;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const event = args[0];
      const feature = featureOf(event);
      if (feature && !counted.has(event as object)) {
        counted.add(event as object);
        trackTap(feature);
      }
      return original.apply(this, args);
    };
    (wrapped as { tapCounted?: true }).tapCounted = true;
    out[name] = wrapped;
  }
  return out;
}
