/**
 * Every cloud function's request and response. The functions validate against these
 * shapes (zod schemas in server/functions mirror them) and the Mini Program's API client
 * is typed by them, so both sides change together.
 */
import type { AccountRequest, AccountResponse } from './account';
import type { FeedCard } from './content';
import type { PrefetchPolicy } from './experiments';
import type { ContentRequest, ContentResponse } from './content-api';
import type { MerchantRequest, MerchantResponse } from './merchant';
import type { PayNotifyRequest, PayNotifyResponse, PayRequest, PayResponse } from './pay';
import type {
  CsMessageRequest,
  CsMessageResponse,
  SupportRequest,
  SupportResponse,
} from './support';
import type { EventSchemaVersion, EventType, TrackedEvent } from './events';

export interface RecommendRequest {
  /** "foryou" (default) or a category name. */
  channel?: string;
  /** Opaque cursor from the previous page; absent for the first page. */
  cursor?: string;
  /** Cards per page, 1–50, default 10. */
  limit?: number;
  /** WeChat launch scene (wx.getLaunchOptionsSync().scene). */
  scene?: number;
  /**
   * Where the user is (wx.getLocation, type 'gcj02'), sent only after they allowed it: travel
   * items near it are candidates and cards show their distance. Used for this request only,
   * never stored, and ignored while personalisation is off.
   */
  location?: { lat: number; lng: number };
  /** A city the user plans to visit (旅游出行): travel items there are candidates. */
  destination?: string;
}

export interface RecommendResponse {
  slateId: string;
  cards: FeedCard[];
  /** Pass back to get the next page; null at the end. */
  cursor: string | null;
  /** Why a slate carries no content, present only then (the client shows a fitting empty state). */
  reason?: EmptySlateReason;
  /** Detail payloads worth fetching ahead of a tap (issue 18); absent when the user's prefetch policy is off. */
  prefetch?: PrefetchPlan;
  /** The deployment's scene (SCENE), on a session's first page only: which channels and entry points the feed shows. */
  appScene?: AppSceneView;
}

/** The application scenes a deployment may run as (SCENE; server/scenes.ts). */
export type AppSceneName = 'general' | 'finance' | 'travel' | 'support';
/** Entry points a scene puts on the feed: 智能客服, 风险测评, 我的行程. */
export type AppSceneEntry = 'support' | 'risk' | 'trips';

/** What the Mini Program needs of the scene: the feed's channel tabs and its prominent entry points. */
export interface AppSceneView {
  name: AppSceneName;
  /** The scene's channel tabs after 推荐 (content categories), in order. */
  channels: string[];
  /** Entry points shown above the feed, in order. */
  entries: AppSceneEntry[];
  /** The place bar (附近 / 目的地) shows on every channel, not only 旅行. */
  placeBar: boolean;
}

/**
 * What the feed may prefetch for this page, chosen on the server within the per-screen budget
 * (server/engine/prefetch/policy.ts). The client fetches it all on Wi-Fi, on a cellular network
 * only while its session's cellular prefetch budget lasts, and nothing on 2G/3G or offline.
 */
export interface PrefetchPlan {
  policy: Exclude<PrefetchPolicy, 'off'>;
  /** Content item ids, likeliest first. */
  itemIds: string[];
  /** Estimated bytes of each listed item's detail payload (same order). */
  bytes: number[];
}

/**
 * empty_catalog: nothing is published yet; empty_channel: nothing published in the requested
 * channel (category); exhausted: this session has served everything there is to serve.
 */
export type EmptySlateReason = 'empty_catalog' | 'empty_channel' | 'exhausted';

export interface TrackRequest {
  schemaVersion: EventSchemaVersion;
  events: TrackedEvent[];
  /** Events the device dropped since the last acknowledged batch: queue overflow, or events the server refused whole-batch and the tracker isolated. */
  dropped?: number;
}

export interface RejectedEvent {
  /** Index in the request's events array. */
  index: number;
  eventId?: string;
  reason: string;
}

export interface TrackResponse {
  /** Event ids stored by this call. */
  accepted: string[];
  /** Event ids already stored earlier (acknowledged, not stored again). */
  duplicates: string[];
  rejected: RejectedEvent[];
  /**
   * Valid events acknowledged but not stored (the device must not resend them): no consent is
   * recorded for the user, or their data was erased. Absent when none were dropped.
   */
  dropped?: number;
  /**
   * Sampling rates (0..1) per event type the device should apply from now on; types not listed
   * keep everything. Lets operators thin high-volume events (page_perf, dwell) without a release.
   */
  sampling?: Partial<Record<EventType, number>>;
}

/** `train` takes no parameters: it is run by its timer (or the local host), never by a user. */
export type TrainRequest = Record<string, never>;

export interface TrainResponse {
  /** trained: a run completed; idle: nothing new; busy: another run holds the lease; conflict: lost a race, nothing saved. */
  status: 'trained' | 'idle' | 'busy' | 'conflict';
  /** Events read from the log in this run. */
  events: number;
  /** Labelled impressions learned, and how many of them were clicks. */
  examples: number;
  positives: number;
  /** Version this run issued (null: none), whether it now serves, and why. */
  version: string | null;
  promoted: boolean;
  reason: string;
  /** Version serving after the run. */
  serving: string | null;
  /** Progressive-validation AUC / log-loss of the new version, and the serving one's AUC, on this run's window. */
  auc: number | null;
  logLoss: number | null;
  servingAuc: number | null;
  /** Impressions still waiting for their click window. */
  pending: number;
  profiles: number;
  neighbours: number;
  /** Inputs skipped, by reason (duplicates, unknown slates, malformed events, refused examples …). */
  skipped: Record<string, number>;
  /** True when the time budget ran out before the log did (the next run continues). */
  more: boolean;
  elapsedMs: number;
  /**
   * The challenger trained beside the champion on this run's window (absent when the window was
   * too small or no time was left): the kind the selection chose, whether it replaced the
   * champion, and why.
   */
  challenger?: { model: string; replaced: boolean; reason: string };
}

/** The functions the backend serves, with their request and response types. */
export interface FunctionMap {
  recommend: { req: RecommendRequest; res: RecommendResponse };
  track: { req: TrackRequest; res: TrackResponse };
  train: { req: TrainRequest; res: TrainResponse };
  account: { req: AccountRequest; res: AccountResponse };
  merchant: { req: MerchantRequest; res: MerchantResponse };
  content: { req: ContentRequest; res: ContentResponse };
  support: { req: SupportRequest; res: SupportResponse };
  csmessage: { req: CsMessageRequest; res: CsMessageResponse };
  pay: { req: PayRequest; res: PayResponse };
  payNotify: { req: PayNotifyRequest; res: PayNotifyResponse };
}

export type FunctionName = keyof FunctionMap;
