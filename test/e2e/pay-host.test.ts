/**
 * Buying through an ad, end to end through the local host as a child process: a merchant's
 * campaign with an offer, a shopper served its ad who sees and clicks it, `pay` order.create
 * with the slate and position, the buyer pays on the local WeChat Pay stand-in
 * (POST /local-pay/pay), whose notify reaches `payNotify` asynchronously (twice: a duplicate);
 * the page's order.get sees paid; the merchant's daily report counts one pay-verified order with
 * its amount, and the stock is down by one.
 */
import { randomUUID } from 'node:crypto';
import { dayBucket } from '../../server/engine/time';
import { hostForSuite, postAs } from '../helpers/host-process';
import { openShop } from '../helpers/host-shop';

const ADMIN = 'admin_pay_e2e';
const OWNER = 'owner_pay_e2e';

describe('paying through an ad on the local host', () => {
  const suite = hostForSuite(
    { SEED_DEMO: '1', PLATFORM_ADMINS: ADMIN, TRAIN_EVERY: '0', AD_SLOTS: '1,4' },
    'recsys-e2e-pay-',
  );

  const post = (url: string, openid: string, body: unknown) =>
    postAs(suite.base, url, openid, body);
  const call = (fn: string, openid: string, body: unknown) => post(`/api/${fn}`, openid, body);
  const ev = (type: string, over: Record<string, unknown>) => ({
    eventId: randomUUID(),
    type,
    clientTime: Date.now(),
    sessionId: 'e2e-pay',
    page: 'pages/feed/index',
    ...over,
  });

  it('buys through an ad and sees the conversion in the merchant report', async () => {
    const campaignId = await openShop(call, {
      admin: ADMIN,
      owner: OWNER,
      merchantName: '火锅小店',
      campaignName: '套餐推广',
      bidFen: 10_000,
      budgetFen: 1_000_000,
      runsForMs: 7 * 86_400_000,
      offer: { title: '双人火锅套餐', priceFen: 9_900, stock: 5, perUserLimit: 1 },
    });

    // A shopper is served the ad, sees it and clicks it.
    const shopper = 'shopper_pay_e2e';
    await call('account', shopper, {
      action: 'consent.set',
      noticeVersion: '2026-11',
      granted: true,
    });
    let at: { adId: string; slateId: string; position: number } | undefined;
    for (let i = 0; i < 5 && !at; i++) {
      const page = await call('recommend', shopper, { limit: 8, scene: 1001 });
      const card = (page.cards as { kind: string; adId?: string; position: number }[]).find(
        (c) => c.kind === 'ad' && c.adId === campaignId,
      );
      if (card) at = { adId: campaignId, slateId: page.slateId, position: card.position };
    }
    expect(at).toBeDefined();
    const tracked = await call('track', shopper, {
      schemaVersion: 1,
      events: [ev('impression', at!), ev('click', at!)],
    });
    expect(tracked.rejected).toEqual([]);

    // The landing page shows the offer, and the shopper buys it.
    const { ad } = await call('content', shopper, { action: 'ad.get', adId: campaignId });
    expect(ad.offer).toMatchObject({ title: '双人火锅套餐', priceFen: 9_900 });
    const made = await call('pay', shopper, {
      action: 'order.create',
      campaignId: campaignId,
      quantity: 1,
      slateId: at!.slateId,
      position: at!.position,
    });
    expect(made.order).toMatchObject({ state: 'paying', totalFen: 9_900 });
    expect(made.payment.package).toMatch(/^prepay_id=/);
    const no = made.order.outTradeNo as string;

    // Before paying, the order is only paying; the stand-in then takes the payment.
    expect((await call('pay', shopper, { action: 'order.get', outTradeNo: no })).order.state).toBe(
      'paying',
    );
    await post('/local-pay/pay', shopper, { outTradeNo: no });
    let state = '';
    for (let i = 0; i < 50 && state !== 'paid'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await call('pay', shopper, { action: 'order.get', outTradeNo: no })).order.state;
    }
    expect(state).toBe('paid');
    // The duplicate notify arrives too: nothing is counted twice.
    await new Promise((r) => setTimeout(r, 800));

    const day = dayBucket(Date.now());
    const { rows } = await call('merchant', OWNER, {
      action: 'report.daily',
      campaignId: campaignId,
      from: day,
      to: day,
    });
    expect(rows[0]).toMatchObject({ orders: 1, paidFen: 9_900, refunds: 0 });
    expect(rows[0].clicks).toBe(1);
    expect(rows[0].cpaFen).toBe(rows[0].spendFen);

    // The per-user limit holds: a second purchase by the same shopper is refused.
    await expect(
      call('pay', shopper, { action: 'order.create', campaignId: campaignId, quantity: 1 }),
    ).rejects.toThrow(/CONFLICT/);
  }, 60_000);
});
