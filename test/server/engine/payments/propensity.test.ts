/** The purchase-propensity model on a simulated population whose buying habits persist. */
import { auc } from '../../../../server/engine/metrics/auc';
import { mulberry32 } from '../../../../server/engine/models/rng';
import {
  likelyBuyers,
  propensityExamples,
  scorePropensity,
  trainPurchasePropensity,
} from '../../../../server/engine/payments/propensity';
import { PropensityModel } from '../../../../server/engine/payments/propensity-model';
import { DAY_MS } from '../../../../server/engine/payments/records';
import type { PaidOrder } from '../../../../server/engine/payments/records';

const START = Date.UTC(2026, 0, 1);

/** Each user buys at their own Poisson rate (most rarely, a few often) over `days` days. */
function population(
  users: number,
  days: number,
  seed: number,
): { users: string[]; orders: PaidOrder[] } {
  const rng = mulberry32(seed);
  const orders: PaidOrder[] = [];
  const ids: string[] = [];
  for (let u = 0; u < users; u++) {
    const id = `u${u}`;
    ids.push(id);
    const perDay = rng() < 0.7 ? 0.002 + rng() * 0.01 : 0.03 + rng() * 0.15;
    for (let d = 0; d < days; d++)
      if (rng() < perDay)
        orders.push({
          user: id,
          amountFen: Math.round(500 + rng() * 20000),
          paidAt: START + d * DAY_MS + Math.floor(rng() * DAY_MS),
          method: rng() < 0.8 ? 'wechat_balance' : 'bank_card',
          refundedFen: 0,
        });
  }
  return { users: ids, orders };
}

describe('purchase propensity', () => {
  it('labels a user by any payment within the horizon after the cutoff', () => {
    const o = (user: string, day: number): PaidOrder => ({
      user,
      amountFen: 100,
      paidAt: START + day * DAY_MS,
      method: 'unknown',
      refundedFen: 0,
    });
    const ex = propensityExamples(
      ['a', 'b', 'c'],
      [o('a', 1), o('a', 12), o('b', 1), o('b', 40), o('c', 15)],
      START + 10 * DAY_MS,
      7,
    );
    expect(Array.from(ex.labels)).toEqual([1, 0, 1]);
    // c bought only after the cutoff: no features from the future.
    expect(ex.design.x.values[2 * ex.design.x.cols + 1]).toBe(0);
  });

  it('does not label a user by a payment refunded in full; a partial refund is still a purchase', () => {
    const o = (user: string, refundedFen: number): PaidOrder => ({
      user,
      amountFen: 100,
      paidAt: START + 12 * DAY_MS,
      method: 'unknown',
      refundedFen,
    });
    const ex = propensityExamples(
      ['all', 'part', 'none'],
      [o('all', 100), o('part', 40), o('none', 0)],
      START + 10 * DAY_MS,
      7,
    );
    expect(Array.from(ex.labels)).toEqual([0, 1, 1]);
  });

  it('ranks next-month buyers of unseen users well above chance', () => {
    const pop = population(1500, 150, 3);
    const now = START + 120 * DAY_MS;
    const trained = trainPurchasePropensity(pop.users, pop.orders, now, 30, 1);
    expect(trained).not.toBeNull();
    const t = trained as NonNullable<typeof trained>;
    // Scored as of `now`, judged by the 30 days after it (never seen in training).
    const scores = scorePropensity(t, pop.users, pop.orders, now);
    const future = propensityExamples(pop.users, pop.orders, now, 30);
    const p = pop.users.map((u) => scores.get(u) as number);
    expect(auc(future.labels, p)).toBeGreaterThan(0.75);
    const likely = new Set(likelyBuyers(scores, t.baseRate));
    const rate = (pick: (u: string) => boolean) => {
      const us = pop.users.map((u, i) => [u, future.labels[i]] as const).filter(([u]) => pick(u));
      return us.reduce((s, [, y]) => s + y, 0) / us.length;
    };
    expect(likely.size).toBeGreaterThan(0);
    expect(rate((u) => likely.has(u))).toBeGreaterThan(2 * rate((u) => !likely.has(u)));
    // Serialisable for the model registry, with the same scores.
    const back = PropensityModel.fromJSON(JSON.parse(JSON.stringify(t.model.toJSON())));
    const again = scorePropensity({ model: back }, pop.users.slice(0, 50), pop.orders, now);
    for (const [u, v] of again) expect(v).toBeCloseTo(scores.get(u) as number, 12);
  });

  it('declines to train when the labels hold one class', () => {
    expect(trainPurchasePropensity(['a', 'b'], [], START + 60 * DAY_MS, 30)).toBeNull();
  });
});
