/**
 * Purchase propensity: will a user pay within N days? Examples are users' payment features as
 * of a cutoff, labelled by any payment in the N days after it (the calibration / holdout design
 * of RFM studies, e.g. Fader, Hardie & Lee 2005); the learner chooses LR or trees on its own
 * validation split (propensity-model.ts). Scores serve targeting ("likely buyers").
 */
import {
  ordersByUser,
  PAYMENT_FEATURE_CATEGORICAL,
  paymentFeatures,
  paymentVector,
} from './features';
import type { Design, PropensityModel } from './propensity-model';
import { trainPropensity } from './propensity-model';
import type { PropensityChoice, PropensityJson } from './propensity-model';
import { DAY_MS } from './records';
import type { PaidOrder } from './records';

export interface PropensityExamples {
  users: string[];
  design: Design;
  labels: Float64Array;
}

/** Users' features as of a moment, in the order given. */
export function propensityDesign(
  users: readonly string[],
  orders: readonly PaidOrder[],
  asOf: number,
): Design {
  const byUser = ordersByUser(orders);
  const rows = users.map((u) => paymentVector(paymentFeatures(byUser.get(u) ?? [], asOf)));
  const cols = PAYMENT_FEATURE_CATEGORICAL.length;
  return {
    x: { rows: rows.length, cols, values: Float64Array.from(rows.flat()) },
    categorical: PAYMENT_FEATURE_CATEGORICAL,
  };
}

/**
 * Whether an order is a purchase for the label: paid, and not refunded in full (a buyer who took
 * all of it back did not buy; a partial refund still leaves a purchase). Features keep every paid
 * order, refunds included (features.ts: the attempt and the refund share are signals).
 */
export const keptPurchase = (o: Pick<PaidOrder, 'amountFen' | 'refundedFen'>): boolean =>
  o.amountFen > 0 && o.refundedFen < o.amountFen;

/**
 * One example per user: features from payments before `cutoff`, label 1 if the user paid in
 * [cutoff, cutoff + horizonDays) an order not since refunded in full (keptPurchase). Users are those given (e.g. everyone active before the cutoff),
 * so users who never paid are examples too.
 */
export function propensityExamples(
  users: readonly string[],
  orders: readonly PaidOrder[],
  cutoff: number,
  horizonDays: number,
): PropensityExamples {
  const end = cutoff + horizonDays * DAY_MS;
  const buyers = new Set(
    orders
      .filter((o) => o.paidAt >= cutoff && o.paidAt < end && keptPurchase(o))
      .map((o) => o.user),
  );
  return {
    users: [...users],
    design: propensityDesign(users, orders, cutoff),
    labels: Float64Array.from(users, (u) => (buyers.has(u) ? 1 : 0)),
  };
}

export interface TrainedPropensity {
  horizonDays: number;
  model: PropensityModel;
  choice: PropensityChoice;
  /** Base rate of the training labels: a "likely buyer" is well above it. */
  baseRate: number;
}

/**
 * Trains on examples as of `now − horizonDays` (whose labels are complete by now); null when the
 * labels hold one class only (nothing to learn yet).
 */
export function trainPurchasePropensity(
  users: readonly string[],
  orders: readonly PaidOrder[],
  now: number,
  horizonDays: number,
  seed = 1,
): TrainedPropensity | null {
  const ex = propensityExamples(users, orders, now - horizonDays * DAY_MS, horizonDays);
  let pos = 0;
  for (const y of ex.labels) pos += y;
  if (pos === 0 || pos === ex.labels.length) return null;
  const { model, choice } = trainPropensity(ex.design, ex.labels, { seed });
  return { horizonDays, model, choice, baseRate: pos / ex.labels.length };
}

/** P(pays within the horizon) for each user, from their payments before `now`. */
export function scorePropensity(
  t: Pick<TrainedPropensity, 'model'>,
  users: readonly string[],
  orders: readonly PaidOrder[],
  now: number,
): Map<string, number> {
  const p = t.model.predict(propensityDesign(users, orders, now));
  return new Map(users.map((u, i) => [u, p[i]]));
}

/** "Likely buyers": users whose propensity is at least `lift` times the base rate. */
export function likelyBuyers(
  scores: ReadonlyMap<string, number>,
  baseRate: number,
  lift = 2,
): string[] {
  return [...scores].filter(([, p]) => p >= lift * baseRate).map(([u]) => u);
}

export function propensityToJson(t: TrainedPropensity): {
  horizonDays: number;
  baseRate: number;
  model: PropensityJson;
} {
  return { horizonDays: t.horizonDays, baseRate: t.baseRate, model: t.model.toJSON() };
}
