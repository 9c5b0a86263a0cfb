/**
 * Payment risk (支付安全) end to end through `pay` on both adapters: crafted fraud patterns — a
 * card-testing burst, an amount spike, a new phone paying far more than usual, repeated failed
 * attempts — are held for the merchant's review with their reasons, and an ordinary buyer is not;
 * the owner (only) lists, approves (the buyer then pays) or rejects (stock released) a held
 * order, each decision audited; an unreviewed hold closes after the review window.
 */
import payNotify from '../../../server/functions/payNotify';
import { maintainOrders } from '../../../server/pay/settle';
import { REVIEW_WINDOW_MS } from '../../../server/pay/review-window';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { payCalls } from '../../helpers/pay-calls';
import {
  buildMerchantWorld,
  NOW,
  OWNER_A,
  OWNER_B,
  STAFF_A,
  USER,
  validInput,
  type MerchantWorld,
} from '../../helpers/merchant-world';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const notifyH = toHandler(payNotify);
const MIN = 60_000;
const PHONE = 'a1b2c3d4e5f60718';
const NEW_PHONE = 'ffee00112233aabb';

describe.each(bothAdapters)('payment risk on %s', (name, open) => {
  let opened: OpenedStores;
  let w: MerchantWorld;

  const { call, ok, buyerPays } = payCalls(
    name,
    () => w,
    () => opened,
  );
  /** A live campaign of merchant A selling `priceFen` a unit, plenty of stock. */
  const offer = async (priceFen: number): Promise<string> => {
    const c = (await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() })).campaign;
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: c.id });
    await w.ok(OWNER_A, {
      action: 'offer.set',
      campaignId: c.id,
      offer: { title: '商品', priceFen, stock: 500, perUserLimit: 99 },
    });
    return c.id;
  };
  const buy = (campaignId: string, quantity = 1, device?: string, who = USER) =>
    ok(who, {
      action: 'order.create',
      campaignId,
      quantity,
      ...(device ? { device } : {}),
    });
  /** The buyer pays in WeChat's sheet and WeChat Pay's notify arrives. */
  const payFor = async (no: string): Promise<void> => {
    const res = await notifyH({ payload: buyerPays(no), openid: undefined }, w.deps);
    if (!res.ok) throw new Error('notify failed');
  };
  const advance = (ms: number) => w.deps.setNow(w.deps.now() + ms);
  /** `n` paid orders of `price` a day apart from `device`: an ordinary buyer's habit. */
  const habit = async (campaignId: string, n: number, device?: string): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const { order, payment } = await buy(campaignId, 1, device);
      expect(payment).toBeDefined();
      await payFor(order.outTradeNo);
      advance(24 * 60 * MIN);
    }
  };

  beforeEach(async () => {
    opened = await open();
    w = await buildMerchantWorld(opened.stores);
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it('holds a card-testing burst once it passes a retry or two, with the reason', async () => {
    const c = await offer(990);
    const states: string[] = [];
    for (let q = 1; q <= 6; q++) {
      // Distinct carts (quantities) a few seconds apart: each is a new attempt.
      states.push((await buy(c, q)).order.state);
      advance(5_000);
    }
    expect(states.slice(0, 4)).toEqual(['paying', 'paying', 'paying', 'paying']);
    expect(states[5]).toBe('held');
    const held = (await ok(OWNER_A, { action: 'order.held' })).orders;
    expect(held.at(-1)!.risk.reasons[0]).toEqual({
      code: 'velocity',
      message: '短时间内多次下单',
    });
    expect(held.at(-1)!.risk.score).toBeGreaterThanOrEqual(0.6);
  });

  it('holds an amount far above the buyer’s habit and a new phone paying much more, not the habit itself', async () => {
    const cheap = await offer(6_900);
    await habit(cheap, 3, PHONE);
    // The usual order from the usual phone, and from a new phone (a new phone is common): paid.
    expect((await buy(cheap, 1, PHONE)).payment).toBeDefined();
    advance(60 * MIN);
    expect((await buy(cheap, 2, NEW_PHONE)).payment).toBeDefined();
    advance(60 * MIN);
    // ¥2,000: ten times the ¥200 floor of the reference — held whatever the phone.
    const spike = await buy(await offer(200_000), 1, PHONE);
    expect(spike.order.state).toBe('held');
    expect(spike.payment).toBeUndefined();
    advance(60 * MIN);
    // ¥600 is a mild spike on the usual phone (paid), the takeover pattern on a new one (held).
    const mid = await offer(60_000);
    expect((await buy(mid, 1, PHONE)).order.state).toBe('paying');
    advance(60 * MIN);
    const takeover = await buy(mid, 1, 'c0ffee00c0ffee00');
    expect(takeover.order.state).toBe('held');
    const held = (await ok(OWNER_A, { action: 'order.held' })).orders;
    const byNo = new Map(held.map((o) => [o.outTradeNo, o]));
    expect(byNo.get(spike.order.outTradeNo)!.risk.reasons.map((r) => r.code)).toEqual([
      'amount_spike',
    ]);
    expect(byNo.get(takeover.order.outTradeNo)!.risk.reasons.map((r) => r.code)).toEqual([
      'new_device',
      'amount_spike',
    ]);
    expect(byNo.get(takeover.order.outTradeNo)!.risk.reasons[0]!.message).toBe(
      '在未使用过的设备上付款',
    );
  });

  it('holds the attempt after repeated failed payments within a day, not after one', async () => {
    const c = await offer(990);
    // Three declined or abandoned payments in a day (the engine's ramp: 1 free, full at 4).
    for (let i = 0; i < 3; i++) {
      const { order } = await buy(c, 1);
      expect(order.state).toBe('paying');
      // Never paid: WeChat Pay's window passes and maintenance closes it.
      advance(20 * MIN);
      await maintainOrders(w.deps, Date.now() + 10_000);
      expect((await opened.stores.orders.get(order.outTradeNo))?.state).toBe('closed');
    }
    const next = await buy(c, 1);
    expect(next.order.state).toBe('held');
    const held = (await ok(OWNER_A, { action: 'order.held' })).orders;
    expect(held.map((o) => o.risk.reasons[0]!.code)).toEqual(['repeated_failures']);
    // Another buyer with one failure behind them is not held.
    const other = await buy(c, 1, undefined, 'buyer-2');
    advance(20 * MIN);
    await maintainOrders(w.deps, Date.now() + 10_000);
    expect((await opened.stores.orders.get(other.order.outTradeNo))?.state).toBe('closed');
    expect((await buy(c, 1, undefined, 'buyer-2')).payment).toBeDefined();
  });

  it('the owner alone approves (the buyer then pays) or rejects (stock released), audited', async () => {
    const c = await offer(250_000);
    const first = await buy(c, 1);
    const second = await buy(c, 2, undefined, 'buyer-2');
    expect([first.order.state, second.order.state]).toEqual(['held', 'held']);
    expect(await opened.stores.orders.reserved(c)).toBe(3);
    // A repeated tap answers the held order again: no second hold, no payment.
    const again = await buy(c, 1);
    expect(again.order.outTradeNo).toBe(first.order.outTradeNo);
    expect(again.payment).toBeUndefined();
    // Nobody but merchant A's owner reviews; B's owner does not even see the order.
    for (const who of [USER, STAFF_A]) {
      const res = await call(who, { action: 'order.approve', outTradeNo: first.order.outTradeNo });
      expect(res.ok || res.code).toBe('FORBIDDEN');
      expect((await call(who, { action: 'order.held' })).ok).toBe(false);
    }
    const b = await call(OWNER_B, { action: 'order.reject', outTradeNo: first.order.outTradeNo });
    expect(b.ok || b.code).toBe('NOT_FOUND');
    expect((await ok(OWNER_B, { action: 'order.held' })).orders).toEqual([]);
    // Not the buyer's to see: their own view has no reasons.
    const own = await ok(USER, { action: 'order.get', outTradeNo: first.order.outTradeNo });
    expect(own.order.state).toBe('held');
    expect(own.order).not.toHaveProperty('risk');

    advance(30 * MIN);
    const approved = await ok(OWNER_A, {
      action: 'order.approve',
      outTradeNo: first.order.outTradeNo,
    });
    expect(approved.order).toMatchObject({ state: 'created', expiresAt: w.deps.now() + 15 * MIN });
    const twice = await call(OWNER_A, {
      action: 'order.reject',
      outTradeNo: first.order.outTradeNo,
    });
    expect(twice.ok || twice.code).toBe('CONFLICT');
    // The buyer taps 购买 again: the approved order, now with WeChat's payment object.
    const paying = await buy(c, 1);
    expect(paying.order.outTradeNo).toBe(first.order.outTradeNo);
    expect(paying.payment?.package).toMatch(/^prepay_id=/);
    await payFor(first.order.outTradeNo);
    expect((await opened.stores.orders.get(first.order.outTradeNo))?.state).toBe('paid');

    const rejected = await ok(OWNER_A, {
      action: 'order.reject',
      outTradeNo: second.order.outTradeNo,
    });
    expect(rejected.order.state).toBe('closed');
    expect(await opened.stores.orders.reserved(c)).toBe(1);
    expect((await ok(OWNER_A, { action: 'order.held' })).orders).toEqual([]);
    const audit = await w.ok(OWNER_A, { action: 'campaign.audit', campaignId: c });
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['order.approve', 'order.reject']),
    );
    const entry = audit.entries.find((e) => e.action === 'order.reject')!;
    expect(entry.changes[0]).toMatchObject({
      field: 'order',
      before: { outTradeNo: second.order.outTradeNo, state: 'held' },
      after: { outTradeNo: second.order.outTradeNo, state: 'closed' },
    });
  });

  it('closes a hold nobody reviewed after the review window, releasing its stock', async () => {
    const c = await offer(250_000);
    const { order } = await buy(c, 1);
    expect(order.state).toBe('held');
    advance(REVIEW_WINDOW_MS - MIN);
    await maintainOrders(w.deps, Date.now() + 10_000);
    expect((await opened.stores.orders.get(order.outTradeNo))?.state).toBe('held');
    advance(2 * MIN);
    const done = await maintainOrders(w.deps, Date.now() + 10_000);
    expect(done.closed).toBe(1);
    expect((await opened.stores.orders.get(order.outTradeNo))?.state).toBe('closed');
    expect(await opened.stores.orders.reserved(c)).toBe(0);
    const late = await call(OWNER_A, { action: 'order.approve', outTradeNo: order.outTradeNo });
    expect(late.ok || late.code).toBe('CONFLICT');
  });

  it('refuses a malformed device digest, storing nothing', async () => {
    const c = await offer(990);
    const res = await call(USER, {
      action: 'order.create',
      campaignId: c,
      quantity: 1,
      device: 'not hex!',
    });
    expect(res.ok || res.code).toBe('INVALID_INPUT');
    expect(await opened.stores.orders.reserved(c)).toBe(0);
  });
});

void NOW;
