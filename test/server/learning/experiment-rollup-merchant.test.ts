/**
 * The experiment rollup counts money for a merchant's experiment (a creative test) only from that
 * merchant's orders, paid and refunded; a platform experiment counts every order.
 */
import type { Experiment } from '../../../typings';
import { ExperimentRollup, PAID } from '../../../server/learning/experiment-rollup';
import type { Order } from '../../../server/ports';

const T = Date.UTC(2026, 11, 1);
const exp = (id: string, merchantId: string | null) =>
  ({ id, merchantId, startedAt: T - 1, stoppedAt: null }) as unknown as Experiment;
const order = (no: string, merchantId: string, totalFen: number, refundFen?: number): Order =>
  ({
    outTradeNo: no,
    openid: 'u1',
    merchantId,
    paidAt: T + 1,
    totalFen,
    ...(refundFen ? { state: 'refunded', refundFen, refundedAt: T + 2 } : { state: 'paid' }),
  }) as Order;

describe("experiment rollup: a merchant's experiment counts its own orders only", () => {
  it('adds paid and refunded amounts of the owning merchant to its test, of every merchant to a platform one', () => {
    const r = new ExperimentRollup([exp('mine', 'm1'), exp('platform', null)]);
    const orders = [order('o1', 'm1', 1_000, 400), order('o2', 'm2', 5_000, 5_000)];
    r.paid(orders);
    r.refunded(orders);
    const paidUnit = (id: string) =>
      r.snapshot().find((u) => u.experimentId === id && u.variant === PAID);
    expect(paidUnit('mine')).toMatchObject({ paidFen: 1_000, refunds: 1, refundedFen: 400 });
    expect(paidUnit('platform')).toMatchObject({ paidFen: 6_000, refunds: 2, refundedFen: 5_400 });
  });
});
