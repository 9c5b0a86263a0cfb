/** Exponential time decay by half-life: a value observed `dt` ago counts 2^(−dt / halfLife). */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Factor that carries a value from time `from` to time `to` (≤ 1 when to ≥ from; 1 for no move). */
export function decayFactor(from: number, to: number, halfLifeMs: number): number {
  const dt = to - from;
  if (!(dt > 0) || !(halfLifeMs > 0)) return 1;
  return Math.pow(2, -dt / halfLifeMs);
}
