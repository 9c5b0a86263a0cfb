/** The event tracker: consent-gated, sampled, persisted queue sent in acknowledged batches. */
import type {
  EventBase,
  EventProps,
  EventSchemaVersion,
  EventType,
  TrackRequest,
  TrackResponse,
  TrackedEvent,
} from '../../typings';
import { EventQueue, type QueueStorage } from './event-queue';
import { backoffDelay, isRetryable } from './retry';
import { createRandomBytes, createUuid, wxRandomSource, type RandomBytes } from './uuid';

const SCHEMA_VERSION: EventSchemaVersion = 1;
/** Storage flag for an explicit opt-out; it outlives WeChat's own privacy agreement. */
export const OPT_OUT_KEY = 'tracker:optout';
/** Keeps 1,000 queued events well under wx storage's 1 MB per key. */
const MAX_EVENT_CHARS = 800;
/**
 * Events trackWhenDecided holds while consent is undecided: a launch's share_open, and its
 * performance entries, calls and errors (services/perf-collect.ts: a dozen or so).
 */
const MAX_HELD = 40;

/** Sends one batch; resolves with the server's acknowledgement, rejects (ApiError-like `{ code }` or any error) on failure. */
export type Transport = (req: TrackRequest) => Promise<TrackResponse>;
/** Per event type, the fraction of events kept (0..1); types not listed keep everything. */
export type SamplingConfig = Partial<Record<EventType, number>>;
/** What a page passes: the type's own fields, optional placement fields, and optionally the page route. */
export type TrackProps<T extends EventType> = EventProps<T> & { page?: string };

