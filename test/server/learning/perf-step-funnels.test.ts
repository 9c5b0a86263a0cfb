/**
 * The perf step's funnels per version × platform on both adapters: a session's release and
 * platform learned in one round (its perf events) attribute its funnel steps read in a later
 * round, through the step's state blob; a pay-verified order counts for the context of the ad
 * click its attribution names; orders wait while the event log is not drained, and ORDER_LAG_MS
 * behind it.
 */
import { perfStateKey, runPerfStep } from '../../../server/learning/perf-step';
import type { Stores } from '../../../server/ports';
import type { Order } from '../../../server/ports/orders';
import type { StoredEvent } from '../../../server/engine/records';
import { makeEvent } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);

const perf = (sessionId: string, appVersion: string, platform: string, at: number) =>
  makeEvent({
    type: 'page_perf',
    sessionId,
    serverTime: at,
    clientTime: at,
    itemId: undefined,
    slateId: undefined,
    position: undefined,
    props: { metric: 'route', durationMs: 120, appVersion, platform },
  });
const step = (type: StoredEvent['type'], sessionId: string, at: number, over = {}) =>
  makeEvent({ type, sessionId, serverTime: at, clientTime: at, ...over });
const adClick = (sessionId: string, slateId: string, at: number) =>
  step('click', sessionId, at, { itemId: undefined, adId: 'camp-1', slateId, position: 1 });

async function paid(s: Stores, no: string, at: number, slateId?: string): Promise<void> {
  const order: Order = {
    outTradeNo: no,
    openid: `buyer-${no}`,
    merchantId: 'm1',
    campaignId: 'camp-1',
    cartKey: `cart-${no}`,
    title: '套餐',
    quantity: 1,
    unitFen: 100,
    totalFen: 100,
    state: 'created',
    attribution: slateId
      ? { campaignId: 'camp-1', slateId, position: 1 }
      : { campaignId: 'camp-1' },
    createdAt: at - 1,
    expiresAt: at + 900_000,
    updatedAt: at - 1,
  };
  await s.orders.create(order, { stock: 100, perUserLimit: 100 });
  await s.orders.transition(no, ['created'], 'paid', { paidAt: at }, at);
}

describe.each(bothAdapters)('perf step funnels on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  const funnel = async (): Promise<string[]> =>
    (await opened.stores.rollups.perfCells())
      .filter((c) => c.metric.startsWith('funnel.'))
      .map((c) => `${c.metric} ${c.version}/${c.platform} ${c.count}`)
      .sort();

  it("attributes a session's later steps and its ad's paid orders to the version and platform it ran", async () => {
    const { stores } = opened;
    await stores.events.append([
      perf('sa', '1.2.0', 'ios', T0 - 30 * MIN),
      perf('sb', '1.3.0', 'android', T0 - 30 * MIN),
      step('impression', 'sa', T0 - 29 * MIN),
      step('impression', 'sc', T0 - 29 * MIN), // no event of sc names a release
    ]);
    expect(await runPerfStep(stores, () => T0)).toMatchObject({ status: 'ok', events: 4 });
    expect((await stores.checkpoints.get('perf'))?.stateKey).toBe(perfStateKey(1));
    expect(await stores.blobs.get('perf/sessions/r1.json')).not.toBeNull();

    // The next round: the sessions' clicks (no release on them) and the orders paid from them.
    await stores.events.append([
      step('click', 'sa', T0 - 5 * MIN),
      adClick('sa', 'slate-a', T0 - 5 * MIN),
      adClick('sb', 'slate-b', T0 - 5 * MIN),
    ]);
    await paid(stores, 'o1', T0 - 4 * MIN, 'slate-a');
    await paid(stores, 'o2', T0 - 4 * MIN, 'slate-b');
    await paid(stores, 'o3', T0 - 4 * MIN); // names no click
    const second = await runPerfStep(stores, () => T0 + 10 * MIN);
    expect(second).toMatchObject({ status: 'ok', events: 3, paidOrders: 3 });
    expect(await funnel()).toEqual([
      'funnel.ad.landing 1.2.0/ios 1',
      'funnel.ad.landing 1.3.0/android 1',
      'funnel.ad.pay 1.2.0/ios 1',
      'funnel.ad.pay 1.3.0/android 1',
      'funnel.ad.pay unknown/unknown 1',
      'funnel.feed.impression 1.2.0/ios 1',
      'funnel.feed.impression unknown/unknown 1',
      'funnel.feed.open 1.2.0/ios 1',
    ]);
    // r2 replaced r1; a round with nothing new counts nothing twice.
    expect((await stores.checkpoints.get('perf'))?.stateKey).toBe(perfStateKey(2));
    expect(await stores.blobs.get(perfStateKey(1))).toBeNull();
    const before = await funnel();
    await runPerfStep(stores, () => T0 + 20 * MIN);
    expect(await funnel()).toEqual(before);
  });

  it('folds orders only once the event log is drained, so their click has been read', async () => {
    const { stores } = opened;
    await stores.events.append([
      perf('sa', '1.2.0', 'ios', T0 - 30 * MIN),
      step('impression', 'sa', T0 - 29 * MIN),
      adClick('sa', 'slate-a', T0 - 28 * MIN),
    ]);
    await paid(stores, 'o1', T0 - 20 * MIN, 'slate-a');
    // A page of 2 and a budget already spent: the log is not drained this round.
    let t = 0;
    const slow = { pageSize: 2, budgetMs: 1, clock: () => (t += 10) };
    expect(await runPerfStep(stores, () => T0, slow)).toMatchObject({
      events: 2,
      more: true,
      paidOrders: 0,
    });
    expect(await stores.checkpoints.get('perf.orders')).toBeNull();
    expect(await runPerfStep(stores, () => T0, slow)).toMatchObject({
      events: 1,
      more: false,
      paidOrders: 1,
    });
    expect(await funnel()).toContain('funnel.ad.pay 1.2.0/ios 1');

    // An order paid a minute ago waits: its click may still be in the client's next batch.
    await stores.events.append([adClick('sa', 'slate-late', T0 - 30_000)]);
    await paid(stores, 'o2', T0 - MIN, 'slate-late');
    expect(await runPerfStep(stores, () => T0 + 20_000)).toMatchObject({ paidOrders: 0 });
    expect(await runPerfStep(stores, () => T0 + 2 * MIN)).toMatchObject({ paidOrders: 1 });
    expect(await funnel()).toContain('funnel.ad.pay 1.2.0/ios 2');
  });
});
