/**
 * The randomised ad policy of one request: pacing coin flips, Thompson-sampled CTRs for ads
 * still being explored, then the auction, which decides who wins; each winner pays the
 * generalised second price on the posterior-mean eCPMs of every eligible ad (auction.ts,
 * gspPrices), so no draw changes a price. Each served ad's propensity — the probability that
 * this policy puts that ad at that rank, given the request — has no closed form (a Thompson
 * draw over many ads), so it is estimated by `propensityDraws − 1` independent replays of the
 * policy's draws. The served draw is not one of them (counting it would bias the estimate up to
 * (1 + (n − 1)p) / n): hits ÷ replays is unbiased, logged with its sample count, and exactly 1
 * with no samples when nothing random could change the outcome.
 */
import { gspPrices, runAuction, type AuctionWinner, type Bidder } from './auction';
import { betaMean, posterior, sampleBeta, type BetaParams } from './explore';
import type { AdParams } from './params';

export interface PolicyCandidate {
  id: string;
  bidFen: number;
  /** The click model's CTR for this user and context (or the prior when there is no model). */
  modelCtr: number;
  /** Lifetime observed clicks and viewable impressions of the ad. */
  clicks: number;
  impressions: number;
  /** Pacing pass probability (0–1). */
  pass: number;
}

export interface PolicyWinner extends AuctionWinner {
  /** Whether the CTR the auction used was a Thompson sample. */
  explored: boolean;
  /** Probability of this ad at this rank: exact (1) when nothing was random, else an unbiased estimate. */
  propensity: number;
  /** Replays the estimate counts (absent when exact). */
  propensitySamples?: number;
}

type Rules = Pick<
  AdParams,
  'reserveFen' | 'minCtr' | 'priorStrength' | 'exploreBelowImpressions' | 'propensityDraws'
>;

/** A candidate with what every replay needs computed once: its posterior while explored. */
interface Prepared {
  c: PolicyCandidate;
  post: BetaParams | null;
  quality: number;
}

function prepare(cands: readonly PolicyCandidate[], rules: Rules): Prepared[] {
  return cands.map((c) => {
    if (c.impressions >= rules.exploreBelowImpressions)
      return { c, post: null, quality: c.modelCtr };
    const post = posterior(c.modelCtr, rules.priorStrength, c.clicks, c.impressions);
    return { c, post, quality: betaMean(post) };
  });
}

/** Bidder objects reused by the replays of one request (the auction keeps none of them). */
interface Scratch {
  pool: Bidder[];
  live: Bidder[];
  /**
   * Bidders that are the same in every run (never throttled, not explored), only the best
   * slots + 1 of them: the auction keeps no more, so the others can never matter.
   */
  fixed: Bidder[];
}

/** Whether a candidate's bid is the same in every run (no pacing coin, no Thompson draw). */
const isFixed = (p: Prepared): boolean => !(p.c.pass < 1) && p.post === null;

function scratchFor(cands: readonly Prepared[], slots: number, rules: Rules): Scratch {
  const fixed: Bidder[] = cands
    .filter(isFixed)
    .map(({ c, quality }) => ({ id: c.id, bidFen: c.bidFen, ctr: c.modelCtr, quality }));
  const byId = new Map(fixed.map((b) => [b.id, b]));
  // runAuction ranks them: its first slots + 1 winners are the best slots + 1 eligible bidders.
  const best = runAuction(fixed, slots + 1, rules).map((w) => byId.get(w.id)!);
  return { pool: [], live: [], fixed: best };
}

/**
 * One run of the randomised policy: pacing coins and Thompson draws for the candidates that
 * have them, in candidate order (the fixed ones draw nothing, so the random stream is the one
 * a run over every candidate consumes), then the auction with the best fixed bidders.
 */
function draw(
  cands: readonly Prepared[],
  slots: number,
  rules: Rules,
  rng: () => number,
  scratch: Scratch,
): AuctionWinner[] {
  const { pool, live, fixed } = scratch;
  live.length = 0;
  for (const b of fixed) live.push(b);
  for (const p of cands) {
    if (isFixed(p)) continue;
    const { c, post, quality } = p;
    if (c.pass < 1 && rng() >= c.pass) continue;
    const n = live.length;
    const b = pool[n] ?? (pool[n] = { id: '', bidFen: 0, ctr: 0, quality: 0 });
    b.id = c.id;
    b.bidFen = c.bidFen;
    b.ctr = post ? sampleBeta(post, rng) : c.modelCtr;
    b.quality = quality;
    live.push(b);
  }
  return runAuction(live, slots, rules);
}

export function selectAds(
  cands: readonly PolicyCandidate[],
  slots: number,
  rules: Rules,
  rng: () => number,
): PolicyWinner[] {
  if (slots <= 0 || cands.length === 0) return [];
  const prepared = prepare(cands, rules);
  const scratch = scratchFor(prepared, slots, rules);
  const served = draw(prepared, slots, rules, rng, scratch);
  const random = cands.some((c) => c.pass < 1 || c.impressions < rules.exploreBelowImpressions);
  const replays = Math.max(1, rules.propensityDraws - 1);
  const hits = served.map(() => 0);
  if (random) {
    for (let k = 0; k < replays; k++) {
      const replay = draw(prepared, slots, rules, rng, scratch);
      served.forEach((w, i) => {
        if (replay[w.rank]?.id === w.id) hits[i] += 1;
      });
    }
  }
  const explored = new Set(
    cands.filter((c) => c.impressions < rules.exploreBelowImpressions).map((c) => c.id),
  );
  const prices = gspPrices(
    served.map((w) => w.id),
    prepared.map(({ c, quality }) => ({ id: c.id, bidFen: c.bidFen, ctr: quality, quality })),
    rules,
  );
  return served.map((w, i) => ({
    ...w,
    priceFen: prices[i],
    explored: explored.has(w.id),
    ...(random ? { propensity: hits[i] / replays, propensitySamples: replays } : { propensity: 1 }),
  }));
}
