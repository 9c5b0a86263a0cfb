/**
 * The payment records the engine computes on. The orders port (issue 17, the pay branch) maps
 * its stored orders and clicks onto these; nothing here knows how they are stored.
 */

/** How a payment was made; `unknown` when the source does not say (e.g. an imported log). */
export type PayMethod = 'wechat_balance' | 'bank_card' | 'credit_card' | 'unknown';

export const PAY_METHODS: readonly PayMethod[] = [
  'wechat_balance',
  'bank_card',
  'credit_card',
  'unknown',
];

/** One paid order of one user. */
export interface PaidOrder {
  user: string;
  /** Amount paid, in fen (分). */
  amountFen: number;
  /** When it was paid (ms since the epoch). */
  paidAt: number;
  method: PayMethod;
  /** Refunded so far, in fen (0 when none). */
  refundedFen: number;
  /** A device fingerprint the client reported (e.g. a digest of wx.getSystemInfo fields). */
  device?: string;
}

/** One payment attempt being scored for risk (created, not yet paid). */
export interface PaymentAttempt {
  user: string;
  amountFen: number;
  at: number;
  method: PayMethod;
  device?: string;
}

/** One earlier attempt of the same user, whatever its outcome. */
export interface AttemptOutcome {
  at: number;
  amountFen: number;
  /** `failed`: declined or cancelled in 微信支付; `paid`; `open`: created and not settled. */
  outcome: 'paid' | 'failed' | 'open';
  device?: string;
}

/** One ad click, with its conversion (a pay-verified order attributed to it) if one arrived. */
export interface ClickRecord {
  /** Dense features of the click (context, campaign, user) as the pCVR model reads them. */
  x: readonly number[];
  /** When the click happened (ms). */
  clickedAt: number;
  /** When the attributed order was paid (ms), or null while none has arrived. */
  paidAt: number | null;
  /**
   * Its order was refunded in full (WeChat Pay confirmed it): not a conversion, and one whose
   * outcome is known, so a settled negative whatever its age (`paidAt` is then null).
   */
  refunded?: boolean;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
