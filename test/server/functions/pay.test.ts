/**
 * Paying through an ad on both adapters, end to end through the functions: the merchant's offer,
 * `pay` order.create / order.get / order.refund, WeChat Pay's notifies to `payNotify` (the local
 * stand-in on SQLite; the real wx-server-sdk's cloudPay over the in-memory transport on the
 * cloud), and train's order maintenance. The order state machine is driven by duplicate, late,
 * out-of-order and forged notifies: each moves an order at most once, and a forged one not at all.
 */
import type { LocalPay } from '../../../server/adapters/sqlite/local-pay';
import payNotify from '../../../server/functions/payNotify';
import account from '../../../server/functions/account';
import { MODEL_CHECK_MS } from '../../../server/learning/model-versions';
import { maintainOrders } from '../../../server/pay/settle';
import { ERASED_USER } from '../../../server/ports/personal-data';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { personalTraces } from '../../helpers/personal-scan';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters, cloudTransport } from '../../helpers/adapters';
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

const accountH = toHandler(account);
const notifyH = toHandler(payNotify);
const OFFER = { title: '双人火锅套餐', priceFen: 9_900, stock: 3, perUserLimit: 2 };

describe.each(bothAdapters)('pay on %s', (name, open) => {
  let opened: OpenedStores;
  let w: MerchantWorld;
  let campaignId: string;

  const { call, ok, buyerPays } = payCalls(
    name,
    () => w,
    () => opened,
  );
  const notify = async (payload: object, openid?: string) => {
    const res = await notifyH({ payload, openid }, w.deps);
    if (!res.ok) throw new Error(`payNotify: ${res.code} ${res.message}`);
    return res.data;
  };
  const refundNotify = (no: string): Record<string, unknown> => {
    const n =
      name === 'sqlite'
        ? (opened.stores.payments as LocalPay).lastRefundNotify
        : cloudTransport()!.pay.refundNotify(no, `r${no}`);
    if (!n) throw new Error(`no refund of ${no}`);
    return n;
  };
  const state = async (no: string) => (await opened.stores.orders.get(no))?.state;
  const create = (openid = USER, quantity = 1) =>
    ok(openid, {
      action: 'order.create',
      campaignId,
      quantity,
      slateId: 'sess-1.0',
      position: 3,
    });

  let alarms: string[];
  beforeEach(async () => {
    opened = await open();
    w = await buildMerchantWorld(opened.stores);
    alarms = [];
    w.deps.log = {
      ...w.deps.log,
      info: (msg: string) => void (msg.startsWith('pay alarm') && alarms.push(msg)),
    };
    const c = (await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() })).campaign;
    campaignId = c.id;
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId });
    await w.ok(OWNER_A, { action: 'offer.set', campaignId, offer: OFFER });
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it('offers: only the owner sets them, validated and audited; the price comes from the offer', async () => {
    expect((await w.call(STAFF_A, { action: 'offer.clear', campaignId })).ok).toBe(false);
    const other = await w.call(OWNER_B, { action: 'offer.set', campaignId, offer: OFFER });
    expect(other.ok || other.code).toBe('NOT_FOUND');
    const bad = await w.call(OWNER_A, {
      action: 'offer.set',
      campaignId,
      offer: { ...OFFER, priceFen: 0 },
    });
    expect(bad.ok || bad.code).toBe('INVALID_INPUT');
    const audit = await w.ok(OWNER_A, { action: 'campaign.audit', campaignId });
    expect(audit.entries.map((e) => e.action)).toContain('offer.set');
    // A client cannot name a price: the schema refuses the field.
    const priced = await call(USER, {
      action: 'order.create',
      campaignId,
      quantity: 1,
      totalFen: 1,
    });
    expect(priced.ok || priced.code).toBe('INVALID_INPUT');
    const { order, payment } = await create(USER, 2);
    expect(order).toMatchObject({ state: 'paying', totalFen: 19_800, quantity: 2 });
    expect(payment!.package).toMatch(/^prepay_id=/);
    expect(order.outTradeNo.length).toBeLessThanOrEqual(32);
  });

  it('the cloud path sends cloudPay.unifiedOrder as WeChat Pay reads it', async () => {
    if (name !== 'cloud') return;
    const { order } = await create();
    const sent = cloudTransport()!.payCalls.find((c) => c.api === 'unifiedOrder')!;
    expect(sent.data).toMatchObject({
      out_trade_no: order.outTradeNo,
      total_fee: 9_900,
      function_name: 'payNotify',
      sub_mch_id: 'test-sub-mch',
      trade_type: 'JSAPI',
    });
    expect(JSON.parse(String(sent.data.attach))).toEqual({ c: campaignId, s: 'sess-1.0', p: 3 });
  });

  it('a repeated create for the same cart answers the same order; another quantity is another cart', async () => {
    const a = await create();
    const b = await create();
    expect(b.order.outTradeNo).toBe(a.order.outTradeNo);
    expect(await opened.stores.orders.reserved(campaignId)).toBe(1);
    const c = await create(USER, 2).catch((e: Error) => e.message);
    expect(String(c)).toMatch(/CONFLICT.*限购/);
    expect(await opened.stores.orders.reserved(campaignId)).toBe(1);
  });

  it('pays through the notify once: duplicate and late notifies change nothing', async () => {
    const { order } = await create();
    expect(
      (await ok(USER, { action: 'order.get', outTradeNo: order.outTradeNo })).order.state,
    ).toBe('paying');
    const n = buyerPays(order.outTradeNo);
    expect(await notify(n)).toEqual({ errcode: 0, errmsg: 'OK' });
    const paid = await opened.stores.orders.get(order.outTradeNo);
    expect(paid?.state).toBe('paid');
    w.deps.setNow(NOW + 60_000);
    expect(await notify(n)).toEqual({ errcode: 0, errmsg: 'OK' });
    expect(await opened.stores.orders.get(order.outTradeNo)).toEqual(paid);
    // Someone else's order is not found for a stranger.
    const peek = await call(OWNER_B, { action: 'order.get', outTradeNo: order.outTradeNo });
    expect(peek.ok || peek.code).toBe('NOT_FOUND');
  });

  it('forged and tampered notifies change nothing and are answered 0 with an alarm', async () => {
    const { order } = await create();
    const genuine = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: order.outTradeNo,
      totalFee: order.totalFen,
      transactionId: '4200000000001',
    };
    // Forged: WeChat Pay never took the money (its query says NOTPAY), even from a user's call.
    expect(await notify(genuine, USER)).toMatchObject({ errcode: 0 });
    expect(await state(order.outTradeNo)).toBe('paying');
    // Tampered amount on a real payment: not believed.
    buyerPays(order.outTradeNo);
    expect(await notify({ ...genuine, totalFee: 1 })).toMatchObject({ errcode: 0 });
    expect(await state(order.outTradeNo)).toBe('paying');
    expect(await notify({ ...genuine, outTradeNo: 'o_unknown' })).toMatchObject({ errcode: 0 });
    expect(alarms.join('\n')).toMatch(/not confirmed[\s\S]*does not match[\s\S]*unknown order/);
    // The page's poll asks WeChat Pay itself and sees the payment.
    expect(
      (await ok(USER, { action: 'order.get', outTradeNo: order.outTradeNo })).order.state,
    ).toBe('paid');
  });

  it('refuses sold-out stock, the per-user limit and unknown offers, losing no stock', async () => {
    await create(USER, 2);
    const over = await call(USER, { action: 'order.create', campaignId, quantity: 1 });
    expect(over.ok || over.code).toBe('CONFLICT');
    await create('buyer-2', 1);
    const sold = await call('buyer-3', { action: 'order.create', campaignId, quantity: 1 });
    expect(sold.ok || (sold.code === 'CONFLICT' && sold.message)).toMatch(/售罄/);
    expect(await opened.stores.orders.reserved(campaignId)).toBe(3);
    const none = await call(USER, { action: 'order.create', campaignId: 'c_none', quantity: 1 });
    expect(none.ok || none.code).toBe('NOT_FOUND');
    await w.ok(OWNER_A, { action: 'offer.clear', campaignId });
    const cleared = await call('buyer-4', { action: 'order.create', campaignId, quantity: 1 });
    expect(cleared.ok || cleared.code).toBe('NOT_FOUND');
  });

  it('maintenance settles a paid order whose notify was lost and closes unpaid ones after the window, releasing stock', async () => {
    const a = (await create(USER, 1)).order;
    const b = (await create('buyer-2', 2)).order;
    buyerPays(a.outTradeNo); // its notify never arrives
    w.deps.setNow(NOW + 2 * 60_000);
    const early = await maintainOrders(w.deps, Date.now() + 10_000);
    expect(early).toMatchObject({ settled: 1, closed: 0 });
    expect(await state(a.outTradeNo)).toBe('paid');
    w.deps.setNow(NOW + 20 * 60_000);
    const late = await maintainOrders(w.deps, Date.now() + 10_000);
    expect(late).toMatchObject({ closed: 1 });
    expect(await state(b.outTradeNo)).toBe('closed');
    expect(await opened.stores.orders.reserved(campaignId)).toBe(1);
    // The closed order cannot be paid any more at WeChat Pay, and a late notify changes nothing.
    const late2 = await notify({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: b.outTradeNo,
      totalFee: b.totalFen,
    });
    expect(late2).toMatchObject({ errcode: 0 });
    expect(await state(b.outTradeNo)).toBe('closed');
    // Stock is back: another buyer gets the units.
    expect((await create('buyer-3', 2)).order.state).toBe('paying');
  });

  it('refunds: merchant owner only, partial, a stable out_refund_no; the refund notify finishes it once', async () => {
    const { order } = await create();
    await notify(buyerPays(order.outTradeNo));
    const refund = {
      action: 'order.refund' as const,
      outTradeNo: order.outTradeNo,
      refundFen: 5_000,
    };
    expect((await call(USER, refund)).ok).toBe(false);
    const staff = await call(STAFF_A, refund);
    expect(staff.ok || staff.code).toBe('FORBIDDEN');
    const other = await call(OWNER_B, refund);
    expect(other.ok || other.code).toBe('NOT_FOUND');
    const tooMuch = await call(OWNER_A, { ...refund, refundFen: 99_999 });
    expect(tooMuch.ok || tooMuch.code).toBe('CONFLICT');
    // Out of order: a refund notify before any refund was asked changes nothing.
    await notify({
      returnCode: 'SUCCESS',
      reqInfo: {
        outTradeNo: order.outTradeNo,
        outRefundNo: `r${order.outTradeNo}`,
        refundFee: 5_000,
        totalFee: order.totalFen,
        refundStatus: 'SUCCESS',
      },
    });
    expect(await state(order.outTradeNo)).toBe('paid');
    expect((await ok(OWNER_A, refund)).order).toMatchObject({
      state: 'refunding',
      refundFen: 5_000,
    });
    // A retry is the same refund; another amount is refused.
    expect((await ok(OWNER_A, refund)).order.state).toBe('refunding');
    expect((await call(OWNER_A, { ...refund, refundFen: 10 })).ok).toBe(false);
    const rn = refundNotify(order.outTradeNo);
    await notify(rn);
    expect(await state(order.outTradeNo)).toBe('refunded');
    // A forged refund notify for an order refunding only on our side (WeChat Pay knows no such
    // refund): not believed.
    const second = (await create('buyer-2')).order;
    await notify(buyerPays(second.outTradeNo));
    await opened.stores.orders.transition(
      second.outTradeNo,
      ['paid'],
      'refunding',
      { outRefundNo: `r${second.outTradeNo}`, refundFen: 100 },
      w.deps.now(),
    );
    await notify({
      returnCode: 'SUCCESS',
      reqInfo: {
        outTradeNo: second.outTradeNo,
        outRefundNo: `r${second.outTradeNo}`,
        refundFee: 100,
        totalFee: second.totalFen,
        refundStatus: 'SUCCESS',
      },
    });
    expect(await state(second.outTradeNo)).toBe('refunding');
    expect(alarms.join('\n')).toMatch(/refund notify not confirmed/);
    await notify(rn);
    expect((await opened.stores.orders.get(order.outTradeNo))?.refundFen).toBe(5_000);
  });

  it('erasure keeps the merchant’s order record without the buyer, and nothing else names them', async () => {
    const buyer = 'buyer-erased';
    const acct = async (payload: object) => {
      const res = await accountH({ payload, openid: buyer }, w.deps);
      if (!res.ok) throw new Error(`${res.code} ${res.message}`);
      return res.data as { erasure?: { status: string } };
    };
    await acct({ action: 'consent.set', noticeVersion: '2026-11', granted: true });
    const { order } = await create(buyer);
    await notify(buyerPays(order.outTradeNo));
    expect((await acct({ action: 'erase.start' })).erasure?.status).toBe('running');
    w.deps.setNow(w.deps.now() + GATE_TTL_MS + MODEL_CHECK_MS);
    expect((await acct({ action: 'erase.status' })).erasure?.status).toBe('done');
    const kept = await opened.stores.orders.get(order.outTradeNo);
    expect(kept).toMatchObject({ openid: ERASED_USER, state: 'paid', totalFen: 9_900 });
    const left = personalTraces(await opened.dumpAll!(), buyer);
    expect(left.filter((t) => t.via !== 'subject')).toEqual([]);
  });
});
