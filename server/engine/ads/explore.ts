/**
 * Exploration by Thompson sampling (Thompson 1933; Chapelle & Li 2011, "An Empirical Evaluation
 * of Thompson Sampling"): a new ad's CTR is drawn from its Beta posterior — the model's CTR as
 * the prior mean, worth `strength` pseudo-impressions, updated by its observed clicks and
 * impressions — so uncertain ads sometimes win and their CTR gets measured.
 */

export interface BetaParams {
  alpha: number;
  beta: number;
}

export function posterior(
  priorCtr: number,
  strength: number,
  clicks: number,
  impressions: number,
): BetaParams {
  const c = Math.max(0, clicks);
  const n = Math.max(c, impressions);
  const p = Math.min(1 - 1e-6, Math.max(1e-6, priorCtr));
  return { alpha: p * strength + c, beta: (1 - p) * strength + (n - c) };
}

export const betaMean = (b: BetaParams): number => b.alpha / (b.alpha + b.beta);

/** Standard normal by Box–Muller. */
function normal(rng: () => number): number {
  const u = 1 - rng(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 through the boost Gamma(a+1)·U^(1/a). */
export function sampleGamma(shape: number, rng: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function sampleBeta(b: BetaParams, rng: () => number): number {
  const x = sampleGamma(b.alpha, rng);
  const y = sampleGamma(b.beta, rng);
  return x + y === 0 ? betaMean(b) : x / (x + y);
}