/** The wx calls the tracker uses; the real `wx` satisfies it, tests pass a fake. */
export interface TrackerWx extends QueueStorage {
  getPrivacySetting?(option: {
    success(res: { needAuthorization: boolean }): void;
    fail?(err: unknown): void;
  }): void;
  onAppHide?(listener: () => void): void;
  /** Connectivity changes: a batch waiting out its backoff is sent as soon as the network is back. */
  onNetworkStatusChange?(listener: (res: { isConnected: boolean }) => void): void;
  getRandomValues?: WechatMiniprogram.Wx['getRandomValues'];
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TrackerOptions {
  send: Transport;
  wx?: TrackerWx;
  clock?: Clock;
  /** Uniform [0, 1): sampling and backoff jitter. */
  random?: () => number;
  /** Bytes for event and session ids; default wx.getRandomValues with `random` as fallback. */
  randomBytes?: RandomBytes;
  /** Route of the page an event happened on; default the top of getCurrentPages(). */
  currentPage?: () => string;
  sampling?: SamplingConfig;
  /**
   * 'auto' (default): collect once wx.getPrivacySetting says the user has agreed. 'manual': wait
   * for setConsent(true), for apps that must first record the consent on their server.
   */
  consentMode?: 'auto' | 'manual';
  maxQueue?: number; // 1,000
  batchSize?: number; // 20
  flushIntervalMs?: number; // 5 s
  backoffBaseMs?: number; // 1 s
  backoffCapMs?: number; // 60 s
  /** Where swallowed errors go: track() never throws into a page. Default console.warn. */
  onError?: (err: unknown, where: string) => void;
}

export interface Tracker {
  readonly sessionId: string;
  /** Queues an event if the user has consented and it is sampled in. Never throws. */
  track<T extends EventType>(type: T, props: TrackProps<T>): void;
  /**
   * For what happens before consent can be known on a cold start (`share_open`: the launch
   * itself; the launch's performance entries): while consent is undecided the event waits in memory (never in storage, at most
   * MAX_HELD), is tracked if consent is granted in this session and dropped if it is refused.
   */
  trackWhenDecided<T extends EventType>(type: T, props: TrackProps<T>): void;
  /** Sends the next batch now, unless one is in flight or a retry is waiting. */
  flush(): void;
  /** The user's choice: call with true when they agree in the app's privacy prompt (the
   *  wx.onNeedPrivacyAuthorization flow). Opting out empties the queue and is remembered. */
  setConsent(granted: boolean): void;
  /** Replaces the sampling rates (e.g. from remote configuration). */
  setSampling(config: SamplingConfig): void;
}

export class TrackerError extends Error {
  constructor(
    readonly code: 'EVENT_TOO_LARGE' | 'EVENTS_REJECTED',
    message: string,
  ) {
    super(message);
    this.name = 'TrackerError';
  }
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};

/** A send that never reached the server: ApiError NETWORK, or wx's own "request:fail …". */
function isOffline(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : null;
  if (code === 'NETWORK') return true;
  return code === undefined && err instanceof Error && /request:fail/.test(err.message);
}

function topPageRoute(): string {
  if (typeof getCurrentPages !== 'function') return '';
  const pages = getCurrentPages();
  return pages.length > 0 ? pages[pages.length - 1].route : '';
}

/** Keeps finite rates, clamped to 0..1: a malformed remote value must not silence a type. */
function cleanSampling(config: SamplingConfig): SamplingConfig {
  const entries = Object.entries(config).filter(
    ([, rate]) => typeof rate === 'number' && Number.isFinite(rate),
  );
  return Object.fromEntries(
    entries.map(([type, rate]) => [type, Math.min(1, Math.max(0, rate as number))]),
  );
}

export function createTracker(options: TrackerOptions): Tracker {
  const w = options.wx ?? wx;
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;
  const uuid = createUuid(options.randomBytes ?? createRandomBytes(wxRandomSource(w), random));
  const currentPage = options.currentPage ?? topPageRoute;
  const batchSize = options.batchSize ?? 20;
  const flushIntervalMs = options.flushIntervalMs ?? 5000;
  const backoff = { baseMs: options.backoffBaseMs ?? 1000, capMs: options.backoffCapMs ?? 60_000 };
  const report =
    options.onError ?? ((err: unknown, where: string) => console.warn(`[tracker] ${where}`, err));
  const queue = new EventQueue(w, options.maxQueue ?? 1000, (err) => report(err, 'storage'));

  const sessionId = uuid();
  let sampling = cleanSampling(options.sampling ?? {});
  let consent: 'pending' | 'granted' | 'denied' =
    w.getStorageSync(OPT_OUT_KEY) === true ? 'denied' : 'pending';
  let inFlight: ReadonlySet<string> = new Set(); // ids of the batch being sent
  // Held by trackWhenDecided until consent is decided; the time is kept so the event says when it happened.
  let held: Array<{ type: EventType; props: TrackProps<EventType>; at: number }> = [];
  let failures = 0; // consecutive retryable failures
  let limit = batchSize; // shrinks while bisecting a batch the server refuses outright
  let timer: unknown;
  let retryWaiting = false;
  // The last failure never reached the server (no network): a reconnect may end its backoff early.
  // A server's own refusal (RATE_LIMITED, UNAVAILABLE) keeps its backoff whatever the network does.
  let offlineFailure = false;

  function setTimer(ms: number, isRetry: boolean): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    retryWaiting = isRetry;
    timer = clock.setTimeout(() => {
      timer = undefined;
      retryWaiting = false;
      flush();
    }, ms);
  }

  function clearTimer(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    retryWaiting = false;
  }

  /** After a send settles or consent arrives: drain a backlog now, or wait out the interval. */
  function next(): void {
    if (consent !== 'granted' || inFlight.size > 0 || retryWaiting) return;
    if (queue.length >= batchSize) flush();
    else if (queue.length > 0 && timer === undefined) setTimer(flushIntervalMs, false);
  }

