/**
 * Payment-adjusted risk tolerance (金融理财, issues 17 and 19): what a user's payment behaviour
 * suggests about their capacity to bear loss, as a cap on the level they stated in the
 * questionnaire. The suitability rule uses min(stated, suggested) (suitability.ts
 * effectiveTolerance), so the suggestion only ever withholds products, never offers more than the
 * user asked for. It reads the same 180-day payment features as the RFM segment.
 *
 * The rule (fixed, one for everyone; a platform rule in the spirit of suitability's "know your
 * customer", not financial advice):
 * - no paid order in the window: no suggestion (nothing is known; the stated level holds);
 * - a new payer — fewer than 3 paid orders, or a first payment less than 30 days ago — is
 *   capped at C3 (平衡型): too little history to confirm a higher capacity;
 * - erratic payments — order amounts whose coefficient of variation exceeds 1 (the spread is
 *   larger than the typical amount), or more than 30 % of the paid amount refunded — cap at C2
 *   (稳健型), whatever the history's length;
 * - a regular, stable payer keeps the stated level.
 */
import type { RiskLevel } from '../suitability';
import type { PaymentFeatures } from './features';

/** Fewer paid orders than this in the window: a new payer. */
export const NEW_PAYER_ORDERS = 3;
/** A first payment more recent than this (days): a new payer. */
export const NEW_PAYER_DAYS = 30;
/** Amount spread over mean amount above this: erratic. */
export const ERRATIC_CV = 1;
/** Refunded share of the paid amount above this: erratic. */
export const ERRATIC_REFUND_SHARE = 0.3;

export const NEW_PAYER_CAP: RiskLevel = 3;
export const ERRATIC_CAP: RiskLevel = 2;

export type ToleranceReason = 'newPayer' | 'erratic';

/** What 我的 shows as the reason of a lowered level. */
export const TOLERANCE_REASON_LABELS: Record<ToleranceReason, string> = {
  newPayer: '付款记录较少',
  erratic: '付款金额波动较大或退款较多',
};

export interface ToleranceSuggestion {
  /** The highest level payment behaviour supports; null: no evidence, no cap. */
  level: RiskLevel | null;
  reason: ToleranceReason | null;
}

export function suggestTolerance(f: PaymentFeatures): ToleranceSuggestion {
  if (f.frequency === 0) return { level: null, reason: null };
  // Coefficient of variation of amounts: the mean is of kept amounts, so a full refund leaves it 0.
  const cv = f.meanFen > 0 ? f.amountSpreadFen / f.meanFen : Infinity;
  if (cv > ERRATIC_CV || f.refundShare > ERRATIC_REFUND_SHARE)
    return { level: ERRATIC_CAP, reason: 'erratic' };
  if (f.frequency < NEW_PAYER_ORDERS || (f.tenureDays ?? 0) < NEW_PAYER_DAYS)
    return { level: NEW_PAYER_CAP, reason: 'newPayer' };
  return { level: 5, reason: null };
}
