/**
 * Payment risk (支付安全): a score per order attempt from four signals — velocity of attempts,
 * amount against the user's own history, a device never seen in their paid orders, and repeated
 * failures — combined by noisy-OR (each signal an independent chance that the order is bad), so
 * one strong signal suffices and weak ones add up. Rules, not a learned model: there are no
 * labelled fraud cases to learn from; every threshold is a parameter with its reason below.
 */
import { DAY_MS } from './records';
import type { AttemptOutcome, PaidOrder, PaymentAttempt } from './records';

export interface RiskParams {
  /** A score at or above this holds the order for the merchant's review. */
  holdAt: number;
  /** Card testing shows as bursts: attempts counted over this window … */
  velocityWindowMs: number;
  /** … are free up to this many (a retry or two is normal) and fully suspicious at `velocityFull`. */
  velocityFree: number;
  velocityFull: number;
  /** Failed attempts counted over this window … */
  failureWindowMs: number;
  failuresFree: number;
  failuresFull: number;
  /**
   * An amount is compared with the 90th percentile of the user's paid amounts, but never with
   * less than this (fen): small habits must not make an ordinary purchase look like a spike.
   */
  minReferenceFen: number;
  /** Amount / reference: suspicious above `spikeFrom`, fully at `spikeFull`. */
  spikeFrom: number;
  spikeFull: number;
  /** A new device alone (a new phone) is weak evidence; with a spike it is strong. */
  newDeviceAlone: number;
  newDeviceWithSpike: number;
}

export const RISK_DEFAULTS: RiskParams = {
  holdAt: 0.6,
  velocityWindowMs: 10 * 60_000,
  velocityFree: 2,
  velocityFull: 6,
  failureWindowMs: DAY_MS,
  failuresFree: 1,
  failuresFull: 4,
  minReferenceFen: 20_000,
  spikeFrom: 2,
  spikeFull: 8,
  newDeviceAlone: 0.2,
  newDeviceWithSpike: 0.8,
};

export type RiskCode = 'velocity' | 'repeated_failures' | 'amount_spike' | 'new_device';

/** What the merchant's review screen shows, per reason. */
export const RISK_MESSAGES: Record<RiskCode, string> = {
  velocity: '短时间内多次下单',
  repeated_failures: '近期多次支付失败',
  amount_spike: '金额远高于该用户以往订单',
  new_device: '在未使用过的设备上付款',
};

export interface RiskReason {
  code: RiskCode;
  message: string;
  /** This signal's own score, 0..1. */
  score: number;
}

export interface RiskVerdict {
  score: number;
  hold: boolean;
  /** Signals that contributed (score ≥ 0.1), strongest first. */
  reasons: RiskReason[];
}

const ramp = (v: number, free: number, full: number): number =>
  v <= free ? 0 : v >= full ? 1 : (v - free) / (full - free);

/** The 90th percentile of the paid amounts (nearest rank), 0 without any. */
function p90(amounts: number[]): number {
  if (!amounts.length) return 0;
  const s = amounts.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)];
}

/**
 * Scores one attempt. `paid` are the user's paid orders before it; `attempts` their earlier
 * attempts (any outcome; those after `attempt.at` are ignored).
 */
export function scorePaymentRisk(
  attempt: PaymentAttempt,
  paid: readonly PaidOrder[],
  attempts: readonly AttemptOutcome[],
  params: Partial<RiskParams> = {},
): RiskVerdict {
  const p = { ...RISK_DEFAULTS, ...params };
  const before = attempts.filter((a) => a.at <= attempt.at);
  const recent = before.filter((a) => attempt.at - a.at <= p.velocityWindowMs).length;
  const failures = before.filter(
    (a) => a.outcome === 'failed' && attempt.at - a.at <= p.failureWindowMs,
  ).length;
  const history = paid.filter((o) => o.paidAt < attempt.at);
  const reference = Math.max(p90(history.map((o) => o.amountFen)), p.minReferenceFen);
  const ratio = attempt.amountFen / reference;
  const spike =
    ratio <= 1 ? 0 : ramp(Math.log2(ratio), Math.log2(p.spikeFrom), Math.log2(p.spikeFull));
  const known = new Set(history.map((o) => o.device).filter((d): d is string => !!d));
  // Only a user with devices on record can show up on a new one.
  const newDevice = !!attempt.device && known.size > 0 && !known.has(attempt.device);
  const deviceScore = newDevice
    ? p.newDeviceAlone +
      (p.newDeviceWithSpike - p.newDeviceAlone) *
        Math.min(1, Math.max(0, Math.log2(Math.max(ratio, 1)) / Math.log2(p.spikeFrom * 2)))
    : 0;
  const signals: [RiskCode, number][] = [
    ['velocity', ramp(recent, p.velocityFree, p.velocityFull)],
    ['repeated_failures', ramp(failures, p.failuresFree, p.failuresFull)],
    ['amount_spike', spike],
    ['new_device', deviceScore],
  ];
  const score = 1 - signals.reduce((q, [, s]) => q * (1 - s), 1);
  const reasons = signals
    .filter(([, s]) => s >= 0.1)
    .sort((a, b) => b[1] - a[1])
    .map(([code, s]) => ({ code, message: RISK_MESSAGES[code], score: s }));
  return { score, hold: score >= p.holdAt, reasons };
}
