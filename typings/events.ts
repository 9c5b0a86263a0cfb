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
  | 'page_perf';

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
export interface PagePerfEvent extends EventBase {
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
    | 'loadPackage';
  durationMs: number;
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
  | PagePerfEvent;

/** Type-specific properties a page passes to tracker.track(type, props). */
export type EventProps<T extends EventType> = Omit<
  Extract<TrackedEvent, { type: T }>,
  keyof EventBase
> &
  Partial<Pick<EventBase, 'itemId' | 'adId' | 'slateId' | 'position' | 'variant'>>;
