/**
 * train's oCPC step on a generated stream of ad clicks with late pays (attributed through the
 * attach's slate card): the delayed-feedback pCVR recovers each campaign's true 24 h conversion
 * rate where counting the pays seen so far underestimates the slow one; the serving blob carries
 * the model; the controller lowers an over-spending campaign's factor and lifts an under-spending
 * one's; nothing is read twice on the next round.
 */
import { SPEND } from '../../../server/engine/ads/counter-keys';
import { mulberry32 } from '../../../server/engine/models/rng';
import { pcvrFeatures } from '../../../server/engine/payments/pcvr-features';
import { dayBucket } from '../../../server/engine/time';
import { readServing } from '../../../server/learning/ocpc-state';
import { runOcpcStep } from '../../../server/learning/ocpc-step';
import type { Order, StoredEvent, Stores } from '../../../server/ports';
import { makeCampaign } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const H = 3_600_000;
const DAY = 24 * H;
/** Noon CST, so "today" holds the last 12 h of clicks. */
const NOW = Date.UTC(2026, 11, 3, 4);
const quiet = { info: () => undefined, error: () => undefined };
const opts = { budgetMs: 60_000, clock: () => performance.now(), settleMs: 0 };

/** Two campaigns: fast converts 8 % after a mean 1 h; slow 25 % after a mean 10 h (pays past 24 h do not count). */
const KINDS = {
  fast: { cvr: 0.08, meanH: 1 },
  slow: { cvr: 0.25, meanH: 10 },
} as const;
const within24 = (k: keyof typeof KINDS) => KINDS[k].cvr * (1 - Math.exp(-24 / KINDS[k].meanH));

interface Gen {
  clicks: StoredEvent[];
  orders: Order[];
}

/** `days` days of clicks before NOW, `perDay` a day per campaign, pays that happen before NOW. */
function generate(days: number, perDay: number, seed: number): Gen {
  const rng = mulberry32(seed);
  const clicks: StoredEvent[] = [];
  const orders: Order[] = [];
  let n = 0;
  for (const kind of ['fast', 'slow'] as const) {
    for (let i = 0; i < days * perDay; i++) {
      const at = NOW - Math.floor(rng() * days * DAY) - 1;
      const slateId = `s${++n}`;
      const position = 3;
      const openid = `u${n % 97}`;
      clicks.push({
        openid,
        eventId: `e${n}`,
        type: 'click',
        serverTime: at,
        clientTime: at,
        clockSkewed: false,
        sessionId: 'x',
        page: 'pages/feed/index',
        adId: kind,
        slateId,
        position,
        props: {},
      });
      const converts = rng() < KINDS[kind].cvr;
      const paidAt = Math.floor(at + -Math.log(1 - rng()) * KINDS[kind].meanH * H);
      if (converts && paidAt < NOW) {
        const no = `o${String(n).padStart(12, '0')}`;
        orders.push({
          outTradeNo: no,
          openid,
          merchantId: 'm-1',
          campaignId: kind,
          cartKey: `cart-${no}`,
          title: '套餐',
          quantity: 1,
          unitFen: 2000,
          totalFen: 2000,
          state: 'paid',
          attribution: { campaignId: kind, slateId, position },
          createdAt: at + 1,
          expiresAt: at + 900_000,
          updatedAt: paidAt,
          paidAt,
        });
      }
    }
  }
  return { clicks, orders };
}

async function load(stores: Stores, g: Gen): Promise<void> {
  const sorted = [...g.clicks].sort((a, b) => a.serverTime - b.serverTime);
  for (let i = 0; i < sorted.length; i += 500) await stores.events.append(sorted.slice(i, i + 500));
  for (const o of g.orders) {
    await stores.orders.create(
      { ...o, state: 'created', paidAt: undefined, updatedAt: o.createdAt },
      { stock: 1e6, perUserLimit: 1e6 },
    );
    await stores.orders.transition(
      o.outTradeNo,
      ['created'],
      'paid',
      { paidAt: o.paidAt },
      o.paidAt!,
    );
  }
}

const ocpcCampaign = (id: string, target: number) =>
  makeCampaign(id, {
    status: 'active',
    bidFen: 500,
    bidding: { mode: 'ocpc', targetCpaFen: target },
  });

// The fits take seconds on a loaded machine (performance is measured in bench/, not here).
jest.setTimeout(180_000);

const feature = (id: string) => pcvrFeatures({ campaignId: id, userOrders: 0, position: 3 });

