/** runAuction keeps only the best slots + 1 bidders: it must agree with ranking every bidder by a full sort. */
import {
  ecpmOf,
  runAuction,
  type AuctionRules,
  type AuctionWinner,
  type Bidder,
} from '../../../../server/engine/ads/auction';
import { mulberry32 } from '../../../../server/engine/models/rng';

/** The auction as specified, by sorting every eligible bidder (the definition the fast path must match). */
function reference(
  bidders: readonly Bidder[],
  slots: number,
  rules: AuctionRules,
): AuctionWinner[] {
  const ranked = bidders
    .filter((b) => b.bidFen >= rules.reserveFen && b.quality >= rules.minCtr && b.ctr > 0)
    .map((b) => ({ b, ecpm: ecpmOf(b.bidFen, b.ctr) }))
    .sort((x, y) => y.ecpm - x.ecpm || (x.b.id < y.b.id ? -1 : x.b.id > y.b.id ? 1 : 0));
  return ranked.slice(0, Math.max(0, slots)).map(({ b, ecpm }, r) => {
    const next = ranked[r + 1];
    const keepRank = next ? Math.floor(next.ecpm / (1000 * b.ctr) + 1e-9) + 1 : rules.reserveFen;
    return {
      id: b.id,
      rank: r,
      ctr: b.ctr,
      ecpm,
      priceFen: Math.min(b.bidFen, Math.max(rules.reserveFen, keepRank)),
    };
  });
}

describe('runAuction against the full sort', () => {
  it('gives the same winners, ranks and prices over random bidder sets, ties included', () => {
    const r = mulberry32(42);
    const rules = { reserveFen: 5, minCtr: 0.002 };
    for (let round = 0; round < 500; round++) {
      const n = Math.floor(r() * 40);
      // Few distinct bids, CTRs and ids, so equal eCPMs and even equal ids occur.
      const bidders: Bidder[] = Array.from({ length: n }, () => ({
        id: `c${Math.floor(r() * 25)}`,
        bidFen: [3, 20, 50, 100][Math.floor(r() * 4)],
        ctr: [0, 0.001, 0.01, 0.02, 0.05][Math.floor(r() * 5)],
        quality: [0.001, 0.01, 0.03][Math.floor(r() * 3)],
      }));
      const slots = Math.floor(r() * 5);
      expect(runAuction(bidders, slots, rules)).toEqual(reference(bidders, slots, rules));
    }
  });
});
