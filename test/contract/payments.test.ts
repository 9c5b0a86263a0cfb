/**
 * The payment service contract on both: the local host's stand-in (SQLite) and cloud payments
 * through the real wx-server-sdk (cloudPay.* sent as wx.wxPayApi to the in-memory WeChat Pay).
 * Both refuse what WeChat Pay refuses: a bad fee, an out_trade_no reused with another amount,
 * paying or closing a closed order, refunding more than was paid.
 */
import type { LocalPay } from '../../server/adapters/sqlite/local-pay';
import { PaymentRejected, type PaymentService } from '../../server/ports';
import { cloudTransport, openTempCloudStores } from '../helpers/adapters';
import { openTempSqliteStores, type OpenedStores } from '../helpers/sqlite-stores';

const cases: [string, () => Promise<OpenedStores>, (o: OpenedStores, no: string) => unknown][] = [
  ['local stand-in', openTempSqliteStores, (o, no) => (o.stores.payments as LocalPay).userPays(no)],
  ['cloud payments', openTempCloudStores, (_o, no) => cloudTransport()!.pay.userPays(no)],
];

describe.each(cases)('payment service: %s', (_name, open, userPays) => {
  let opened: OpenedStores;
  let pay: PaymentService;
  const order = {
    outTradeNo: 'o_contract_1',
    body: '火锅套餐',
    totalFen: 990,
    attach: '{}',
    openid: 'u1',
  };
  beforeEach(async () => {
    opened = await open();
    pay = opened.stores.payments;
  });
  afterEach(() => opened.cleanup());

  const rejected = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (err) {
      expect(err).toBeInstanceOf(PaymentRejected);
      return (err as Error).message;
    }
    throw new Error('not rejected');
  };

  it('answers a payment object, the same for a repeated order, and queries it', async () => {
    const a = await pay.unifiedOrder(order);
    expect(a.package).toMatch(/^prepay_id=/);
    expect((await pay.unifiedOrder(order)).package).toBe(a.package);
    expect(await pay.queryOrder(order.outTradeNo)).toMatchObject({
      state: 'NOTPAY',
      totalFen: 990,
    });
    expect((await pay.queryOrder('o_none')).state).toBe('NOTFOUND');
    const notify = userPays(opened, order.outTradeNo);
    const q = await pay.queryOrder(order.outTradeNo);
    expect(q).toMatchObject({ state: 'SUCCESS', totalFen: 990 });
    // The query names the transaction the notify named: the one payment, seen twice.
    expect(q.transactionId).toEqual(expect.any(String));
    expect(notify).toMatchObject({ outTradeNo: order.outTradeNo, transactionId: q.transactionId });
  });

  it('refuses a bad fee, a reused out_trade_no with another amount, an over-long number', async () => {
    expect(await rejected(pay.unifiedOrder({ ...order, totalFen: 0 }))).toMatch(/total_fee/);
    expect(await rejected(pay.unifiedOrder({ ...order, totalFen: 9.5 }))).toMatch(/total_fee/);
    await pay.unifiedOrder(order);
    expect(await rejected(pay.unifiedOrder({ ...order, totalFen: 1 }))).toMatch(/订单号重复/);
    await rejected(pay.unifiedOrder({ ...order, outTradeNo: 'o'.repeat(33) }));
  });

  it('closes an unpaid order (which then cannot be paid or ordered again), never a paid one', async () => {
    await pay.unifiedOrder(order);
    await pay.closeOrder(order.outTradeNo);
    expect((await pay.queryOrder(order.outTradeNo)).state).toBe('CLOSED');
    expect(userPays(opened, order.outTradeNo)).toBeNull();
    expect(await rejected(pay.unifiedOrder(order))).toMatch(/关闭/);
    const paid = { ...order, outTradeNo: 'o_contract_2' };
    await pay.unifiedOrder(paid);
    userPays(opened, paid.outTradeNo);
    expect(await rejected(pay.closeOrder(paid.outTradeNo))).toMatch(/已支付/);
  });

  it('refunds a paid order partially, idempotently by out_refund_no, never more than paid', async () => {
    await pay.unifiedOrder(order);
    await rejected(
      pay.refund({
        outTradeNo: order.outTradeNo,
        outRefundNo: 'r1',
        totalFen: 990,
        refundFen: 100,
      }),
    );
    userPays(opened, order.outTradeNo);
    const r = { outTradeNo: order.outTradeNo, outRefundNo: 'r1', totalFen: 990, refundFen: 500 };
    await pay.refund(r);
    await pay.refund(r);
    expect(await rejected(pay.refund({ ...r, refundFen: 400 }))).toMatch(/不一致/);
    expect(await rejected(pay.refund({ ...r, outRefundNo: 'r2', refundFen: 491 }))).toMatch(/大于/);
    await pay.refund({ ...r, outRefundNo: 'r2', refundFen: 490 });
    expect((await pay.queryOrder(order.outTradeNo)).state).toBe('REFUND');
    expect(await pay.queryRefund(order.outTradeNo, 'r2')).toEqual({
      state: 'SUCCESS',
      refundFen: 490,
    });
    expect((await pay.queryRefund(order.outTradeNo, 'r9')).state).toBe('NOTFOUND');
  });
});
