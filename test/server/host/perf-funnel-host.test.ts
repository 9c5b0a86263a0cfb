/**
 * Feature use and funnels through the local host (fastify inject, SQLite): users' route views,
 * named taps and feed → detail → like / comment / share events go through `track`, an ad's
 * impression and landing too, and its pay-verified order into the orders store; the timer's
 * `train` round folds them into the perf rollups; the admin's 性能 report and `perf:report
 * --json` show per-feature tap rates and the funnels' conversions (a client's own `pay` event
 * is not a verified order and is not counted). Then two releases on two platforms: each session's
 * funnel steps count for the release and platform its perf events named, the verified order for
 * its ad click's, and the release whose open rate fell is flagged (Fisher's exact, one-sided, 1 %).
 */
import { randomUUID } from 'node:crypto';
import type { PerfReport } from '../../../typings';
import { perfReportCli } from '../../../server/host/perf-report';
import type { Order } from '../../../server/ports/orders';
import { inProcessHost } from '../../helpers/in-process-host';

let now = Date.UTC(2026, 11, 6, 3, 0, 0);
// The deployment keeps every other page_perf event and every tap (the clients apply the rates
// `track` answers; here the test sends what such clients would have kept).
const host = inProcessHost(
  { PLATFORM_ADMINS: 'admin', TRACK_SAMPLING: 'page_perf=0.5' },
  () => now,
);
beforeAll(() => host.start());
afterAll(() => host.stop());
const post = host.post;

const ev = (user: string, type: string, over: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  type,
  clientTime: now,
  sessionId: `s-${user}`,
  page: 'pages/feed/index',
  ...over,
});

function paidOrder(n: number, slateId = 's1', position = 1): Order {
  return {
    outTradeNo: `perfFunnel${n}`,
    openid: `u${n}`,
    merchantId: 'm1',
    campaignId: 'camp-1',
    cartKey: `cart-${n}`,
    title: '双人套餐',
    quantity: 1,
    unitFen: 9_900,
    totalFen: 9_900,
    state: 'created',
    attribution: { campaignId: 'camp-1', slateId, position },
    createdAt: now - 5 * 60_000,
    expiresAt: now + 60 * 60_000,
    updatedAt: now - 5 * 60_000,
  };
}

