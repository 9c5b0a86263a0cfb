/** GSP prices, computed by hand: eCPM = bid × CTR × 1000; a winner pays floor(next eCPM / (1000 × own CTR)) + 1 fen, capped by its bid, floored at the reserve. */
import { runAuction, type Bidder } from '../../../../server/engine/ads/auction';

const rules = { reserveFen: 5, minCtr: 0.001 };
const b = (id: string, bidFen: number, ctr: number, quality = ctr): Bidder => ({
  id,
  bidFen,
  ctr,
  quality,
});

describe('GSP auction', () => {
  it('ranks by eCPM, not by bid, and prices each winner against the next', () => {
    // eCPM: A 100×0.02×1000 = 2000, B 150×0.01×1000 = 1500, C 80×0.015×1000 = 1200, D 60×0.01×1000 = 600.
    const w = runAuction(
      [b('B', 150, 0.01), b('A', 100, 0.02), b('D', 60, 0.01), b('C', 80, 0.015)],
      3,
      rules,
    );
    expect(w.map((x) => x.id)).toEqual(['A', 'B', 'C']);
    // A: 1500 / (1000 × 0.02) = 75 → 76. B: 1200 / 10 = 120 → 121. C: 600 / 15 = 40 → 41.
    expect(w.map((x) => x.priceFen)).toEqual([76, 121, 41]);
    expect(w.map((x) => x.ecpm)).toEqual([2000, 1500, 1200]);
  });

  it('keeps rank with the price: price × own CTR beats the next eCPM, one fen less does not', () => {
    const w = runAuction([b('A', 90, 0.03), b('B', 70, 0.017)], 1, rules);
    // Next eCPM 70 × 0.017 × 1000 = 1190; 1190 / 30 = 39.67 → 40.
    expect(w[0].priceFen).toBe(40);
    expect(40 * 0.03 * 1000).toBeGreaterThan(1190);
    expect(39 * 0.03 * 1000).toBeLessThan(1190);
  });

  it('never charges above the bid (a tie) nor below the reserve (no runner-up)', () => {
    // Equal eCPM 1000 each: keeping rank would need 51 > bid 50 → capped at 50; the order is by id.
    const tie = runAuction([b('Y', 50, 0.02), b('X', 50, 0.02)], 1, rules);
    expect(tie).toEqual([expect.objectContaining({ id: 'X', priceFen: 50 })]);
    // The last winner has nobody below it: it pays the reserve.
    expect(runAuction([b('A', 100, 0.05)], 1, rules)[0].priceFen).toBe(5);
    // A runner-up far below: floor(10×0.001×1000 / (1000×0.05)) + 1 = 1 → raised to the reserve 5.
    expect(runAuction([b('A', 100, 0.05), b('B', 10, 0.001)], 1, rules)[0].priceFen).toBe(5);
  });

  it('leaves out bids under the reserve and ads under the quality floor, which then set no price', () => {
    const w = runAuction(
      [b('A', 100, 0.02), b('cheap', 4, 0.9), b('junk', 10_000, 0.5, 0.0005), b('C', 40, 0.01)],
      2,
      rules,
    );
    expect(w.map((x) => x.id)).toEqual(['A', 'C']);
    // A priced against C (400 eCPM): 400 / 20 = 20 → 21.
    expect(w[0].priceFen).toBe(21);
  });

  it('returns no more winners than slots, and none for no bidders', () => {
    expect(runAuction([b('A', 100, 0.02), b('B', 90, 0.02)], 1, rules)).toHaveLength(1);
    expect(runAuction([], 3, rules)).toEqual([]);
  });

  it('treats float noise in a whole-fen price as the whole fen', () => {
    // Next eCPM 0.07 × 30 × 1000 = 2100.0000000000005 in floats; own CTR 0.07: 30 owed exactly → 31.
    const w = runAuction([b('A', 100, 0.07), b('B', 30, 0.07)], 1, rules);
    expect(w[0].priceFen).toBe(31);
  });
});