  function flush(): void {
    if (consent !== 'granted' || inFlight.size > 0 || retryWaiting || queue.length === 0) return;
    clearTimer();
    const batch = queue.head(limit);
    const dropped = queue.dropped;
    inFlight = new Set(batch.map((e) => e.eventId));
    const req: TrackRequest = {
      schemaVersion: SCHEMA_VERSION,
      events: batch,
      ...(dropped > 0 ? { dropped } : {}),
    };
    let sent: Promise<TrackResponse>;
    try {
      sent = options.send(req);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent
      .then(
        (res) => acknowledged(batch, dropped, res),
        (err) => failed(batch, err),
      )
      .catch((err) => report(err, 'flush'));
  }

  function acknowledged(batch: TrackedEvent[], dropped: number, res: TrackResponse): void {
    inFlight = new Set();
    failures = 0;
    limit = batchSize;
    // The response acknowledges the whole batch: accepted and duplicates are stored, rejected
    // ones are invalid and would fail forever, so none of them is sent again.
    queue.remove(new Set(batch.map((e) => e.eventId)));
    queue.reported(dropped);
    // The server's sampling rates replace the local ones: operators thin events without a release.
    if (res?.sampling && typeof res.sampling === 'object') sampling = cleanSampling(res.sampling);
    const rejected = Array.isArray(res?.rejected) ? res.rejected : [];
    if (rejected.length > 0) {
      const reasons = rejected.map((r) => `${batch[r.index]?.type ?? '?'}: ${r.reason}`).join('; ');
      report(
        new TrackerError(
          'EVENTS_REJECTED',
          `server rejected ${rejected.length} event(s): ${reasons}`,
        ),
        'ack',
      );
    }
    next();
  }

  function failed(batch: TrackedEvent[], err: unknown): void {
    inFlight = new Set();
    report(err, 'send');
    offlineFailure = isOffline(err);
    if (isRetryable(err)) {
      failures += 1;
      if (consent === 'granted') setTimer(backoffDelay(failures, random, backoff), true);
      return;
    }
    // Refused as a whole: halve the batch until the bad event is alone, then drop it and count
    // it as lost. Retries go at the normal interval, so a refusing server is not hammered.
    if (batch.length > 1) limit = Math.ceil(batch.length / 2);
    else {
      queue.remove(new Set([batch[0].eventId]));
      queue.countLost(1);
    }
    if (consent === 'granted' && queue.length > 0) setTimer(flushIntervalMs, false);
  }

  function trackWhenDecided<T extends EventType>(type: T, props: TrackProps<T>): void {
    if (consent === 'pending') {
      const page = props.page ?? currentPage();
      if (held.length < MAX_HELD) held.push({ type, props: { ...props, page }, at: clock.now() });
    } else track(type, props);
  }

  function track<T extends EventType>(type: T, props: TrackProps<T>, at?: number): void {
    try {
      if (consent !== 'granted') return;
      const rate = sampling[type] ?? 1;
      if (rate < 1 && random() >= rate) return;
      const { page, ...fields } = props;
      const base: EventBase = {
        eventId: uuid(),
        type,
        clientTime: at ?? clock.now(),
        sessionId,
        page: page ?? currentPage(),
      };
      const event = { ...fields, ...base } as TrackedEvent;
      const size = JSON.stringify(event).length;
      if (size > MAX_EVENT_CHARS)
        throw new TrackerError(
          'EVENT_TOO_LARGE',
          `${type} event is ${size} chars (max ${MAX_EVENT_CHARS})`,
        );
      queue.push(event, inFlight);
      next();
    } catch (err) {
      report(err, 'track');
    }
  }

  function setConsent(granted: boolean): void {
    try {
      consent = granted ? 'granted' : 'denied';
      const waiting = held;
      held = [];
      if (granted) {
        w.removeStorageSync(OPT_OUT_KEY);
        for (const e of waiting) track(e.type, e.props, e.at);
        next();
      } else {
        clearTimer();
        failures = 0;
        queue.clear();
        w.setStorageSync(OPT_OUT_KEY, true);
      }
    } catch (err) {
      report(err, 'consent');
    }
  }

  if (consent === 'pending' && options.consentMode !== 'manual') {
    if (typeof w.getPrivacySetting !== 'function')
      consent = 'granted'; // base library < 2.32.3: no privacy flow
    else
      w.getPrivacySetting({
        // needAuthorization false: the user agreed, or the app declares no data collection.
        // true: wait for the app's privacy prompt to call setConsent(true).
        success: (res) => {
          if (consent === 'pending' && !res.needAuthorization) setConsent(true);
        },
        fail: (err) => report(err, 'privacy'),
      });
  }
  w.onAppHide?.(() => flush());
  // Back online: a batch that failed (offline) is not left waiting out a backoff of up to a
  // minute; the next failure starts the backoff afresh.
  w.onNetworkStatusChange?.((res) => {
    if (!res.isConnected || !retryWaiting || !offlineFailure) return;
    clearTimer();
    failures = 0;
    flush();
  });
  next();

  return {
    sessionId,
    track: (type, props) => track(type, props),
    trackWhenDecided,
    flush,
    setConsent,
    setSampling: (config) => {
      sampling = cleanSampling(config);
    },
  };
}
