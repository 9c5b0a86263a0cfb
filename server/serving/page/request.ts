/** What one feed page is asked for and what it answers: the types every stage of servePage shares. */
import type { FeedCard } from '../../../typings';
import type { Assignment } from '../../engine/experiments/assign';
import type { AdScene } from '../../engine/ads/scene';
import type { GeoPoint } from '../../engine/ranking/candidates/nearby';
import type { SessionAd, SharedAttributes } from '../ads';
import type { FeedSession } from '../session';

export interface FeedPage {
  slateId: string;
  cards: FeedCard[];
  /** Fewer cards than asked: nothing more to serve in this session. */
  exhausted: boolean;
  modelVersion: string | null;
  /** What the session served before this page, when read from its logged slates or kept (empty when carried). */
  before: SessionServed;
  /** Feed positions the page takes when some of its logged cards are no longer shown (a replay). */
  span?: number;
}

/** Item ids and ad cards a session served on its earlier pages. */
export interface SessionServed {
  items: string[];
  ads: SessionAd[];
}

export interface PageRequest {
  /** The session and which of its pages (session.ts). */
  session: FeedSession;
  /** The channel's category; null for the personal feed. */
  category: string | null;
  /** The categories the deployment's scene serves (server/scenes.ts); null or absent: every one. */
  categories?: readonly string[] | null;
  /** The scene's rule on ads (engine/ads/scene.ts); null or absent: every campaign. */
  adScene?: AdScene | null;
  /** The scene reads the user's travel-interest ties as a candidate source (server/scenes.ts). */
  travelTies?: boolean;
  limit: number;
  scene: number | null;
  /** The user's personalisation choice (issue 8: read from the account settings). */
  personalised: boolean;
  /** Gender / age band / city the user shared for ad targeting (server/privacy/demographics.ts). */
  shared?: SharedAttributes;
  /**
   * The user's risk tolerance C1–C5 (suitability, a hard rule: no content or ad above it); null
   * or absent when not assessed, which withholds every risk-rated product.
   */
  riskTolerance?: number | null;
  /** Categories the user picked at first launch: a floor under a cold profile (engine/profiles/seed.ts). */
  chosenInterests?: readonly string[];
  /**
   * Where the user is, when they shared it for this request and the feed is personalised
   * (session.ts locatedFor), and the destination city they asked about (旅游出行): travel items
   * near either are candidates. Neither is stored.
   */
  location?: GeoPoint | null;
  destination?: string;
  /** The user's experiment variants (none outside experiments). */
  experiments?: Assignment[];
  /**
   * Whether anything tied to the user may be kept or read (server/privacy/gate.ts): false logs no
   * slate and reads none of their counters (the session's state rides in the cursor instead).
   */
  store: boolean;
}

/** The user's ad.creative assignments (those naming a campaign), for the ads stage and replays. */
export const creativesOf = (req: PageRequest): Assignment[] =>
  (req.experiments ?? []).filter((a) => a.campaignId !== undefined);