it('taps and funnels: tracked, rolled up by train, and reported with rates and conversions', async () => {
  const users = ['u1', 'u2', 'u3', 'u4'];
  for (const [i, u] of users.entries()) {
    await post('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, u);
    const item = { itemId: `item-${i}`, slateId: 's1', position: 0 };
    const ad = { adId: 'camp-1', slateId: 's1', position: 1 };
    const view = (page: string) =>
      ev(u, 'page_perf', { page, metric: 'route', durationMs: 120, appVersion: '1.4.0' });
    const events = [
      view('pages/feed/index'),
      view('pages/feed/index'),
      ev(u, 'impression', item),
      ev(u, 'impression', ad),
      // Every user opens the item (feed.card); half of them like it, one comments, one shares.
      ev(u, 'tap', { feature: 'feed.card', appVersion: '1.4.0' }),
      ev(u, 'click', item),
      view('pages/detail/index'),
      ...(i % 2 === 0
        ? [
            ev(u, 'tap', {
              feature: 'detail.like',
              page: 'pages/detail/index',
              appVersion: '1.4.0',
            }),
            ev(u, 'like', { ...item, page: 'pages/detail/index' }),
          ]
        : []),
      ...(i === 1 ? [ev(u, 'comment', { ...item, page: 'pages/detail/index', text: '好看' })] : []),
      ...(i === 2
        ? [
            ev(u, 'share', {
              ...item,
              page: 'pages/detail/index',
              shareId: `sh-${u}`,
              target: 'chat',
            }),
          ]
        : []),
      // Two of them open the ad's landing; one also claims to have paid (not verified).
      ...(i < 2 ? [ev(u, 'click', ad)] : []),
      ...(i === 0
        ? [ev(u, 'pay', { ...ad, orderId: 'fake-1', amountFen: 9_900, merchantId: 'm1' })]
        : []),
    ];
    const ack = await post('track', { schemaVersion: 1, events }, u);
    expect(ack.accepted).toHaveLength(events.length);
  }
  // One pay-verified order, as WeChat Pay's notify leaves it in the orders store.
  const orders = host.stores().orders;
  expect((await orders.create(paidOrder(1), { stock: 10, perUserLimit: 1 })).kind).toBe('created');
  expect(
    await orders.transition(
      'perfFunnel1',
      ['created'],
      'paid',
      {
        paidAt: now - 60_000,
        transactionId: 'tx1',
      },
      now - 60_000,
    ),
  ).not.toBeNull();

  now += 3 * 60_000; // past the settle window and the orders' lag behind the events
  await post('train', {});
  const { report } = (await post('merchant', { action: 'perf.report' }, 'admin')) as {
    report: PerfReport;
  };

  // per page × version × platform (these clients name no platform)
  const v14 = { version: '1.4.0', platform: 'unknown' };
  expect(report.features).toEqual([
    // 4 taps over 8 views kept at 1 in 2 (16 views); each rate scaled by its own sampling
    { feature: 'feed.card', page: 'pages/feed/index', ...v14, taps: 4, rate: 0.25 },
    { feature: 'detail.like', page: 'pages/detail/index', ...v14, taps: 2, rate: 0.25 }, // 2 / (4 × 2)
  ]);
  const funnel = Object.fromEntries(report.funnels.map((f) => [f.name, f.steps]));
  expect(funnel.content).toEqual([
    { step: 'feed.impression', count: 4, conversion: null },
    { step: 'feed.open', count: 4, conversion: 1 },
    { step: 'detail.like', count: 2, conversion: 0.5 },
    { step: 'detail.comment', count: 1, conversion: 0.25 },
    { step: 'detail.share', count: 1, conversion: 0.25 },
  ]);
  expect(funnel.ad).toEqual([
    { step: 'ad.impression', count: 4, conversion: null },
    { step: 'ad.landing', count: 2, conversion: 0.5 },
    { step: 'ad.pay', count: 1, conversion: 0.5 },
  ]);

  // `npm run perf:report -- --json` prints the same report from the same rollups.
  const json: string[] = [];
  await perfReportCli(host.stores(), ['--json'], (l) => json.push(l), { page_perf: 0.5 });
  expect(JSON.parse(json[0])).toEqual(report);

  // The next round reads nothing new: neither the events nor the order count twice.
  now += 60_000;
  await post('train', {});
  const again = (await post('merchant', { action: 'perf.report' }, 'admin')) as {
    report: PerfReport;
  };
  expect(again.report.funnels).toEqual(report.funnels);
  expect(again.report.features).toEqual(report.features);
  // These sessions named release 1.4.0 and no platform: the funnels per version say so.
  const byVersion = report.funnelsByVersion.filter((f) => f.version === '1.4.0');
  expect(byVersion.map((f) => `${f.name} ${f.platform}`)).toEqual([
    'ad *',
    'content *',
    'ad unknown',
    'content unknown',
  ]);
  expect(byVersion.find((f) => f.name === 'ad')?.steps.map((x) => x.count)).toEqual([4, 2, 1]);
  expect(report.funnelRegressions).toEqual([]); // 4 sessions: too few to compare
});

it('two releases on two platforms: funnels per version × platform, the fallen open rate flagged', async () => {
  // 40 launches (sessions) a release: 1.5.0 on iOS opens 24 of 40 feeds' items, 1.6.0 on Android 4.
  for (const [user, version, platform, opens] of [
    ['v15', '1.5.0', 'ios', 24],
    ['v16', '1.6.0', 'android', 4],
  ] as const) {
    await post('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, user);
    const events = Array.from({ length: 40 }, (_, i) => {
      const sessionId = `${user}-launch-${i}`;
      const item = { itemId: `item-${i}`, slateId: `${user}-slate-${i}`, position: 0 };
      return [
        // The feed's impression is logged before the launch's perf entry (held until consent).
        ev(user, 'impression', { ...item, sessionId }),
        ev(user, 'page_perf', {
          sessionId,
          metric: 'appLaunch',
          durationMs: 900,
          appVersion: version,
          platform,
        }),
        ...(i < opens ? [ev(user, 'click', { ...item, sessionId })] : []),
      ];
    }).flat();
    // One ad landing in each release's first launch; 1.5.0's is paid.
    const ad = {
      adId: 'camp-1',
      slateId: `${user}-ad`,
      position: 2,
      sessionId: `${user}-launch-0`,
    };
    events.push(ev(user, 'impression', ad), ev(user, 'click', ad));
    for (let at = 0; at < events.length; at += 60) {
      const batch = events.slice(at, at + 60);
      const ack = await post('track', { schemaVersion: 1, events: batch }, user);
      expect(ack.accepted).toHaveLength(batch.length);
    }
  }
  now += 60_000;
  const orders = host.stores().orders;
  expect(
    (await orders.create(paidOrder(2, 'v15-ad', 2), { stock: 10, perUserLimit: 1 })).kind,
  ).toBe('created');
  await orders.transition('perfFunnel2', ['created'], 'paid', { paidAt: now - 1 }, now - 1);
  now += 3 * 60_000;
  await post('train', {});
  const { report } = (await post('merchant', { action: 'perf.report' }, 'admin')) as {
    report: PerfReport;
  };
  const counts = (name: string, version: string, platform: string) =>
    report.funnelsByVersion
      .find((f) => f.name === name && f.version === version && f.platform === platform)
      ?.steps.map((x) => x.count);
  expect(counts('content', '1.5.0', 'ios')).toEqual([40, 24, 0, 0, 0]);
  expect(counts('content', '1.6.0', 'android')).toEqual([40, 4, 0, 0, 0]);
  expect(counts('content', '1.6.0', '*')).toEqual([40, 4, 0, 0, 0]);
  expect(counts('ad', '1.5.0', 'ios')).toEqual([1, 1, 1]);
  expect(counts('ad', '1.6.0', 'android')).toEqual([1, 1, 0]);
  // App-wide: the first test's 4 sessions and these 80.
  expect(report.funnels[0].steps.slice(0, 2).map((x) => x.count)).toEqual([84, 32]);
  expect(report.funnelRegressions).toEqual([
    expect.objectContaining({
      funnel: 'content',
      step: 'feed.open',
      baselineVersion: '1.5.0',
      version: '1.6.0',
      baselineN: 40,
      n: 40,
      baselineConversion: 0.6,
      conversion: 0.1,
      flagged: true,
    }),
  ]);
  expect(report.funnelRegressions[0].pValue).toBeLessThan(0.01);

  const text: string[] = [];
  await perfReportCli(host.stores(), [], (l) => text.push(l), { page_perf: 0.5 });
  expect(text).toContain(
    'funnel content 1.6.0/android: feed.impression 40 → feed.open 4 (10.0%) → detail.like 0 (0.0%) → detail.comment 0 (0.0%) → detail.share 0 (0.0%)',
  );
  expect(text.find((l) => l.startsWith('  content feed.open: 1.5.0 → 1.6.0'))).toMatch(
    /60\.0% → 10\.0% \(n 40 \/ 40, p /,
  );
});
