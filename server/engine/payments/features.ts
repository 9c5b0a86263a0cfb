/**
 * Per-user payment features as of a moment — recency, frequency, monetary value (Hughes 1994's
 * RFM), amount spread, preferred method and time of day — and the RFM segment built from
 * population quintiles. Pure functions of the user's paid orders.
 */
import { DAY_MS, HOUR_MS, PAY_METHODS } from './records';
import type { PaidOrder, PayMethod } from './records';

/** Parts of the day by local hour (UTC+8, Beijing time, where WeChat's users are). */
export type DayPart = 'night' | 'morning' | 'afternoon' | 'evening';
export const DAY_PARTS: readonly DayPart[] = ['night', 'morning', 'afternoon', 'evening'];
/** Offset of China Standard Time: the hour of day is read there. */
export const CST_OFFSET_MS = 8 * HOUR_MS;

export interface PaymentFeatures {
  /** Paid orders before the moment (refunded in full included: the attempt to buy is the signal). */
  frequency: number;
  /** Days since the last payment; null without any. */
  recencyDays: number | null;
  /** Days since the first payment (the customer's age); null without any. */
  tenureDays: number | null;
  /** Paid less refunded, in fen, over all orders. */
  monetaryFen: number;
  /** Mean kept amount per order, in fen (0 without orders). */
  meanFen: number;
  /** Standard deviation of order amounts, in fen (0 with fewer than two). */
  amountSpreadFen: number;
  /** Share of paid amount refunded (0..1). */
  refundShare: number;
  /** Orders in the last 30 days. */
  orders30d: number;
  /** The method used most often (ties: the later-listed method in PAY_METHODS loses); null without orders. */
  preferredMethod: PayMethod | null;
  /** The part of day (Beijing time) with most payments; null without orders. */
  preferredDayPart: DayPart | null;
  /** Share of payments in each part of day, in DAY_PARTS order. */
  dayPartShares: [number, number, number, number];
}

