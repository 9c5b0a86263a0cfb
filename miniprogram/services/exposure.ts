/** Viewable impressions for feed cards: ≥ 50 % of a card on screen for ≥ 1 s, once per slate position. */

/** What a card declares in WXML: data-slate-id, data-position, and data-item-id or data-ad-id. */
export interface ExposureTarget {
  slateId: string;
  position: number;
  itemId?: string;
  adId?: string;
}

/** A page or component instance: both can create an intersection observer scoped to themselves. */
export interface ObserverHost {
  createIntersectionObserver(
    options: WechatMiniprogram.CreateIntersectionObserverOption,
  ): WechatMiniprogram.IntersectionObserver;
}

export interface ExposureOptions {
  minRatio?: number; // 0.5
  minVisibleMs?: number; // 1000
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  onError?: (err: unknown) => void;
}

export interface ExposureHandle {
  /** Observes the cards now on the page: call after rendering more cards, and on page show. */
  refresh(): void;
  /** Stops observing and cancels pending timers: call on page hide and on unload / detached. */
  disconnect(): void;
}

/**
 * Calls `onViewable` once per (slateId, position) when that card has stayed at least
 * `minRatio` visible for `minVisibleMs`. Usage in a page:
 *   onShow() { this.exposure = observeExposure(this, '.feed-card', (t) => tracker.track('impression', t)) }
 *   onHide() { this.exposure.disconnect() }
 * The observer only sees nodes present when it starts (observeAll), hence refresh().
 */
export function observeExposure(
  host: ObserverHost,
  selector: string,
  onViewable: (target: ExposureTarget) => void,
  options: ExposureOptions = {},
): ExposureHandle {
  const minRatio = options.minRatio ?? 0.5;
  const minVisibleMs = options.minVisibleMs ?? 1000;
  const setTimer = options.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimeout ?? ((handle) => clearTimeout(handle as number));
  const report = options.onError ?? ((err: unknown) => console.warn('[exposure]', err));
  const counted = new Set<string>(); // survives refresh(): a position counts once per slate
  const pending = new Map<string, unknown>();
  let observer: WechatMiniprogram.IntersectionObserver | undefined;

  function onChange(res: WechatMiniprogram.IntersectionObserverObserveCallbackResult): void {
    const target = readTarget(res.dataset);
    if (!target) return;
    const key = `${target.slateId}#${target.position}`;
    if (counted.has(key)) return;
    if (res.intersectionRatio >= minRatio) {
      if (pending.has(key)) return; // still visible, e.g. 50 % → 100 %: keep the first start time
      pending.set(
        key,
        setTimer(() => {
          pending.delete(key);
          counted.add(key);
          try {
            onViewable(target);
          } catch (err) {
            report(err);
          }
        }, minVisibleMs),
      );
    } else if (pending.has(key)) {
      clearTimer(pending.get(key));
      pending.delete(key);
    }
  }

  function disconnect(): void {
    observer?.disconnect();
    observer = undefined;
    pending.forEach((handle) => clearTimer(handle));
    pending.clear();
  }

  function refresh(): void {
    disconnect();
    const thresholds = [...new Set([0, minRatio, 1])];
    observer = host.createIntersectionObserver({ thresholds, observeAll: true });
    observer.relativeToViewport().observe(selector, onChange);
  }

  refresh();
  return { refresh, disconnect };
}

/** Reads the card's dataset; cards without a slate id and position cannot be counted once, so are skipped. */
function readTarget(dataset: Record<string, unknown> | undefined): ExposureTarget | undefined {
  const slateId = dataset?.slateId;
  const position = Number(dataset?.position);
  if (
    typeof slateId !== 'string' ||
    slateId === '' ||
    dataset?.position === '' ||
    !Number.isInteger(position) ||
    position < 0
  )
    return undefined;
  const target: ExposureTarget = { slateId, position };
  if (typeof dataset?.itemId === 'string' && dataset.itemId !== '') target.itemId = dataset.itemId;
  if (typeof dataset?.adId === 'string' && dataset.adId !== '') target.adId = dataset.adId;
  return target;
}
