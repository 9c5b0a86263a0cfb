/** Slate log port: every feed response served, with its cards' positions, scores and propensities. */

export interface SlateCard {
  position: number;
  /** A content card names its item, an ad card its campaign; exactly one is set. */
  itemId?: string;
  adId?: string;
  /** The model's score when a model ranked the slate, else null. */
  score: number | null;
  /** Probability that the serving policy put this card here (1 for a deterministic order). */
  propensity: number;
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

export interface SlateLog {
  /** Stores a slate; a slate id already stored is kept as it was (returns false). */
  append(slate: ServedSlate): Promise<boolean>;
  /** Slates by id; unknown ids are left out (order not guaranteed). */
  get(slateIds: string[]): Promise<ServedSlate[]>;
}
