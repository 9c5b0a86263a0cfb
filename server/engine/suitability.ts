/**
 * Suitability (适当性): a product with a risk level R1–R5 may be recommended or advertised only
 * to a user whose risk tolerance C1–C5 is at least that level. A hard rule, applied before any
 * score: the ranking's exclusion mask drops unsuitable items and the auction's eligibility drops
 * unsuitable campaigns. A user never assessed (no tolerance) is offered no risk-rated product.
 * Products without a risk level are not financial products and are always suitable.
 */

/** R1 (lowest risk) … R5 of a product; C1 … C5 of a user: the same 1–5 scale. */
export type RiskLevel = 1 | 2 | 3 | 4 | 5;

/** Whether a product of `risk` may be shown to a user of `tolerance` (null: not assessed). */
export function suitable(risk: number | undefined, tolerance: number | null | undefined): boolean {
  if (risk === undefined) return true;
  if (tolerance === null || tolerance === undefined) return false;
  return risk <= tolerance;
}

/**
 * The tolerance the system acts on: the stated one (from the questionnaire), lowered by what
 * payment behaviour suggests (e.g. irregular, small or shrinking payments), never raised above
 * what the user stated.
 */
export function effectiveTolerance(
  stated: RiskLevel | null,
  suggestedByPayments: RiskLevel | null,
): RiskLevel | null {
  if (stated === null) return null;
  if (suggestedByPayments === null) return stated;
  return Math.min(stated, suggestedByPayments) as RiskLevel;
}
