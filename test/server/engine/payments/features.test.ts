/** Per-user payment features, RFM cuts and segments, pinned on hand-computed orders. */
import {
  dayPartOf,
  paymentFeatures,
  paymentVector,
  rfmCuts,
  rfmScore,
} from '../../../../server/engine/payments/features';
import type { PaymentFeatures } from '../../../../server/engine/payments/features';
import { DAY_MS, HOUR_MS } from '../../../../server/engine/payments/records';
import type { PaidOrder } from '../../../../server/engine/payments/records';

const NOW = Date.UTC(2026, 11, 1); // 08:00 in Beijing
const order = (daysAgo: number, amountFen: number, extra: Partial<PaidOrder> = {}): PaidOrder => ({
  user: 'u',
  amountFen,
  paidAt: NOW - daysAgo * DAY_MS,
  method: 'wechat_balance',
  refundedFen: 0,
  ...extra,
});

describe('paymentFeatures', () => {
  it('computes recency, frequency, monetary value, spread, refunds, method and time of day', () => {
    const f = paymentFeatures(
      [
        order(40, 1000, { method: 'bank_card' }),
        order(10, 3000, { refundedFen: 1000 }),
        order(2, 2000),
        order(-1, 99999), // after now: unseen
      ],
      NOW,
    );
    expect(f.frequency).toBe(3);
    expect(f.recencyDays).toBe(2);
    expect(f.tenureDays).toBe(40);
    expect(f.monetaryFen).toBe(5000);
    expect(f.meanFen).toBeCloseTo(5000 / 3, 9);
    expect(f.amountSpreadFen).toBeCloseTo(1000, 9);
    expect(f.refundShare).toBeCloseTo(1000 / 6000, 9);
    expect(f.orders30d).toBe(2);
    expect(f.preferredMethod).toBe('wechat_balance');
    // Every order is at 08:00 Beijing time.
    expect(f.preferredDayPart).toBe('morning');
    expect(f.dayPartShares).toEqual([0, 1, 0, 0]);
  });

  it('gives a user without orders empty features and missing recency', () => {
    const f = paymentFeatures([], NOW);
    expect(f.frequency).toBe(0);
    expect(f.recencyDays).toBeNull();
    const v = paymentVector(f);
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v[1]).toBe(0);
  });

  it('reads the hour of day in Beijing time', () => {
    const midnightUtc = Date.UTC(2026, 0, 1);
    expect(dayPartOf(midnightUtc)).toBe('morning'); // 08:00 CST
    expect(dayPartOf(midnightUtc + 12 * HOUR_MS)).toBe('evening'); // 20:00 CST
    expect(dayPartOf(midnightUtc + 18 * HOUR_MS)).toBe('night'); // 02:00 CST
    expect(dayPartOf(midnightUtc + 6 * HOUR_MS)).toBe('afternoon'); // 14:00 CST
  });
});

describe('RFM segments', () => {
  const buyer = (recencyDays: number, frequency: number, monetaryFen: number): PaymentFeatures => ({
    ...paymentFeatures([order(1, 1)], NOW),
    recencyDays,
    frequency,
    monetaryFen,
  });
  // Ten buyers: recency 1..10 days, frequency 10..1, spend 100..1000.
  const population = Array.from({ length: 10 }, (_, i) => buyer(i + 1, 10 - i, (i + 1) * 100));
  const cuts = rfmCuts([...population, paymentFeatures([], NOW)]);

  it('takes the 20/40/60/80 % order statistics of buyers only', () => {
    expect(cuts.recencyDays).toEqual([3, 5, 7, 9]);
    expect(cuts.frequency).toEqual([3, 5, 7, 9]);
    expect(cuts.monetaryFen).toEqual([300, 500, 700, 900]);
  });

  it('scores 5 for the most recent, frequent and valuable and names the segments', () => {
    expect(rfmScore(buyer(1, 10, 1000), cuts)).toEqual({ r: 5, f: 5, m: 5, segment: 'champion' });
    expect(rfmScore(buyer(2, 1, 100), cuts)).toMatchObject({ r: 5, f: 1, m: 1, segment: 'new' });
    expect(rfmScore(buyer(2, 2, 500), cuts).segment).toBe('promising');
    expect(rfmScore(buyer(6, 6, 600), cuts)).toMatchObject({ r: 3, segment: 'loyal' });
    expect(rfmScore(buyer(10, 9, 900), cuts)).toMatchObject({ r: 1, segment: 'at_risk' });
    expect(rfmScore(buyer(10, 1, 100), cuts).segment).toBe('hibernating');
    expect(rfmScore(buyer(6, 1, 100), cuts).segment).toBe('needs_attention');
    expect(rfmScore(paymentFeatures([], NOW), cuts).segment).toBe('none');
  });

  it('gives a value equal to a cut the better score', () => {
    expect(rfmScore(buyer(3, 3, 300), cuts)).toMatchObject({ r: 5, f: 2, m: 2 });
  });
});
