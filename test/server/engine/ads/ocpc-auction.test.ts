/** oCPC in the auction, computed by hand: bid = target × pCVR × factor (whole fen, capped), GSP per click. */
import type { Campaign } from '../../../../typings';
import { DEFAULT_AD_PARAMS } from '../../../../server/engine/ads/params';
import { planAds } from '../../../../server/engine/ads/serve';
import { mulberry32 } from '../../../../server/engine/models/rng';
import { ocpcBidFen } from '../../../../server/engine/payments/ocpc';
import { bidderFor, PRIOR_PCVR } from '../../../../server/serving/ad-ocpc';
import { decodeServing, encodeServing } from '../../../../server/learning/ocpc-state';
import { DelayedFeedbackModel } from '../../../../server/engine/payments/pcvr';
import { PCVR_DIM } from '../../../../server/engine/payments/pcvr-features';
import { broadCampaign } from '../../../helpers/ad-auction';

const NOW = Date.UTC(2026, 11, 1, 4);
const broad = (id: string, over: Partial<Campaign>): Campaign => broadCampaign(id, NOW, over);
// Target ¥50 an order, at most ¥3 a click.
const ocpc = broad('ocpc', { bidFen: 300, bidding: { mode: 'ocpc', targetCpaFen: 5000 } });
const cpcA = broad('cpc-a', { bidFen: 80 });
const cpcB = broad('cpc-b', { bidFen: 30 });

/** Every ad mature (no exploration), unpaced, CTR 0.02; the oCPC bid from this pCVR and factor. */
function plan(campaigns: Campaign[], slots: number[], pCvr: number, factor = 1) {
  return planAds(
    {
      campaigns,
      audience: { personalised: true, interests: [], scene: 1001, context: [] },
      now: NOW,
      positions: slots,
      state: () => ({
        spentTodayFen: 0,
        spentTotalFen: 0,
        seenToday: 0,
        hidden: false,
        impressions: 5000,
        clicks: 100,
      }),
      ctr: () => 0.02,
      bid: (c) =>
        c.bidding?.mode === 'ocpc'
          ? ocpcBidFen(c.bidding.targetCpaFen, pCvr, factor, c.bidFen)
          : c.bidFen,
    },
    DEFAULT_AD_PARAMS,
    mulberry32(1),
  ).ads.map((a) => [a.campaign.id, a.priceFen]);
}

describe('oCPC bids in the GSP auction', () => {
  it('wins with target × pCVR above the rival and pays the second price', () => {
    // bid 5000 × 0.02 = 100 fen: eCPM 2000 beats cpc-a's 80 × 0.02 × 1000 = 1600;
    // price = floor(1600 / (1000 × 0.02)) + 1 = 81 fen ≤ 100.
    expect(plan([ocpc, cpcA, cpcB], [3], 0.02)).toEqual([['ocpc', 81]]);
    // Two slots: cpc-a second pays floor(600 / 20) + 1 = 31 against cpc-b.
    expect(plan([ocpc, cpcA, cpcB], [3, 10], 0.02)).toEqual([
      ['ocpc', 81],
      ['cpc-a', 31],
    ]);
  });

  it('loses when its pCVR is low, and then sets the winner’s price', () => {
    // bid 5000 × 0.01 = 50 fen, eCPM 1000 < 1600: cpc-a wins at floor(1000 / 20) + 1 = 51.
    expect(plan([ocpc, cpcA, cpcB], [3], 0.01)).toEqual([['cpc-a', 51]]);
    expect(plan([ocpc, cpcA, cpcB], [3, 10], 0.01)).toEqual([
      ['cpc-a', 51],
      ['ocpc', 31],
    ]);
  });

  it('moves with the controller factor', () => {
    // 0.01 × 5000 × 1.8 = 90 fen: eCPM 1800 > 1600, wins again at 81.
    expect(plan([ocpc, cpcA, cpcB], [3], 0.01, 1.8)).toEqual([['ocpc', 81]]);
  });

  it('never bids past its cap per click, never charges past its bid, never below reserve', () => {
    expect(ocpcBidFen(5000, 0.2, 3, 300)).toBe(300);
    // Alone in the auction it pays the reserve.
    expect(plan([ocpc], [3], 0.2, 3)).toEqual([['ocpc', DEFAULT_AD_PARAMS.reserveFen]]);
    // Rival bids above any oCPC bid: the capped oCPC campaign loses, and pays nothing.
    const rich = broad('rich', { bidFen: 400 });
    expect(plan([ocpc, rich], [3], 0.9, 3)).toEqual([['rich', 301]]);
    // 5000 × 0.0005 = 2.5 → 2 fen, under the reserve of 5: not in the auction at all.
    expect(plan([ocpc, cpcB], [3], 0.0005)).toEqual([['cpc-b', DEFAULT_AD_PARAMS.reserveFen]]);
    for (let pc = 0.001; pc < 0.2; pc *= 1.7)
      for (const [id, price] of plan([ocpc, cpcA, cpcB], [3, 10], pc)) {
        const bid = id === 'ocpc' ? ocpcBidFen(5000, pc, 1, 300) : id === 'cpc-a' ? 80 : 30;
        expect(price).toBeLessThanOrEqual(bid as number);
        expect(price).toBeGreaterThanOrEqual(DEFAULT_AD_PARAMS.reserveFen);
      }
  });

  it('serving: CPC campaigns bid their bidFen; oCPC uses the prior pCVR before any model, and the factor', () => {
    const bid = bidderFor(null, 0);
    expect(bid(cpcA, 3)).toBe(80);
    expect(bid(ocpc, 3)).toBe(Math.floor(5000 * PRIOR_PCVR));
    const withFactor = bidderFor(
      { v: 1, at: NOW, source: 'prior', model: null, multipliers: { ocpc: 0.5 } },
      0,
    );
    expect(withFactor(ocpc, 3)).toBe(Math.floor(5000 * PRIOR_PCVR * 0.5));
  });

  it('serving blob: read back as written; a corrupted one is no blob (the prior bids)', () => {
    const w = new Float64Array(PCVR_DIM + 1);
    w[0] = Math.log(0.04 / 0.96);
    const model = new DelayedFeedbackModel(w, new Float64Array(PCVR_DIM + 1), 86_400_000);
    const blob = encodeServing({ v: 1, at: NOW, source: 'model', model, multipliers: { ocpc: 2 } });
    const back = decodeServing(blob)!;
    expect(back.source).toBe('model');
    // pCVR 0.04 × 5000 × 2 = 400, capped at 300.
    expect(bidderFor(back, 0)(ocpc, 3)).toBe(300);
    expect(bidderFor({ ...back, multipliers: { ocpc: 1 } }, 0)(ocpc, 3)).toBe(200);
    const enc = new TextEncoder();
    for (const bad of [
      'not json',
      '{"v":2,"at":1}',
      '{"v":1,"at":1,"source":"model","model":{"w":[1],"v":[1,2]},"multipliers":{}}',
    ])
      expect(decodeServing(enc.encode(bad))).toBeNull();
    // A factor that is not a positive number is ignored (1).
    const odd = decodeServing(
      enc.encode('{"v":1,"at":1,"source":"prior","model":null,"multipliers":{"ocpc":-3}}'),
    )!;
    expect(bidderFor(odd, 0)(ocpc, 3)).toBe(Math.floor(5000 * PRIOR_PCVR));
  });
});
