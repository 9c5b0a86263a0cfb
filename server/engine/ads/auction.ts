/**
 * The ad auction: rank by eCPM = bid × CTR × 1000 and charge each winner, per click, the
 * generalised second price — the least whole fen that keeps its rank against the next bidder
 * (Edelman, Ostrovsky & Schwarz 2007, "Internet Advertising and the Generalized Second-Price
 * Auction"), never above its own bid and never below the reserve.
 *
 * `runAuction` ranks (and prices) by the CTRs it is given. When exploration draws those CTRs,
 * the served price comes from `gspPrices` instead: the same rule on the model's posterior-mean
 * CTRs of every eligible ad, so the dice may change who wins but never what a winner pays.
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

interface Entry {
  b: Bidder;
  ecpm: number;
}

/** eCPM descending, ties by id, so that a replay of the same inputs gives the same order. */
const before = (x: Entry, y: Entry): number =>
  y.ecpm - x.ecpm || (x.b.id < y.b.id ? -1 : x.b.id > y.b.id ? 1 : 0);

/**
 * Runs one auction for `slots` ad positions; winners in rank order. Only the best slots + 1
 * bidders matter (the last one prices the last winner), so they are kept in a short sorted list
 * instead of sorting every bidder: the policy replays the auction dozens of times per request.
 */
export function runAuction(
  bidders: readonly Bidder[],
  slots: number,
  rules: AuctionRules,
): AuctionWinner[] {
  const keep = Math.max(0, slots) + 1;
  const ranked: Entry[] = [];
  for (const b of bidders) {
    if (!(b.bidFen >= rules.reserveFen && b.quality >= rules.minCtr && b.ctr > 0)) continue;
    const e = { b, ecpm: ecpmOf(b.bidFen, b.ctr) };
    if (ranked.length === keep && before(e, ranked[keep - 1]) >= 0) continue;
    // After every entry it does not beat (equal ones keep their input order, as a stable sort would).
    let at = ranked.length;
    while (at > 0 && before(e, ranked[at - 1]) < 0) at--;
    ranked.splice(at, 0, e);
    if (ranked.length > keep) ranked.pop();
  }
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

/**
 * Generalised second prices of the winners `ids` (rank order) on posterior-mean eCPMs: the
 * winner at rank r pays the least whole fen that puts its mean eCPM above the best mean eCPM
 * among the eligible bidders not placed at ranks 0..r (pacing coins and Thompson draws play no
 * part: `eligible` is every bidder that passed eligibility, each with its mean CTR), clamped to
 * reserve ≤ price ≤ bid. An explored winner whose mean is below a rival's pays its bid.
 */
export function gspPrices(
  ids: readonly string[],
  eligible: readonly Bidder[],
  rules: AuctionRules,
): number[] {
  const valid = eligible.filter(
    (b) => b.bidFen >= rules.reserveFen && b.quality >= rules.minCtr && b.ctr > 0,
  );
  const byId = new Map(eligible.map((b) => [b.id, b]));
  const placed = new Set<string>();
  return ids.map((id) => {
    placed.add(id);
    const w = byId.get(id);
    if (!w) throw new Error(`gspPrices: winner ${id} is not among the eligible bidders`);
    let next = -1;
    for (const b of valid) if (!placed.has(b.id)) next = Math.max(next, ecpmOf(b.bidFen, b.ctr));
    const keepRank =
      next < 0 || !(w.ctr > 0) ? rules.reserveFen : Math.floor(next / (1000 * w.ctr) + EPS) + 1;
    return Math.min(w.bidFen, Math.max(rules.reserveFen, keepRank));
  });
}