export function dayPartOf(ms: number): DayPart {
  const h = Math.floor(((((ms + CST_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
  return h < 6 ? 'night' : h < 12 ? 'morning' : h < 18 ? 'afternoon' : 'evening';
}

/** The features of one user's orders as of `now`; orders paid at or after `now` are not seen. */
export function paymentFeatures(orders: readonly PaidOrder[], now: number): PaymentFeatures {
  const seen = orders.filter((o) => o.paidAt < now && o.amountFen > 0);
  const n = seen.length;
  if (!n)
    return {
      frequency: 0,
      recencyDays: null,
      tenureDays: null,
      monetaryFen: 0,
      meanFen: 0,
      amountSpreadFen: 0,
      refundShare: 0,
      orders30d: 0,
      preferredMethod: null,
      preferredDayPart: null,
      dayPartShares: [0, 0, 0, 0],
    };
  let last = -Infinity;
  let first = Infinity;
  let paid = 0;
  let refunded = 0;
  let sum = 0;
  let sumSq = 0;
  let recent = 0;
  const methods = new Map<PayMethod, number>();
  const parts = [0, 0, 0, 0];
  for (const o of seen) {
    last = Math.max(last, o.paidAt);
    first = Math.min(first, o.paidAt);
    const refund = Math.min(Math.max(o.refundedFen, 0), o.amountFen);
    paid += o.amountFen;
    refunded += refund;
    sum += o.amountFen;
    sumSq += o.amountFen * o.amountFen;
    if (now - o.paidAt <= 30 * DAY_MS) recent++;
    methods.set(o.method, (methods.get(o.method) ?? 0) + 1);
    parts[DAY_PARTS.indexOf(dayPartOf(o.paidAt))]++;
  }
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  const preferredMethod = argmaxBy(PAY_METHODS, (m) => methods.get(m) ?? 0);
  const preferredDayPart = argmaxBy(DAY_PARTS, (_, k) => parts[k]);
  return {
    frequency: n,
    recencyDays: (now - last) / DAY_MS,
    tenureDays: (now - first) / DAY_MS,
    monetaryFen: paid - refunded,
    meanFen: (paid - refunded) / n,
    amountSpreadFen: Math.sqrt(variance),
    refundShare: paid > 0 ? refunded / paid : 0,
    orders30d: recent,
    preferredMethod,
    preferredDayPart,
    dayPartShares: parts.map((c) => c / n) as [number, number, number, number],
  };
}

function argmaxBy<T>(xs: readonly T[], score: (x: T, k: number) => number): T {
  let best = xs[0];
  let s = score(best, 0);
  xs.forEach((x, k) => {
    const v = score(x, k);
    if (v > s) {
      best = x;
      s = v;
    }
  });
  return best;
}

/** Groups orders by user. */
export function ordersByUser(orders: readonly PaidOrder[]): Map<string, PaidOrder[]> {
  const out = new Map<string, PaidOrder[]>();
  for (const o of orders) {
    const list = out.get(o.user);
    if (list) list.push(o);
    else out.set(o.user, [o]);
  }
  return out;
}

/**
 * The numeric vector the propensity model reads, in PAYMENT_FEATURE_NAMES order. A user without
 * orders has missing (NaN) recency and tenure; the trees send missing values left, the linear
 * model reads them as the training mean.
 */
export const PAYMENT_FEATURE_NAMES = [
  'recencyDays',
  'frequency',
  'tenureDays',
  'monetaryFen',
  'meanFen',
  'amountSpreadFen',
  'refundShare',
  'orders30d',
  'method',
  'dayPart',
] as const;
/** Columns the models treat as categorical codes. */
export const PAYMENT_FEATURE_CATEGORICAL = PAYMENT_FEATURE_NAMES.map(
  (n) => n === 'method' || n === 'dayPart',
);

export function paymentVector(f: PaymentFeatures): number[] {
  return [
    f.recencyDays ?? NaN,
    f.frequency,
    f.tenureDays ?? NaN,
    f.monetaryFen,
    f.meanFen,
    f.amountSpreadFen,
    f.refundShare,
    f.orders30d,
    f.preferredMethod === null ? NaN : PAY_METHODS.indexOf(f.preferredMethod),
    f.preferredDayPart === null ? NaN : DAY_PARTS.indexOf(f.preferredDayPart),
  ];
}

/**
 * RFM segments. Scheme: among the users with at least one payment (the population), recency,
 * frequency and monetary value are each scored 1–5 by quintile of the user's mid-rank percentile
 * in the population — score = 1 + ⌊5·(below + ½·equal) / n⌋, capped at 5, where `below` counts
 * worse values (more days for recency, fewer orders or less spend otherwise) — so tied users
 * (most buyers have one order) share one score that reflects where the tie sits. The segment
 * reads R and the mean of F and M (FM), after the common RFM grid:
 *   champion   R ≥ 4 and FM ≥ 4        loyal       R ≥ 3 and FM ≥ 3
 *   new        R ≥ 4 and F = 1 order   promising   R ≥ 4 (others)
 *   at_risk    R ≤ 2 and FM ≥ 3        hibernating R ≤ 2 (others)
 *   needs_attention  the rest (R = 3, FM < 3)
 * A user with no payment is `none`.
 */
export type RfmSegment =
  | 'champion'
  | 'loyal'
  | 'new'
  | 'promising'
  | 'at_risk'
  | 'hibernating'
  | 'needs_attention'
  | 'none';

export const RFM_SEGMENT_LABELS: Record<RfmSegment, string> = {
  champion: '高价值常客',
  loyal: '忠实客户',
  new: '新客户',
  promising: '潜力客户',
  at_risk: '流失风险',
  hibernating: '沉睡客户',
  needs_attention: '需要关注',
  none: '尚未购买',
};

/** The population's values, sorted ascending, that scores are relative to. */
export interface RfmPopulation {
  recencyDays: Float64Array;
  frequency: Float64Array;
  monetaryFen: Float64Array;
}

export function rfmPopulation(features: readonly PaymentFeatures[]): RfmPopulation {
  const buyers = features.filter((f) => f.frequency > 0 && f.recencyDays !== null);
  const sorted = (vals: number[]) => Float64Array.from(vals).sort();
  return {
    recencyDays: sorted(buyers.map((f) => f.recencyDays as number)),
    frequency: sorted(buyers.map((f) => f.frequency)),
    monetaryFen: sorted(buyers.map((f) => f.monetaryFen)),
  };
}

/** Index of the first value ≥ v (strict: > v) in an ascending array. */
function bound(a: Float64Array, v: number, strict: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? a[mid] <= v : a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Quintile score 1–5 of v's mid-rank percentile; `higherIsBetter` false for recency. */
export function quintileScore(pop: Float64Array, v: number, higherIsBetter: boolean): number {
  const n = pop.length;
  if (!n) return 3;
  const lt = bound(pop, v, false);
  const le = bound(pop, v, true);
  const below = higherIsBetter ? lt : n - le;
  const pct = (below + 0.5 * (le - lt)) / n;
  return Math.min(5, 1 + Math.floor(5 * pct));
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
}

export function rfmScore(f: PaymentFeatures, pop: RfmPopulation): RfmScore {
  if (f.frequency === 0 || f.recencyDays === null) return { r: 0, f: 0, m: 0, segment: 'none' };
  const r = quintileScore(pop.recencyDays, f.recencyDays, false);
  const fs = quintileScore(pop.frequency, f.frequency, true);
  const m = quintileScore(pop.monetaryFen, f.monetaryFen, true);
  return { r, f: fs, m, segment: segmentOf(r, fs, m, f.frequency) };
}

function segmentOf(r: number, f: number, m: number, count: number): RfmSegment {
  const fm = (f + m) / 2;
  if (r >= 4 && fm >= 4) return 'champion';
  if (r >= 3 && fm >= 3) return 'loyal';
  if (r >= 4 && count === 1) return 'new';
  if (r >= 4) return 'promising';
  if (r <= 2 && fm >= 3) return 'at_risk';
  if (r <= 2) return 'hibernating';
  return 'needs_attention';
}
