/**
 * The records the engine computes on, shared with the storage ports that keep them: a stored
 * event, a served slate and its cards, a counter's values. They live here so that the arrow runs
 * one way: ports depend on the engine's records, the engine on no port.
 */
import type { EventType } from '../../typings';

/** One event as stored by `track` (identity and server time stamped by the server). */
export interface StoredEvent {
  openid: string;
  eventId: string;
  type: EventType;
  /** Server clock when stored, epoch ms. */
  serverTime: number;
  /** Device clock, epoch ms, as sent. */
  clientTime: number;
  /** True when clientTime is more than 24 h away from serverTime. */
  clockSkewed: boolean;
  sessionId: string;
  page: string;
  itemId?: string;
  adId?: string;
  slateId?: string;
  position?: number;
  variant?: string;
  /** Type-specific fields (comment text, dwell ms, order amount …), stored as given. */
  props: Record<string, string | number | boolean>;
}

/** A card of a served slate, as logged. */
export interface SlateCard {
  position: number;
  /** A content card names its item, an ad card its campaign; exactly one is set. */
  itemId?: string;
  adId?: string;
  /** The model's score when a model ranked the slate, else null. */
  score: number | null;
  /**
   * Probability that the serving policy put this card here (1 for a deterministic order): exact
   * when the policy's randomness allows it (content: an explicit ε mixture), else an unbiased
   * estimate from `propensitySamples` replays (ads: Thompson sampling). May be 0 only as such an estimate.
   */
  propensity: number;
  /** Replays behind an estimated propensity; absent when it is exact. */
  propensitySamples?: number;
  /**
   * Shown by the policy's exploration component rather than its greedy one (content: the ε
   * card; ads: a Thompson-sampled CTR). With the mixture weight this gives a candidate policy's
   * probability of the card from the log alone (server/engine/metrics/ope.ts).
   */
  explored?: boolean;
  /** Ad cards: what a click on this card costs the campaign, whole fen (its second price). */
  priceFen?: number;
}

export interface ServedSlate {
  slateId: string;
  openid: string;
  /** Server clock when served, epoch ms. */
  servedAt: number;
  /** Model version that scored the slate; null when none did (cold start, fallback order). */
  modelVersion: string | null;
  /** Experiment variants the user was in, "experiment:variant"; null outside experiments. */
  variant: string | null;
  /**
   * False when the user has opted out of personalisation (PIPL art. 24): the slate used nothing
   * personal, and training must not learn user features from it either.
   */
  personalised: boolean;
  /** WeChat launch scene of the request, when sent. */
  scene: number | null;
  cards: SlateCard[];
}

/** A counter's fields and their values. */
export type CounterValues = Record<string, number>;
