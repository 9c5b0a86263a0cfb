/** Per-user payment features, RFM cuts and segments, pinned on hand-computed orders. */
import {
  dayPartOf,
  paymentFeatures,
  paymentVector,
  quintileScore,
  rfmPopulation,
  rfmScore,
} from '../../../../server/engine/payments/features';
import type { PaymentFeatures } from '../../../../server/engine/payments/features';
import { DAY_MS, HOUR_MS } from '../../../../server/engine/payments/records';
import type { PaidOrder } from '../../../../server/engine/payments/records';
import { segmentKey, summarisePayments } from '../../../../server/engine/payments/summary';

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
  const pop = rfmPopulation([...population, paymentFeatures([], NOW)]);

  it('scores by quintile of the mid-rank percentile among buyers only', () => {
    expect(pop.frequency.length).toBe(10);
    // The k-th of ten distinct values sits at (k − ½)/10: scores 1,1,2,2,3,3,4,4,5,5.
    expect(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => quintileScore(pop.frequency, k, true)),
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScore(pop.recencyDays, 1, false)).toBe(5);
    expect(quintileScore(pop.recencyDays, 10, false)).toBe(1);
    // Beyond the population: the best or worst score.
    expect(quintileScore(pop.monetaryFen, 1e9, true)).toBe(5);
    expect(quintileScore(pop.monetaryFen, 0, true)).toBe(1);
  });

  it('gives tied users one score that reflects where the tie sits', () => {
    // Eight one-order buyers and two regulars: the ones sit at the 40th percentile.
    const ties = rfmPopulation([
      ...Array.from({ length: 8 }, () => buyer(5, 1, 100)),
      buyer(5, 6, 100),
      buyer(5, 9, 100),
    ]);
    expect(quintileScore(ties.frequency, 1, true)).toBe(3);
    expect(quintileScore(ties.frequency, 9, true)).toBe(5);
  });

  it('names the segments from R and the mean of F and M', () => {
    expect(rfmScore(buyer(1, 10, 1000), pop)).toEqual({ r: 5, f: 5, m: 5, segment: 'champion' });
    expect(rfmScore(buyer(2, 1, 100), pop)).toMatchObject({ r: 5, f: 1, m: 1, segment: 'new' });
    expect(rfmScore(buyer(2, 3, 300), pop).segment).toBe('promising');
    expect(rfmScore(buyer(6, 6, 600), pop)).toMatchObject({ r: 3, segment: 'loyal' });
    expect(rfmScore(buyer(10, 9, 900), pop)).toMatchObject({ r: 1, segment: 'at_risk' });
    expect(rfmScore(buyer(10, 1, 100), pop).segment).toBe('hibernating');
    expect(rfmScore(buyer(6, 1, 100), pop).segment).toBe('needs_attention');
    expect(rfmScore(paymentFeatures([], NOW), pop).segment).toBe('none');
  });
});

describe('summarisePayments', () => {
  it('gives each user features, an RFM segment with its label, and no propensity without a model', () => {
    const orders: PaidOrder[] = [
      ...Array.from({ length: 8 }, (_, i) => ({ ...order(i + 1, 20_000), user: 'vip' })),
      { ...order(90, 1000), user: 'old' },
      { ...order(1, 1000), user: 'fresh' },
    ];
    const s = summarisePayments(['vip', 'old', 'fresh', 'never'], orders, NOW);
    expect(s.byUser.get('vip')).toMatchObject({
      frequency: 8,
      segmentLabel: '高价值常客',
      propensity: null,
    });
    expect(s.byUser.get('vip')?.rfm.segment).toBe('champion');
    expect(s.byUser.get('old')?.rfm.segment).toBe('hibernating');
    expect(s.byUser.get('fresh')?.rfm.segment).toBe('new');
    expect(s.byUser.get('never')?.segmentLabel).toBe('尚未购买');
    const key = segmentKey(s);
    expect(key('vip')).toBe('champion');
    expect(key('stranger')).toBeNull();
  });
});
