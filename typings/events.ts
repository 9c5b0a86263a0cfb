/**
 * The event contract between the Mini Program's tracker and the `track` function.
 * Types only: the Mini Program cannot load code from outside its root, so both sides pin
 * their constants to these types (`const V: EventSchemaVersion = 1`) and tsc keeps them equal.
 * Versioned: a breaking change bumps EventSchemaVersion and the server keeps accepting the
 * previous version until old clients are gone.
 */
export type EventSchemaVersion = 1;

export type EventType =
  | 'impression'
  | 'click'
  | 'like'
  | 'unlike'
  | 'comment'
  | 'share'
  | 'share_open'
  | 'dwell'
  | 'hide'
  | 'search'
  | 'order'
  | 'pay'
  | 'page_perf'
  | 'set_data'
  | 'api_call'
  | 'app_error'
  | 'tap'
  | 'prefetch';

/** Fields every event carries. */
export interface EventBase {
  /** UUID generated on the device; the server de-duplicates on (user, eventId). */
  eventId: string;
  type: EventType;
  /** Client clock, epoch ms. */
  clientTime: number;
  sessionId: string;
  /** Page route the event happened on, e.g. "pages/feed/index". */
  page: string;
  /** Where relevant: what was shown and where. */
  itemId?: string;
  adId?: string;
  slateId?: string;
  position?: number;
  /** Experiment variants the user was in, "experiment:variant". */
  variant?: string;
}

export interface ImpressionEvent extends EventBase {
  type: 'impression';
}
export interface ClickEvent extends EventBase {
  type: 'click';
}
export interface LikeEvent extends EventBase {
  type: 'like';
}
export interface UnlikeEvent extends EventBase {
  type: 'unlike';
}
export interface CommentEvent extends EventBase {
  type: 'comment';
  text: string;
}
export interface ShareEvent extends EventBase {
  type: 'share';
  shareId: string;
  target: 'chat' | 'group' | 'timeline';
}
export interface ShareOpenEvent extends EventBase {
  type: 'share_open';
  shareId: string;
  /** Where the opened share was posted (the opener can tell a group or 朋友圈; the sharer cannot). */
  target?: 'chat' | 'group' | 'timeline';
}
export interface DwellEvent extends EventBase {
  type: 'dwell';
  dwellMs: number;
}
export interface HideEvent extends EventBase {
  type: 'hide';
  reason: string;
}
export interface SearchEvent extends EventBase {
  type: 'search';
  query: string;
}
export interface OrderEvent extends EventBase {
  type: 'order';
  orderId: string;
  amountFen: number;
  merchantId: string;
}
export interface PayEvent extends EventBase {
  type: 'pay';
  orderId: string;
  amountFen: number;
  merchantId: string;
}
/**
 * Where a performance event was measured: the release (wx.getAccountInfoSync().miniProgram.version,
 * `develop` / `trial` when it has none), the platform and the network type. Optional because
 * clients before issue 18 did not send them (stored and analysed as `unknown`).
 */
export interface PerfContext {
  /** Release version such as "1.4.2", or the environment ("develop", "trial") without one. */
  appVersion?: string;
  /** wx.getDeviceInfo().platform: ios, android, ohos, windows, mac, devtools. */
  platform?: string;
  /** wx.getNetworkType(): wifi, 2g, 3g, 4g, 5g, none, unknown. */
  network?: string;
}

/**
 * A wx.getPerformance() entry. `page` is the entry's path (the page it measured). For a `route`
 * entry (a navigation), `page` is where it went, `fromPage` where it came from (referrerPath),
 * and clientTime when: this is the stored shape a next-page transition model reads.
 */
export interface PagePerfEvent extends EventBase, PerfContext {
  type: 'page_perf';
  /** Entries from wx.getPerformance(): name, entryType and duration in ms. */
  metric:
    | 'appLaunch'
    | 'route'
    | 'firstRender'
    | 'firstPaint'
    | 'firstContentfulPaint'
    | 'largestContentfulPaint'
    | 'evaluateScript'
    | 'loadPackage'
    /** Not a wx entry: the detail page's own time from onLoad to its content shown (issue 18's prefetch A/B). */
    | 'timeToContent';
  durationMs: number;
  /** route entries: the page navigated from (absent on a launch). */
  fromPage?: string;
}

/**
 * A page's setData use over one reporting window (the wrapper every page uses sums it): calls,
 * bytes sent (JSON length of the data), the largest call and the most calls within any one second.
 */
export interface SetDataEvent extends EventBase, PerfContext {
  type: 'set_data';
  calls: number;
  bytes: number;
  maxBytes: number;
  peakPerSecond: number;
  windowMs: number;
}

/** A backend call as the client saw it: the function (or `request` for a local wx.request), its latency, success. */
export interface ApiCallEvent extends EventBase, PerfContext {
  type: 'api_call';
  fn: string;
  durationMs: number;
  ok: boolean;
}

/** wx.onError, wx.onUnhandledRejection, wx.onMemoryWarning (level: iOS none, Android 5 / 10 / 15). No message or stack is sent. */
export interface AppErrorEvent extends EventBase, PerfContext {
  type: 'app_error';
  kind: 'error' | 'rejection' | 'memory';
  level?: number;
}

/**
 * A tap on a named feature (stable names such as `feed.card`, `detail.like`:
 * miniprogram/services/features.ts), with the release, platform and network like the perf events,
 * so tap rates are per page × version × platform (taps before that carry none: `unknown`).
 */
export interface TapEvent extends EventBase, PerfContext {
  type: 'tap';
  feature: string;
}

/**
 * What the feed prefetched since the last report (sent when the app hides): detail calls made
 * ahead of a tap, their answers' bytes, and detail pages opened from them (issue 18's A/B cost side).
 */
export interface PrefetchEvent extends EventBase, PerfContext {
  type: 'prefetch';
  calls: number;
  bytes: number;
  hits: number;
}

export type TrackedEvent =
  | ImpressionEvent
  | ClickEvent
  | LikeEvent
  | UnlikeEvent
  | CommentEvent
  | ShareEvent
  | ShareOpenEvent
  | DwellEvent
  | HideEvent
  | SearchEvent
  | OrderEvent
  | PayEvent
  | PagePerfEvent
  | SetDataEvent
  | ApiCallEvent
  | AppErrorEvent
  | TapEvent
  | PrefetchEvent;

/** Type-specific properties a page passes to tracker.track(type, props). */
export type EventProps<T extends EventType> = Omit<
  Extract<TrackedEvent, { type: T }>,
  keyof EventBase
> &
  Partial<Pick<EventBase, 'itemId' | 'adId' | 'slateId' | 'position' | 'variant'>>;
