/**
 * The ad auction: rank by eCPM = bid × CTR × 1000 and charge each winner, per click, the
 * generalised second price — the least whole fen that keeps its rank against the next bidder
 * (Edelman, Ostrovsky & Schwarz 2007, "Internet Advertising and the Generalized Second-Price
 * Auction"), never above its own bid and never below the reserve.
 */

export interface Bidder {
  id: string;
  /** Cost-per-click bid, whole fen. */
  bidFen: number;
  /** CTR the auction ranks by (the model's, or a Thompson sample while the ad is explored). */
  ctr: number;
  /** CTR point estimate checked against the quality floor. */
  quality: number;
}

export interface AuctionWinner {
  id: string;
  /** 0 = best. */
  rank: number;
  ctr: number;
  /** Expected fen per thousand impressions. */
  ecpm: number;
  /** What a click costs, whole fen: reserve ≤ price ≤ bid. */
  priceFen: number;
}

export interface AuctionRules {
  reserveFen: number;
  minCtr: number;
}

export const ecpmOf = (bidFen: number, ctr: number): number => bidFen * ctr * 1000;

/** Guards float noise: 2.9999999999 fen owed is 3 fen, not 2. */
const EPS = 1e-9;

/** Runs one auction for `slots` ad positions; winners in rank order. */
export function runAuction(bidders: readonly Bidder[], slots: number, rules: AuctionRules): AuctionWinner[] {
  const ranked = bidders
    .filter((b) => b.bidFen >= rules.reserveFen && b.quality >= rules.minCtr && b.ctr > 0)
    .map((b) => ({ b, ecpm: ecpmOf(b.bidFen, b.ctr) }))
    // Ties broken by id so that a replay of the same inputs gives the same order.
    .sort((x, y) => y.ecpm - x.ecpm || (x.b.id < y.b.id ? -1 : x.b.id > y.b.id ? 1 : 0));
  const winners: AuctionWinner[] = [];
  for (let r = 0; r < Math.min(slots, ranked.length); r++) {
    const { b, ecpm } = ranked[r];
    const next = ranked[r + 1];
    // The least whole fen p with p × ctr × 1000 > next eCPM: floor(next / (1000 ctr)) + 1.
    const keepRank = next ? Math.floor(next.ecpm / (1000 * b.ctr) + EPS) + 1 : rules.reserveFen;
    const priceFen = Math.min(b.bidFen, Math.max(rules.reserveFen, keepRank));
    winners.push({ id: b.id, rank: r, ctr: b.ctr, ecpm, priceFen });
  }
  return winners;
}
