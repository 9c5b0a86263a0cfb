/**
 * The payment-adjusted risk tolerance rule: a stable heavy payer keeps the stated level, a new or
 * erratic payer is capped lower, a user without payments is not capped, and the level suitability
 * acts on is never above what the user stated.
 */
import { paymentFeatures } from '../../../../server/engine/payments/features';
import type { PaidOrder } from '../../../../server/engine/payments/records';
import { suggestTolerance } from '../../../../server/engine/payments/tolerance';
import { effectiveTolerance, type RiskLevel } from '../../../../server/engine/suitability';

const NOW = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;
const order = (daysAgo: number, fen: number, refundedFen = 0): PaidOrder => ({
  user: 'u',
  amountFen: fen,
  paidAt: NOW - daysAgo * DAY,
  method: 'unknown',
  refundedFen,
});
const suggest = (orders: PaidOrder[]) => suggestTolerance(paymentFeatures(orders, NOW));

describe('payment-adjusted risk tolerance', () => {
  const heavy = Array.from({ length: 12 }, (_, i) => order(3 + i * 12, 50_000 + (i % 3) * 5_000));
  const fresh = [order(2, 20_000), order(9, 21_000)];
  const erratic = [
    ...Array.from({ length: 6 }, (_, i) => order(5 + i * 20, 1_000)),
    order(8, 200_000),
  ];
  const refunder = [order(10, 30_000, 30_000), order(40, 30_000), order(70, 30_000, 30_000)];

  it('leaves a stable heavy payer at the stated level', () => {
    expect(suggest(heavy)).toEqual({ level: 5, reason: null });
    for (const stated of [1, 2, 3, 4, 5] as RiskLevel[])
      expect(effectiveTolerance(stated, suggest(heavy).level)).toBe(stated);
  });

  it('caps a new payer at C3 and an erratic one at C2', () => {
    expect(suggest(fresh)).toEqual({ level: 3, reason: 'newPayer' });
    expect(suggest(erratic)).toEqual({ level: 2, reason: 'erratic' });
    expect(suggest(refunder)).toEqual({ level: 2, reason: 'erratic' });
    expect(effectiveTolerance(5, suggest(fresh).level)).toBe(3);
    expect(effectiveTolerance(4, suggest(erratic).level)).toBe(2);
  });

  it('never raises the stated level, and does not cap a user without payments', () => {
    expect(suggest([])).toEqual({ level: null, reason: null });
    expect(effectiveTolerance(4, suggest([]).level)).toBe(4);
    for (const orders of [heavy, fresh, erratic, refunder])
      for (const stated of [1, 2, 3, 4, 5] as RiskLevel[])
        expect(effectiveTolerance(stated, suggest(orders).level)).toBeLessThanOrEqual(stated);
    expect(effectiveTolerance(null, 5)).toBeNull();
  });
});