describe('oCPC step: pCVR with late pays (sqlite, 2 days × 1500 clicks per campaign)', () => {
  let opened: OpenedStores;
  const g = generate(2, 1500, 7);
  beforeAll(async () => {
    opened = await bothAdapters[0][1]();
    await load(opened.stores, g);
    await opened.stores.ads.upsertCampaigns([
      ocpcCampaign('fast', 2000),
      ocpcCampaign('slow', 2000),
    ]);
  });
  afterAll(() => opened.cleanup());

  it('recovers each campaign’s 24 h conversion rate; counting pays so far would not', async () => {
    const r = await runOcpcStep(opened.stores, () => NOW, quiet, opts);
    expect(r.status).toBe('ok');
    expect(r.newClicks).toBe(6000);
    expect(r.source).toBe('model');
    const serving = (await readServing(opened.stores))!;
    for (const k of ['fast', 'slow'] as const) {
      const est = serving.model!.predict(feature(k));
      expect(Math.abs(est - within24(k)) / within24(k)).toBeLessThan(0.2);
    }
    // Naive: a pay seen by now, else a negative. The slow campaign's recent clicks have not paid yet.
    const slow = g.clicks.filter((c) => c.adId === 'slow').length;
    const naive =
      g.orders.filter((o) => o.campaignId === 'slow' && o.paidAt! - o.createdAt <= DAY).length /
      slow;
    expect(naive).toBeLessThan(0.85 * within24('slow'));
    expect(Math.abs(serving.model!.predict(feature('slow')) - within24('slow'))).toBeLessThan(
      Math.abs(naive - within24('slow')) / 2,
    );
  });

  it('reads nothing twice on the next round', async () => {
    const r = await runOcpcStep(opened.stores, () => NOW + 60_000, quiet, opts);
    expect(r.status).toBe('ok');
    expect(r.newClicks).toBe(0);
    expect(r.newPays).toBe(0);
    expect(r.clicks).toBe(6000);
  });

  it('lowers the factor of a campaign over its target CPA and lifts one under it', async () => {
    const today = dayBucket(NOW);
    const clickAt = new Map(g.clicks.map((c) => [c.slateId, c.serverTime]));
    const pays = (id: string) =>
      g.orders.filter(
        (o) => o.campaignId === id && dayBucket(clickAt.get(o.attribution.slateId)!) === today,
      ).length;
    const p = pays('fast');
    expect(p).toBeGreaterThan(10);
    // fast: spent 10 × its target per order so far today (over); slow: a tenth of it (under).
    await opened.stores.counters.add([
      { scope: SPEND, id: 'fast', bucket: today, field: 'spentFen', by: 2000 * 10 * p },
      { scope: SPEND, id: 'slow', bucket: today, field: 'spentFen', by: 200 * pays('slow') },
    ]);
    let fast = NaN;
    let slow = NaN;
    for (let i = 0; i < 6; i++) {
      const r = await runOcpcStep(opened.stores, () => NOW + (i + 2) * 60_000, quiet, opts);
      const f = r.campaigns.find((c) => c.campaignId === 'fast')!;
      const s = r.campaigns.find((c) => c.campaignId === 'slow')!;
      // A PI step is not monotone, but over target stays below 1 and under target above it.
      expect(f.multiplier).toBeLessThan(1);
      expect(s.multiplier).toBeGreaterThan(1);
      fast = f.multiplier;
      slow = s.multiplier;
    }
    expect(fast).toBeLessThan(0.7);
    expect(fast).toBeGreaterThanOrEqual(0.3);
    expect(slow).toBeGreaterThan(1.4);
    expect(slow).toBeLessThanOrEqual(3);
    expect((await readServing(opened.stores))!.multipliers).toEqual({ fast, slow });
  });
  it('refits after 30 minutes, but not in a round whose reading used half its budget', async () => {
    const model = async () => JSON.stringify((await readServing(opened.stores))!.model!.toJSON());
    const before = await model();
    // Each clock reading jumps past the budget: the refit waits, the last model stays.
    let t = 0;
    const late = { ...opts, clock: () => (t += opts.budgetMs) };
    const r = await runOcpcStep(opened.stores, () => NOW + 31 * 60_000, quiet, late);
    expect(r.status).toBe('ok');
    expect(await model()).toBe(before);
    await runOcpcStep(opened.stores, () => NOW + 32 * 60_000, quiet, opts);
    expect(await model()).not.toBe(before);
  });
});

