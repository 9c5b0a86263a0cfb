/**
 * Each user's payment summary, as `train` would write it into the profile (我的 shows the RFM
 * segment's label; merchant reports group by it with k-anonymity; targeting reads the
 * propensity): features, RFM score against the population of buyers, and the purchase propensity.
 */
import {
  ordersByUser,
  paymentFeatures,
  RFM_SEGMENT_LABELS,
  rfmPopulation,
  rfmScore,
} from './features';
import type { DayPart, PaymentFeatures, RfmPopulation, RfmScore, RfmSegment } from './features';
import { scorePropensity } from './propensity';
import type { TrainedPropensity } from './propensity';
import type { PaidOrder, PayMethod } from './records';
import { suggestTolerance } from './tolerance';
import type { ToleranceSuggestion } from './tolerance';

export interface PaymentSummary {
  frequency: number;
  recencyDays: number | null;
  monetaryFen: number;
  amountSpreadFen: number;
  preferredMethod: PayMethod | null;
  preferredDayPart: DayPart | null;
  rfm: RfmScore;
  /** What 我的 shows (Chinese). */
  segmentLabel: string;
  /** P(pays within the model's horizon); null without a trained model. */
  propensity: number | null;
  /** The risk tolerance payment behaviour supports (a cap on the stated one: tolerance.ts). */
  tolerance: ToleranceSuggestion;
}

export interface PaymentSummaries {
  asOf: number;
  population: RfmPopulation;
  byUser: Map<string, PaymentSummary>;
}

/**
 * Summaries of `users` as of `now` from their paid orders; the RFM population is these users'
 * features (the population the segment is relative to).
 */
export function summarisePayments(
  users: readonly string[],
  orders: readonly PaidOrder[],
  now: number,
  propensity: TrainedPropensity | null = null,
): PaymentSummaries {
  const byUserOrders = ordersByUser(orders);
  const features = new Map<string, PaymentFeatures>(
    users.map((u) => [u, paymentFeatures(byUserOrders.get(u) ?? [], now)]),
  );
  const population = rfmPopulation([...features.values()]);
  const scores = propensity ? scorePropensity(propensity, users, orders, now) : null;
  const byUser = new Map<string, PaymentSummary>();
  for (const [u, f] of features) {
    const rfm = rfmScore(f, population);
    byUser.set(u, {
      frequency: f.frequency,
      recencyDays: f.recencyDays,
      monetaryFen: f.monetaryFen,
      amountSpreadFen: f.amountSpreadFen,
      preferredMethod: f.preferredMethod,
      preferredDayPart: f.preferredDayPart,
      rfm,
      segmentLabel: RFM_SEGMENT_LABELS[rfm.segment],
      propensity: scores?.get(u) ?? null,
      tolerance: suggestTolerance(f),
    });
  }
  return { asOf: now, population, byUser };
}

/** The segment of each user, as a report's breakdown key (users without a summary: null). */
export function segmentKey(s: PaymentSummaries): (openid: string) => RfmSegment | null {
  return (openid) => s.byUser.get(openid)?.rfm.segment ?? null;
}
