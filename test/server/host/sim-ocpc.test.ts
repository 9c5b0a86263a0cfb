/**
 * The simulator's paying users and oCPC merchants: which campaigns switch to oCPC and how; pays
 * at each click's true rate, delayed, written when due as paid orders attributed to the clicked
 * slate card; the realised CPA against target from the charge counters; and a learned run that
 * reports it.
 */
import { SPEND, ALL } from '../../../server/engine/ads/counter-keys';
import { DAY_MS } from '../../../server/engine/payments/records';
import { runArm } from '../../../server/host/sim-run';
import {
  ASSUMED_CVR,
  CAP_FACTOR,
  SimBuyers,
  withOcpcCampaigns,
} from '../../../server/host/sim-ocpc';
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

  it('pays at the true rate, later; writes due pays as attributed orders; CPA from the spend counters', async () => {
    const opened = await bothAdapters[0][1]();
    try {
      const campaigns = withOcpcCampaigns([makeCampaign('shop', { bidFen: 50 })]);
      const buyers = new SimBuyers(11, campaigns);
      const users = Array.from({ length: 400 }, (_, i) => `u${i}`);
      const truth = users.reduce((s, u) => s + buyers.trueCvr(u, 'shop'), 0) / users.length;
      let k = 0;
      for (let r = 0; r < 10; r++)
        for (const u of users) buyers.onAdClick(u, 'shop', `s${k++}`, 3, NOW + r * 60_000);
      expect(await buyers.settle(opened.stores, NOW)).toBe(0);
      // Ten minutes in: only the quick pays of the first clicks.
      const early = await buyers.settle(opened.stores, NOW + 10 * 60_000);
      const all = early + (await buyers.settle(opened.stores, NOW + 2 * DAY_MS));
      expect(early).toBeGreaterThan(0);
      expect(early).toBeLessThan(all / 2);
      // 4000 clicks at the true rate (a few pays fall past 24 h and do not count).
      expect(Math.abs(all / 4000 - truth)).toBeLessThan(0.25 * truth);
      const orders = await opened.stores.orders.paidForCampaign(
        'shop',
        0,
        NOW + 3 * DAY_MS,
        10_000,
      );
      expect(orders).toHaveLength(all);
      for (const o of orders) {
        expect(o.state).toBe('paid');
        expect(o.attribution).toMatchObject({ campaignId: 'shop', position: 3 });
        expect(o.attribution.slateId).toMatch(/^s\d+$/);
      }
      await opened.stores.counters.add([
        { scope: SPEND, id: 'shop', bucket: ALL, field: 'spentFen', by: 100 * all },
        { scope: SPEND, id: 'shop', bucket: ALL, field: 'clicks', by: 4000 },
      ]);
      const [fig] = await buyers.report(opened.stores, NOW + 3 * DAY_MS);
      expect(fig).toMatchObject({
        campaign: 'shop',
        targetCpa: 500,
        realisedCpa: 100,
        ratio: 0.2,
        orders: all,
        billedClicks: 4000,
        multiplier: 1,
      });
    } finally {
      await opened.cleanup();
    }
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
      // No orders: no CPA at all (not 0, not the spend).
      expect(f.realisedCpa).toBe(f.orders ? Math.round(f.spentFen / f.orders) : null);
    }
    expect(
      (await runArm('popular', { seed: 5, users: 10, impressions: 300 })).ocpc,
    ).toBeUndefined();
  });
});
