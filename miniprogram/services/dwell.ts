/** Dwell timing for detail pages: one dwell event per visible span, from show to hide or unload. */

export interface DwellTimer {
  /** Page onShow: starts a span (a second start while running keeps the first). */
  start(): void;
  /** Page onHide / onUnload: ends the span and emits its length; no-op when not running. */
  stop(): void;
}

/**
 * Emits on every hide, not once at unload, because a hidden app may be killed without an
 * unload; background time is excluded since the page's onHide fires when the app hides.
 * Usage in a detail page:
 *   onLoad(q) { this.dwell = createDwellTimer((dwellMs) => tracker.track('dwell', { dwellMs, itemId: q.id, page: this.route })) }
 *   onShow() { this.dwell.start() }   onHide() { this.dwell.stop() }   onUnload() { this.dwell.stop() }
 */
export function createDwellTimer(
  emit: (dwellMs: number) => void,
  now: () => number = () => Date.now(),
): DwellTimer {
  let since: number | undefined;
  return {
    start() {
      if (since === undefined) since = now();
    },
    stop() {
      if (since === undefined) return;
      const dwellMs = Math.round(now() - since);
      since = undefined;
      if (dwellMs > 0) emit(dwellMs); // a clock set backwards yields nothing rather than a negative dwell
    },
  };
}
