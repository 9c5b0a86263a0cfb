/**
 * The simulator's paying users and oCPC merchants: which campaigns switch to oCPC and how; pays
 * at each click's true rate, delayed, made when due through the `pay` function, the local WeChat
 * Pay stand-in and `payNotify` (each notify twice), attributed to the clicked slate card; a share
 * refunded through order.refund and its notify; the realised CPA (net of refunds) against target
 * from the charge counters; determinism; and a learned run that reports it.
 */
import { SPEND, ALL } from '../../../server/engine/ads/counter-keys';
import { DAY_MS } from '../../../server/engine/payments/records';
import { runArm } from '../../../server/host/sim-run';
import {
  ASSUMED_CVR,
  CAP_FACTOR,
  SIM_OFFER,
  SimBuyers,
  withOcpcCampaigns,
  withSimOffers,
} from '../../../server/host/sim-ocpc';
import { testDeps } from '../../helpers/deps';
import { makeCampaign } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';

const NOW = Date.UTC(2026, 10, 28, 1);
// A whole simulated run takes seconds, more on a loaded machine.
jest.setTimeout(240_000);

describe('simulated oCPC merchants and paying users', () => {
  it('switches every third active campaign to oCPC: target = bid ÷ the assumed CVR, the bid becomes a cap', () => {
    const cs = [
      makeCampaign('a', { bidFen: 40 }),
      makeCampaign('b', { status: 'paused', bidFen: 40 }),
      makeCampaign('c'),
      makeCampaign('d'),
      makeCampaign('e', { bidFen: 70 }),
    ];
    const out = withOcpcCampaigns(cs);
    expect(out.map((c) => c.bidding?.mode ?? 'cpc')).toEqual(['ocpc', 'cpc', 'cpc', 'cpc', 'ocpc']);
    expect(out[0]).toMatchObject({
      bidFen: 40 * CAP_FACTOR,
      bidding: { mode: 'ocpc', targetCpaFen: Math.round(40 / ASSUMED_CVR) },
    });
    expect(out[1]).toBe(cs[1]);
    expect(cs[0].bidding).toBeUndefined();
  });

  it('pays at the true rate, later, through pay and payNotify; refunds a share through order.refund; CPA net of refunds', async () => {
    const opened = await bothAdapters[0][1]();
    try {
      const deps = testDeps(opened.stores, NOW);
      const campaigns = withSimOffers(withOcpcCampaigns([makeCampaign('shop', { bidFen: 50 })]));
      await opened.stores.ads.upsertCampaigns(campaigns);
      const buyers = new SimBuyers(11, campaigns, { refundShare: 0.2 });
      await buyers.prepare(opened.stores, NOW);
      const users = Array.from({ length: 200 }, (_, i) => `u${i}`);
      const truth = users.reduce((s, u) => s + buyers.trueCvr(u, 'shop'), 0) / users.length;
      let k = 0;
      for (let r = 0; r < 10; r++)
        for (const u of users) buyers.onAdClick(u, 'shop', `s${k++}`, 3, NOW + r * 60_000);
      expect(await buyers.settle(deps, NOW)).toBe(0);
      // Ten minutes in: only the quick pays of the first clicks.
      const early = await buyers.settle(deps, NOW + 10 * 60_000);
      const all = early + (await buyers.settle(deps, NOW + 2 * DAY_MS));
      expect(early).toBeGreaterThan(0);
      expect(early).toBeLessThan(all / 2);
      // 2000 clicks at the true rate (a few pays fall past 24 h and do not count).
      expect(Math.abs(all / 2000 - truth)).toBeLessThan(0.25 * truth);
      const orders = await opened.stores.orders.paidForCampaign(
        'shop',
        0,
        NOW + 3 * DAY_MS,
        10_000,
      );
      expect(orders).toHaveLength(all);
      // Each came through pay (the offer's price, a risk score, WeChat Pay's transaction id from
      // the stand-in, which settled it once although every notify came twice).
      for (const o of orders) {
        expect(['paid', 'refunded']).toContain(o.state);
        expect(o).toMatchObject({ totalFen: SIM_OFFER.priceFen, title: SIM_OFFER.title });
        expect(o.transactionId).toMatch(/\S/);
        expect(o.risk).toBeDefined();
        expect(o.attribution).toMatchObject({ campaignId: 'shop', position: 3 });
        expect(o.attribution.slateId).toMatch(/^s\d+$/);
      }
      expect(deps.errors).toEqual([]);
      expect(buyers.counts).toMatchObject({ paid: all, refused: 0, unsettled: 0 });
      // About a fifth refunded in full through order.refund and its notify.
      const refunded = orders.filter((o) => o.state === 'refunded');
      expect(refunded.length).toBe(buyers.counts.refunded);
      expect(Math.abs(refunded.length / all - 0.2)).toBeLessThan(0.08);
      for (const o of refunded) {
        expect(o.refundFen).toBe(o.totalFen);
        expect(o.refundedAt!).toBeGreaterThan(o.paidAt!);
      }
      await opened.stores.counters.add([
        { scope: SPEND, id: 'shop', bucket: ALL, field: 'spentFen', by: 100 * all },
        { scope: SPEND, id: 'shop', bucket: ALL, field: 'clicks', by: 2000 },
      ]);
      const [fig] = await buyers.report(deps, NOW + 3 * DAY_MS);
      const kept = all - refunded.length;
      expect(fig).toMatchObject({
        campaign: 'shop',
        targetCpa: 500,
        realisedCpa: Math.round((100 * all) / kept),
        orders: all,
        refunded: refunded.length,
        billedClicks: 2000,
        multiplier: 1,
      });
    } finally {
      await opened.cleanup();
    }
  });

  it('has a held order approved by the simulated owner, then paid through the sheet and the notify', async () => {
    const opened = await bothAdapters[0][1]();
    try {
      const deps = testDeps(opened.stores, NOW);
      const campaigns = withSimOffers(withOcpcCampaigns([makeCampaign('shop', { bidFen: 50 })]));
      await opened.stores.ads.upsertCampaigns(campaigns);
      const buyers = new SimBuyers(7, campaigns, { refundShare: 0 });
      await buyers.prepare(opened.stores, NOW);
      // A buyer whose recent attempts all failed, many in a few minutes: the risk score holds.
      for (let i = 0; i < 6; i++) {
        const no = `failed${i}`;
        const at = NOW - (i + 1) * 60_000;
        await opened.stores.orders.create(
          {
            outTradeNo: no,
            openid: 'risky',
            merchantId: 'm-1',
            campaignId: 'shop',
            cartKey: `cart-${no}`,
            title: SIM_OFFER.title,
            quantity: 1,
            unitFen: SIM_OFFER.priceFen,
            totalFen: SIM_OFFER.priceFen,
            state: 'created',
            attribution: { campaignId: 'shop' },
            createdAt: at,
            expiresAt: at + 900_000,
            updatedAt: at,
          },
          { stock: 1e6, perUserLimit: 99 },
        );
        await opened.stores.orders.transition(no, ['created'], 'closed', {}, at + 1);
      }
      for (let i = 0; i < 40; i++) buyers.onAdClick('risky', 'shop', `s${i}`, 1, NOW + i);
      await buyers.settle(deps, NOW + 2 * DAY_MS);
      expect(buyers.counts.held).toBeGreaterThan(0);
      const paid = (
        await opened.stores.orders.paidForCampaign('shop', 0, NOW + 3 * DAY_MS, 100)
      ).filter((o) => o.review?.decision === 'approved');
      expect(paid.length).toBeGreaterThan(0);
      for (const o of paid) expect(o.state).toBe('paid');
      expect((await opened.stores.merchants.listAudit('shop', 10)).map((a) => a.action)).toContain(
        'order.approve',
      );
    } finally {
      await opened.cleanup();
    }
  });

  it('is deterministic for a seed, and the pays are the same whatever the refund share', async () => {
    const run = async (refundShare: number) => {
      const opened = await bothAdapters[0][1]();
      try {
        const deps = testDeps(opened.stores, NOW);
        const campaigns = withSimOffers(withOcpcCampaigns([makeCampaign('shop', { bidFen: 50 })]));
        await opened.stores.ads.upsertCampaigns(campaigns);
        const buyers = new SimBuyers(3, campaigns, { refundShare });
        await buyers.prepare(opened.stores, NOW);
        for (let i = 0; i < 300; i++) buyers.onAdClick(`u${i % 60}`, 'shop', `s${i}`, 1, NOW + i);
        await buyers.settle(deps, NOW + 3 * DAY_MS);
        const orders = await opened.stores.orders.paidForCampaign('shop', 0, NOW + 4 * DAY_MS, 1e4);
        return {
          counts: buyers.counts,
          pays: orders.map((o) => [o.openid, o.paidAt, o.attribution.slateId]),
          states: orders.map((o) => [o.state, o.refundedAt ?? null]),
        };
      } finally {
        await opened.cleanup();
      }
    };
    const a = await run(0.3);
    expect(await run(0.3)).toEqual(a);
    const none = await run(0);
    expect(none.pays).toEqual(a.pays);
    expect(none.counts.refunded).toBe(0);
    expect(a.counts.refunded).toBeGreaterThan(0);
  });

  it('a learned run reports each oCPC campaign against its target', async () => {
    const r = await runArm('learned', {
      seed: 5,
      users: 20,
      impressions: 1500,
      roundMs: 15 * 60_000,
    });
    expect(r.ocpc!.length).toBeGreaterThan(0);
    for (const f of r.ocpc!) {
      expect(f.targetCpa).toBeGreaterThan(0);
      expect(f.orders).toBeGreaterThanOrEqual(f.ordersAtEnd);
      expect(f.multiplier).toBeGreaterThanOrEqual(0.3);
      expect(f.multiplier).toBeLessThanOrEqual(3);
      // No order kept (none, or all refunded in full): no CPA at all (not 0, not the spend).
      expect(f.realisedCpa).toBe(
        f.orders > f.refunded ? Math.round(f.spentFen / (f.orders - f.refunded)) : null,
      );
    }
    expect(
      (await runArm('popular', { seed: 5, users: 10, impressions: 300 })).ocpc,
    ).toBeUndefined();
  });
});