describe.each(bothAdapters)('oCPC step on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it('with too few pays serves the prior; a campaign without spend or orders keeps its factor', async () => {
    const g = generate(1, 40, 3);
    await load(opened.stores, g);
    await opened.stores.ads.upsertCampaigns([
      ocpcCampaign('idle', 2000),
      ocpcCampaign('fast', 2000),
      makeCampaign('cpc', { status: 'active' }),
    ]);
    // fast: pays today and no spend yet (a CPA under target: its factor rises, within the bound).
    let fast = 1;
    for (let i = 0; i < 3; i++) {
      const r = await runOcpcStep(opened.stores, () => NOW + i * 60_000, quiet, opts);
      expect(r.status).toBe('ok');
      expect(r.source).toBe('prior');
      expect(r.campaigns.map((c) => c.campaignId).sort()).toEqual(['fast', 'idle']);
      expect(r.campaigns.find((c) => c.campaignId === 'idle')!.multiplier).toBe(1);
      const f = r.campaigns.find((c) => c.campaignId === 'fast')!;
      expect(f.pays).toBeGreaterThan(0);
      expect(f.multiplier).toBeGreaterThan(fast);
      expect(f.multiplier).toBeLessThanOrEqual(3);
      fast = f.multiplier;
    }
    const serving = (await readServing(opened.stores))!;
    expect(serving.model).toBeNull();
    expect(serving.multipliers).toEqual({ idle: 1, fast });
  });
});

describe.each(bothAdapters)('oCPC step with refunds on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  /** Refunds an order (in full or in part) as WeChat Pay's confirmed refund leaves it, at `at`. */
  const refund = async (o: Order, fen: number, at: number) => {
    await opened.stores.orders.transition(
      o.outTradeNo,
      ['paid'],
      'refunding',
      { refundFen: fen },
      at,
    );
    await opened.stores.orders.transition(
      o.outTradeNo,
      ['refunding'],
      'refunded',
      { refundedAt: at },
      at,
    );
  };

  it('relabels a click whose order was refunded in full as a settled negative, once; a partial refund keeps it', async () => {
    const g = generate(1, 40, 3);
    await load(opened.stores, g);
    await opened.stores.ads.upsertCampaigns([ocpcCampaign('fast', 2000)]);
    const first = await runOcpcStep(opened.stores, () => NOW, quiet, opts);
    const today = (r: typeof first) => r.campaigns.find((c) => c.campaignId === 'fast')!;
    expect(first.pays).toBe(g.orders.length);
    const fast = g.orders.filter((o) => o.campaignId === 'fast');
    expect(fast.length).toBeGreaterThanOrEqual(3);
    await refund(fast[0], 2000, NOW + 1_000); // in full
    await refund(fast[1], 500, NOW + 2_000); // in part: the conversion stands
    await refund(fast[2], 2000, NOW + 3_000); // in full
    const second = await runOcpcStep(opened.stores, () => NOW + 60_000, quiet, opts);
    expect(second.newRefunds).toBe(2);
    expect(second.pays).toBe(g.orders.length - 2);
    // Today's conversions the controller counts: fewer by the refunded ones whose click was today.
    const clickDay = new Map(g.clicks.map((c) => [c.slateId, dayBucket(c.serverTime)]));
    const refundedToday = [fast[0], fast[2]].filter(
      (o) => clickDay.get(o.attribution.slateId) === dayBucket(NOW),
    ).length;
    expect(today(second).pays).toBe(today(first).pays - refundedToday);
    // Read once: the next round relabels nothing.
    const third = await runOcpcStep(opened.stores, () => NOW + 120_000, quiet, opts);
    expect(third.newRefunds).toBe(0);
    expect(third.pays).toBe(g.orders.length - 2);
  });

  it('does not read a refund before the pay it takes back (the pay cursor has not passed it)', async () => {
    const g = generate(1, 40, 5);
    await load(opened.stores, g);
    await opened.stores.ads.upsertCampaigns([ocpcCampaign('fast', 2000)]);
    // The last order is paid after the round's read limit, and refunded at once.
    const late = [...g.orders].sort((a, b) => a.paidAt! - b.paidAt!).at(-1)!;
    const r0 = await runOcpcStep(opened.stores, () => late.paidAt!, quiet, opts);
    expect(r0.pays).toBe(g.orders.length - 1);
    await refund(late, late.totalFen, late.paidAt! - 1);
    // refundedAt before its pay was read: the step must wait for the pay, then relabel it.
    const r1 = await runOcpcStep(opened.stores, () => late.paidAt!, quiet, opts);
    expect(r1.newRefunds).toBe(0);
    const r2 = await runOcpcStep(opened.stores, () => NOW + 60_000, quiet, opts);
    expect(r2.newPays).toBe(1);
    expect(r2.newRefunds).toBe(1);
    expect(r2.pays).toBe(g.orders.length - 1);
  });
});
