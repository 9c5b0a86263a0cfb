/**
 * Every cloud function's request and response. The functions validate against these
 * shapes (zod schemas in server/functions mirror them) and the Mini Program's API client
 * is typed by them, so both sides change together.
 */
import type { FeedCard } from './content';
import type { EventSchemaVersion, TrackedEvent } from './events';

export interface RecommendRequest {
  /** "foryou" (default) or a category name. */
  channel?: string;
  /** Opaque cursor from the previous page; absent for the first page. */
  cursor?: string;
  /** Cards per page, 1–50, default 10. */
  limit?: number;
  /** WeChat launch scene (wx.getLaunchOptionsSync().scene). */
  scene?: number;
}

export interface RecommendResponse {
  slateId: string;
  cards: FeedCard[];
  /** Pass back to get the next page; null at the end. */
  cursor: string | null;
}

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
}

/** The functions the backend serves, with their request and response types. */
export interface FunctionMap {
  recommend: { req: RecommendRequest; res: RecommendResponse };
  track: { req: TrackRequest; res: TrackResponse };
}

export type FunctionName = keyof FunctionMap;
