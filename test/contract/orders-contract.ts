/** The Orders contract, written once and run on every adapter (orders.test.ts). */
import type { Order, Orders } from '../../server/ports/orders';

export interface OrdersFixture {
  orders: Orders;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 11, 1, 4);

export function order(over: Partial<Order> = {}): Order {
  const no = over.outTradeNo ?? `o${Math.random().toString(36).slice(2, 12)}`;
  return {
    outTradeNo: no,
    openid: 'buyer_a',
    merchantId: 'm1',
    campaignId: 'c1',
    cartKey: `cart-${no}`,
    title: '试用装',
    quantity: 1,
    unitFen: 990,
    totalFen: 990,
    state: 'created',
    attribution: { campaignId: 'c1', slateId: 's1', position: 3 },
    createdAt: T0,
    expiresAt: T0 + 15 * 60_000,
    updatedAt: T0,
    ...over,
  };
}

export function describeOrdersContract(name: string, open: () => Promise<OrdersFixture>): void {
  describe(`Orders contract: ${name}`, () => {
    let f: OrdersFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('creates an order, reserving stock and the buyer units; get reads it back', async () => {
      const o = order({ quantity: 2, totalFen: 1980 });
      const r = await f.orders.create(o, { stock: 5, perUserLimit: 3 });
      expect(r).toEqual({ kind: 'created', order: o });
      expect(await f.orders.get(o.outTradeNo)).toEqual(o);
      expect(await f.orders.reserved('c1')).toBe(2);
      expect(await f.orders.get('nope')).toBeNull();
    });

    it('answers the open order of the same cart again, and a new one once it is closed or expired', async () => {
      const first = order({ outTradeNo: 'first', cartKey: 'cart-x' });
      await f.orders.create(first, { stock: 5, perUserLimit: 5 });
      const again = await f.orders.create(order({ outTradeNo: 'second', cartKey: 'cart-x' }), {
        stock: 5,
        perUserLimit: 5,
      });
      expect(again).toEqual({ kind: 'existing', order: first });
      expect(await f.orders.get('second')).toBeNull();
      expect(await f.orders.reserved('c1')).toBe(1);
      const late = await f.orders.create(
        order({ outTradeNo: 'third', cartKey: 'cart-x', createdAt: first.expiresAt + 1 }),
        { stock: 5, perUserLimit: 5 },
      );
      expect(late.kind).toBe('created');
      expect(await f.orders.reserved('c1')).toBe(2);
    });

    it('refuses past the stock and past the per-user limit, changing nothing', async () => {
      await f.orders.create(order({ quantity: 2, openid: 'u1' }), { stock: 3, perUserLimit: 2 });
      const soldOut = await f.orders.create(order({ quantity: 2, openid: 'u2' }), {
        stock: 3,
        perUserLimit: 2,
      });
      expect(soldOut).toEqual({ kind: 'sold_out', left: 1 });
      const over = await f.orders.create(order({ quantity: 1, openid: 'u1' }), {
        stock: 3,
        perUserLimit: 2,
      });
      expect(over).toEqual({ kind: 'over_limit', bought: 2 });
      expect(await f.orders.reserved('c1')).toBe(2);
    });

    it('never oversells under concurrent creates', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          f.orders.create(order({ openid: `u${i}` }), { stock: 3, perUserLimit: 1 }),
        ),
      );
      expect(results.filter((r) => r.kind === 'created')).toHaveLength(3);
      expect(results.filter((r) => r.kind === 'sold_out')).toHaveLength(5);
      expect(await f.orders.reserved('c1')).toBe(3);
    });

    it('moves state by compare-and-set: one of two racing transitions lands', async () => {
      const o = order();
      await f.orders.create(o, { stock: 5, perUserLimit: 5 });
      const [a, b] = await Promise.all([
        f.orders.transition(
          o.outTradeNo,
          ['created', 'paying'],
          'paid',
          { paidAt: T0 + 5 },
          T0 + 5,
        ),
        f.orders.transition(
          o.outTradeNo,
          ['created', 'paying'],
          'paid',
          { paidAt: T0 + 6 },
          T0 + 6,
        ),
      ]);
      expect([a, b].filter((x) => x !== null)).toHaveLength(1);
      const paid = await f.orders.get(o.outTradeNo);
      expect(paid?.state).toBe('paid');
      // A late close of a paid order changes nothing, and releases nothing.
      expect(
        await f.orders.transition(o.outTradeNo, ['created', 'paying'], 'closed', {}, T0 + 9),
      ).toBeNull();
      expect(await f.orders.reserved('c1')).toBe(1);
      expect(await f.orders.transition('unknown', ['created'], 'paid', {}, T0)).toBeNull();
    });

    it('closing releases the stock and the buyer units once', async () => {
      const o = order({ quantity: 2 });
      await f.orders.create(o, { stock: 2, perUserLimit: 2 });
      const closed = await f.orders.transition(
        o.outTradeNo,
        ['created', 'paying'],
        'closed',
        {},
        T0 + 1,
      );
      expect(closed?.state).toBe('closed');
      expect(
        await f.orders.transition(o.outTradeNo, ['created', 'paying'], 'closed', {}, T0 + 2),
      ).toBeNull();
      expect(await f.orders.reserved('c1')).toBe(0);
      const next = await f.orders.create(order({ quantity: 2 }), { stock: 2, perUserLimit: 2 });
      expect(next.kind).toBe('created');
    });

    it('lists orders by state and age, and a campaign’s paid orders by paid time', async () => {
      const a = order({ outTradeNo: 'a', updatedAt: T0 });
      const b = order({ outTradeNo: 'b', updatedAt: T0 + 10, openid: 'u2' });
      await f.orders.create(a, { stock: 9, perUserLimit: 9 });
      await f.orders.create(b, { stock: 9, perUserLimit: 9 });
      await f.orders.transition('a', ['created'], 'paying', {}, T0 + 1);
      expect((await f.orders.inState('created', T0 + 100, 10)).map((o) => o.outTradeNo)).toEqual([
        'b',
      ]);
      expect((await f.orders.inState('paying', T0 + 100, 10)).map((o) => o.outTradeNo)).toEqual([
        'a',
      ]);
      expect(await f.orders.inState('paying', T0 + 1, 10)).toEqual([]);
      await f.orders.transition(
        'a',
        ['paying'],
        'paid',
        { paidAt: T0 + 50, transactionId: 't1' },
        T0 + 50,
      );
      await f.orders.transition('b', ['created'], 'paid', { paidAt: T0 + 20 }, T0 + 20);
      expect(
        (await f.orders.paidForCampaign('c1', T0, T0 + 100, 10)).map((o) => o.outTradeNo),
      ).toEqual(['b', 'a']);
      expect(
        (await f.orders.paidForCampaign('c1', T0 + 21, T0 + 100, 10)).map((o) => o.outTradeNo),
      ).toEqual(['a']);
      expect(await f.orders.paidForCampaign('c2', T0, T0 + 100, 10)).toEqual([]);
      expect((await f.orders.get('a'))?.transactionId).toBe('t1');
    });
    it('lists a buyer’s recent orders newest first, and a merchant’s held orders oldest first', async () => {
      const mk = (no: string, openid: string, at: number, over: Partial<Order> = {}) =>
        f.orders.create(
          order({
            outTradeNo: no,
            openid,
            createdAt: at,
            updatedAt: at,
            expiresAt: at + 60_000,
            ...over,
          }),
          { stock: 99, perUserLimit: 99 },
        );
      await mk('old', 'buyer_a', T0 - 10_000);
      await mk('mid', 'buyer_a', T0, { device: 'abcd1234' });
      await mk('new', 'buyer_a', T0 + 10_000);
      await mk('other', 'buyer_b', T0 + 5_000);
      expect((await f.orders.ofBuyer('buyer_a', T0, 10)).map((o) => o.outTradeNo)).toEqual([
        'new',
        'mid',
      ]);
      expect((await f.orders.ofBuyer('buyer_a', 0, 1)).map((o) => o.outTradeNo)).toEqual(['new']);
      expect((await f.orders.ofBuyer('buyer_a', 0, 10))[1]?.device).toBe('abcd1234');
      expect(await f.orders.ofBuyer('nobody', 0, 10)).toEqual([]);

      const risk = { score: 0.8, reasons: [{ code: 'velocity', message: '短时间内多次下单' }] };
      await mk('h2', 'buyer_b', T0 + 2, { state: 'held', risk, cartKey: 'cart-h2' });
      await mk('h1', 'buyer_a', T0 + 1, { state: 'held', risk, cartKey: 'cart-h1' });
      await mk('h3', 'buyer_c', T0 + 3, { state: 'held', merchantId: 'm2', cartKey: 'cart-h3' });
      const held = await f.orders.heldForMerchant('m1', 10);
      expect(held.map((o) => o.outTradeNo)).toEqual(['h1', 'h2']);
      expect(held[0]!.risk).toEqual(risk);
      expect((await f.orders.heldForMerchant('m2', 10)).map((o) => o.outTradeNo)).toEqual(['h3']);
      // A held cart is open: a repeated create answers the held order, reserving nothing more.
      const again = await f.orders.create(order({ outTradeNo: 'h1b', cartKey: 'cart-h1' }), {
        stock: 99,
        perUserLimit: 99,
      });
      expect(again.kind).toBe('existing');
      expect(again.kind === 'existing' && again.order.state).toBe('held');
      const reservedBefore = await f.orders.reserved('c1');
      // Approving moves it on with a new window; rejecting closes it with the decision kept and
      // releases its units.
      const approved = await f.orders.transition(
        'h1',
        ['held'],
        'created',
        { expiresAt: T0 + 999_999, review: { decision: 'approved', at: T0 + 5 } },
        T0 + 5,
      );
      expect(approved).toMatchObject({ state: 'created', expiresAt: T0 + 999_999 });
      expect(approved?.review).toEqual({ decision: 'approved', at: T0 + 5 });
      const rejected = await f.orders.transition(
        'h2',
        ['held'],
        'closed',
        { review: { decision: 'rejected', at: T0 + 6 } },
        T0 + 6,
      );
      expect(rejected?.review).toEqual({ decision: 'rejected', at: T0 + 6 });
      expect((await f.orders.get('h2'))?.review?.decision).toBe('rejected');
      expect(await f.orders.reserved('c1')).toBe(reservedBefore - 1);
      expect((await f.orders.heldForMerchant('m1', 10)).map((o) => o.outTradeNo)).toEqual([]);
    });
    it('pages paid orders in (paid time, number) order after a cursor, refunded ones included', async () => {
      for (const [no, paidAt] of [
        ['p3', T0 + 20],
        ['p1', T0 + 10],
        ['p2', T0 + 10],
        ['p4', T0 + 30],
      ] as const) {
        await f.orders.create(order({ outTradeNo: no, cartKey: `cart-${no}` }), {
          stock: 99,
          perUserLimit: 99,
        });
        await f.orders.transition(no, ['created'], 'paid', { paidAt }, paidAt);
      }
      await f.orders.create(order({ outTradeNo: 'unpaid', cartKey: 'cart-unpaid' }), {
        stock: 99,
        perUserLimit: 99,
      });
      await f.orders.transition('p1', ['paid'], 'refunding', { refundFen: 1 }, T0 + 40);
      const nos = (os: Order[]) => os.map((o) => o.outTradeNo);
      expect(nos(await f.orders.paidAfter(null, T0 + 100, 10))).toEqual(['p1', 'p2', 'p3', 'p4']);
      expect(nos(await f.orders.paidAfter(null, T0 + 100, 2))).toEqual(['p1', 'p2']);
      expect(
        nos(await f.orders.paidAfter({ paidAt: T0 + 10, outTradeNo: 'p1' }, T0 + 100, 10)),
      ).toEqual(['p2', 'p3', 'p4']);
      expect(
        nos(await f.orders.paidAfter({ paidAt: T0 + 10, outTradeNo: 'p2' }, T0 + 30, 10)),
      ).toEqual(['p3']);
    });

    it('pages confirmed refunds in (confirmation time, number) order after a cursor, nothing else', async () => {
      for (const no of ['r1', 'r2', 'r3', 'asked', 'kept']) {
        await f.orders.create(order({ outTradeNo: no, cartKey: `cart-${no}` }), {
          stock: 99,
          perUserLimit: 99,
        });
        await f.orders.transition(no, ['created'], 'paid', { paidAt: T0 + 1 }, T0 + 1);
      }
      for (const no of ['r1', 'r2', 'r3', 'asked'])
        await f.orders.transition(no, ['paid'], 'refunding', { refundFen: 500 }, T0 + 2);
      // r3 confirmed first; r1 and r2 at the same moment (the number breaks the tie); `asked` never.
      for (const [no, at] of [
        ['r3', T0 + 20],
        ['r2', T0 + 30],
        ['r1', T0 + 30],
      ] as const)
        await f.orders.transition(no, ['refunding'], 'refunded', { refundedAt: at }, at);
      const nos = (os: Order[]) => os.map((o) => o.outTradeNo);
      expect(nos(await f.orders.refundedAfter(null, T0 + 100, 10))).toEqual(['r3', 'r1', 'r2']);
      expect(nos(await f.orders.refundedAfter(null, T0 + 100, 1))).toEqual(['r3']);
      expect(
        nos(await f.orders.refundedAfter({ refundedAt: T0 + 30, outTradeNo: 'r1' }, T0 + 100, 10)),
      ).toEqual(['r2']);
      expect(
        nos(await f.orders.refundedAfter({ refundedAt: T0 + 20, outTradeNo: 'r3' }, T0 + 30, 10)),
      ).toEqual([]);
      const [first] = await f.orders.refundedAfter(null, T0 + 100, 1);
      expect(first).toMatchObject({ state: 'refunded', refundFen: 500, refundedAt: T0 + 20 });
    });

    it('lists a campaign’s refunds confirmed in a range by confirmation time, whenever the order was paid', async () => {
      // o-old paid long before the range, o-in within it; `asked` never confirmed, `other` another campaign's.
      for (const [no, campaignId, paidAt] of [
        ['o-old', 'c1', T0 - 10 * 86_400_000],
        ['o-in', 'c1', T0 + 1],
        ['o-late', 'c1', T0 + 1],
        ['asked', 'c1', T0 + 1],
        ['other', 'c2', T0 + 1],
      ] as const) {
        await f.orders.create(order({ outTradeNo: no, cartKey: `cart-${no}`, campaignId }), {
          stock: 99,
          perUserLimit: 99,
        });
        await f.orders.transition(no, ['created'], 'paid', { paidAt }, paidAt);
        await f.orders.transition(no, ['paid'], 'refunding', { refundFen: 100 }, T0 + 2);
      }
      for (const [no, at] of [
        ['o-in', T0 + 30],
        ['o-old', T0 + 20],
        ['o-late', T0 + 100],
        ['other', T0 + 20],
      ] as const)
        await f.orders.transition(no, ['refunding'], 'refunded', { refundedAt: at }, at);
      const nos = (os: Order[]) => os.map((o) => o.outTradeNo);
      expect(nos(await f.orders.refundedForCampaign('c1', T0, T0 + 100, 10))).toEqual([
        'o-old',
        'o-in',
      ]);
      expect(nos(await f.orders.refundedForCampaign('c1', T0 + 21, T0 + 101, 10))).toEqual([
        'o-in',
        'o-late',
      ]);
      expect(nos(await f.orders.refundedForCampaign('c1', T0, T0 + 100, 1))).toEqual(['o-old']);
      expect(nos(await f.orders.refundedForCampaign('c3', T0, T0 + 100, 10))).toEqual([]);
    });
  });
}
