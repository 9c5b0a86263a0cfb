/**
 * Budget pacing by probabilistic throttling: a campaign ahead of an even spend schedule (the
 * share of its daily budget spent exceeds the share of its serving day elapsed) enters fewer
 * auctions, the further ahead the fewer, so a budget lasts the day instead of burning out in the
 * morning. Stateless (a proportional controller on spend vs time): every warm instance computes
 * the same probability from the shared spend counter, with no controller state to keep in sync.
 */

export interface PacingRules {
  /** Share of the daily budget ahead of schedule at which the pass probability reaches the floor. */
  tolerance: number;
  /** Least pass probability while ahead. */
  floor: number;
}

/** Probability (0–1) that the campaign enters this auction. */
export function passProbability(
  spentTodayFen: number,
  dailyBudgetFen: number,
  elapsedShare: number,
  rules: PacingRules,
): number {
  if (dailyBudgetFen <= 0) return 0;
  const ahead = spentTodayFen / dailyBudgetFen - elapsedShare;
  if (ahead <= 0) return 1;
  return Math.max(rules.floor, 1 - ahead / rules.tolerance);
}
