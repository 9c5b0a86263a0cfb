/** The `track` function: partial acceptance, idempotency, limits, injection, counters. */
import { randomUUID } from 'node:crypto';
import type { TrackResponse } from '../../../typings';
import { dayBucket } from '../../../server/engine/time';
import track from '../../../server/functions/track';
import { toHandler } from '../../../server/runtime/function';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { bothAdapters } from '../../helpers/adapters';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(track);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

function click(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    type: 'click',
    clientTime: NOW - 1000,
    sessionId: 'sess-1',
    page: 'pages/feed/index',
    itemId: 'item-1',
    slateId: 'slate-1',
    position: 3,
    ...over,
  };
}

describe.each(bothAdapters)('track on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const send = async (payload: unknown, openid: string | null = 'user-a') =>
    handler({ payload, openid: openid ?? undefined }, deps);
  const ok = async (payload: unknown, openid = 'user-a'): Promise<TrackResponse> => {
    const res = await send(payload, openid);
    if (!res.ok) throw new Error(`expected ok, got ${res.code}: ${res.message}`);
    return res.data;
  };
  const stored = async () =>
    (await opened.stores.events.readAfter(null, Number.MAX_SAFE_INTEGER, 1000)).events;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    // As the app does after WeChat's privacy authorization: track stores nothing without it.
    for (const u of ['user-a', 'user-b'])
      await opened.stores.privacy.recordConsent(u, {
        noticeVersion: 'v1',
        granted: true,
        at: NOW - 60_000,
      });
  });
  afterEach(() => opened.cleanup());

  it('stores the good events of a batch and explains each bad one', async () => {
    const good = [
      click(),
      click({ type: 'impression' }),
      click({ type: 'comment', text: '写得真好' }),
    ];
    const bad = [
      click({ clientTime: 'yesterday' }),
      click({ type: 'teleport' }),
      click({ type: 'comment', text: '' }),
      click({ eventId: 'not-a-uuid' }),
      null,
    ];
    const res = await ok({
      schemaVersion: 1,
      events: [good[0], bad[0], good[1], bad[1], bad[2], good[2], bad[3], bad[4]],
    });
    expect(res.accepted).toEqual(good.map((e) => e.eventId));
    expect(res.duplicates).toEqual([]);
    expect(res.rejected.map((r) => r.index)).toEqual([1, 3, 4, 6, 7]);
    expect(res.rejected[0]).toEqual({
      index: 1,
      eventId: bad[0]!.eventId,
      reason: expect.stringContaining('clientTime'),
    });
    expect(res.rejected[2].reason).toMatch(/comment is empty/);
    const rows = await stored();
    expect(rows).toHaveLength(3);
    expect(rows.find((e) => e.type === 'comment')?.props).toEqual({ text: '写得真好' });
  });

  it('stores the performance events of issue 18 with their context and refuses malformed ones', async () => {
    const perf = (type: string, extra: Record<string, unknown>) =>
      click({ type, itemId: undefined, slateId: undefined, position: undefined, ...extra });
    const ctx = { appVersion: '1.2.0', platform: 'ios', network: 'wifi' };
    const good = [
      perf('page_perf', { metric: 'route', durationMs: 85, fromPage: 'pages/feed/index', ...ctx }),
      perf('page_perf', { metric: 'firstRender', durationMs: 120 }), // an older client: no context
      perf('set_data', {
        calls: 12,
        bytes: 9_000,
        maxBytes: 4_000,
        peakPerSecond: 6,
        windowMs: 10_000,
        ...ctx,
      }),
      perf('api_call', { fn: 'recommend', durationMs: 230.5, ok: true, ...ctx }),
      perf('app_error', { kind: 'memory', level: 10, ...ctx }),
      perf('tap', { feature: 'detail.like', ...ctx }),
    ];
    const bad = [
      perf('page_perf', { metric: 'route', durationMs: 85, fromPage: '../etc' }),
      perf('page_perf', { metric: 'firstRender', durationMs: 1, appVersion: { $ne: 1 } }),
      perf('set_data', { calls: 0, bytes: 0, maxBytes: 0, peakPerSecond: 0, windowMs: 0 }),
      perf('api_call', { fn: 'recommend', durationMs: 5, ok: true, message: 'stack…' }),
      perf('app_error', { kind: 'crash' }),
      perf('tap', { feature: 'has space' }),
      perf('tap', { feature: 'detail.like', platform: 'not a platform!' }),
    ];
    const res = await ok({ schemaVersion: 1, events: [...good, ...bad] });
    expect(res.accepted).toEqual(good.map((e) => e.eventId));
    expect(res.rejected.map((r) => r.index)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    const rows = await stored();
    expect(rows.find((e) => e.props.metric === 'route')?.props).toEqual({
      metric: 'route',
      durationMs: 85,
      fromPage: 'pages/feed/index',
      ...ctx,
    });
    expect(rows.find((e) => e.type === 'tap')?.props).toEqual({ feature: 'detail.like', ...ctx });
  });

  it('stores nothing from a batch that is entirely bad', async () => {
    const res = await ok({
      schemaVersion: 1,
      events: [click({ position: -1 }), click({ sessionId: 7 })],
    });
    expect(res.accepted).toEqual([]);
    expect(res.rejected).toHaveLength(2);
    expect(await stored()).toEqual([]);
    expect(await opened.stores.counters.read('item', ['item-1'], dayBucket(NOW))).toEqual({});
  });

  it('takes identity from the WeChat context only', async () => {
    const e = click();
    expect(await send({ schemaVersion: 1, events: [e], openid: 'someone-else' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await send({ schemaVersion: 1, events: [e] }, null)).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
    await ok({ schemaVersion: 1, events: [{ ...e, openid: 'someone-else' }] }).then((r) =>
      expect(r.rejected).toHaveLength(1),
    );
    await ok({ schemaVersion: 1, events: [e] }, 'user-b');
    expect((await stored()).map((s) => s.openid)).toEqual(['user-b']);
  });

  it('stamps server time and flags client clocks more than 24 h off', async () => {
    const onTime = click({ clientTime: NOW - 23 * 3600_000 });
    const skewed = click({ clientTime: NOW + 25 * 3600_000 });
    await ok({ schemaVersion: 1, events: [onTime, skewed] });
    // Events stored in the same millisecond have no defined order between them.
    const rows = (await stored()).sort((a, b) => a.clientTime - b.clientTime);
    expect(rows.map((r) => [r.serverTime, r.clockSkewed])).toEqual([
      [NOW, false],
      [NOW, true],
    ]);
    expect(rows[1].clientTime).toBe(skewed.clientTime);
  });

  it('acknowledges a retried batch as duplicates without storing or counting it again', async () => {
    const batch = {
      schemaVersion: 1,
      events: [click(), click({ type: 'impression', adId: 'ad-1' })],
    };
    const first = await ok(batch);
    const again = await ok(batch);
    expect(again.accepted).toEqual([]);
    expect(again.duplicates).toEqual(first.accepted);
    expect(await stored()).toHaveLength(2);
    const day = dayBucket(NOW);
    expect(await opened.stores.counters.read('item', ['item-1'], day)).toEqual({
      'item-1': { clicks: 1, impressions: 1 },
    });
    expect(await opened.stores.counters.read('ad', ['ad-1'], day)).toEqual({
      'ad-1': { impressions: 1 },
    });
  });

  it('stores and counts every event once under concurrent duplicate batches', async () => {
    const events = Array.from({ length: 30 }, (_, i) => click({ itemId: `item-${i % 3}` }));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => ok({ schemaVersion: 1, events })),
    );
    const accepted = results.flatMap((r) => r.accepted);
    expect(accepted.sort()).toEqual(events.map((e) => e.eventId as string).sort());
    for (const r of results) expect(r.accepted.length + r.duplicates.length).toBe(30);
    expect(await stored()).toHaveLength(30);
    const counts = await opened.stores.counters.read(
      'item',
      ['item-0', 'item-1', 'item-2'],
      dayBucket(NOW),
    );
    expect(counts).toEqual({
      'item-0': { clicks: 10 },
      'item-1': { clicks: 10 },
      'item-2': { clicks: 10 },
    });
  });

  it('refuses oversize batches whole', async () => {
    const long = '很'.repeat(500);
    const events = Array.from({ length: 60 }, () => click({ type: 'comment', text: long }));
    expect(await send({ schemaVersion: 1, events })).toMatchObject({
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
    });
    const many = Array.from({ length: 101 }, () => click());
    expect(await send({ schemaVersion: 1, events: many })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringContaining('100'),
    });
    expect(await send({ schemaVersion: 1, events: [] })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await send({ schemaVersion: 2, events: [click()] })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await send({ schemaVersion: 1, events: [click({ type: 'comment', text: 'x'.repeat(501) })] }),
    ).toMatchObject({
      ok: true,
      data: { rejected: [{ index: 0, reason: expect.stringContaining('longer than 500') }] },
    });
    expect(await stored()).toEqual([]);
  });

  it('never lets payload keys or values act as query operators', async () => {
    const attempts = [
      click({ $set: { openid: 'x' } }),
      click({ 'props.text': 'x' }),
      click({ itemId: { $gt: '' } }),
      click({ itemId: '{"$gt":""}' }),
      click({ slateId: '_.exists(true)' }),
    ];
    const res = await ok({ schemaVersion: 1, events: attempts });
    expect(res.accepted).toEqual([]);
    expect(res.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    const text = click({ type: 'comment', text: '{"$where":"1==1"} _.remove()' });
    await ok({ schemaVersion: 1, events: [text] });
    expect((await stored())[0].props).toEqual({ text: '{"$where":"1==1"} _.remove()' });
  });

  it('limits each user to 600 events a minute with a clear code', async () => {
    const batch = () => ({ schemaVersion: 1, events: Array.from({ length: 100 }, () => click()) });
    for (let i = 0; i < 6; i++) await ok(batch());
    const limited = await send(batch());
    expect(limited).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(await stored()).toHaveLength(600);
    await ok(batch(), 'user-b');
    deps.setNow(NOW + 60_000);
    await ok(batch());
    expect(await stored()).toHaveLength(800);
  });

  it("sends the operator's sampling rates back with every acknowledgement", async () => {
    deps.config = { ...deps.config, trackSampling: { page_perf: 0.1 } };
    const res = await ok({ schemaVersion: 1, events: [click()] });
    expect(res.sampling).toEqual({ page_perf: 0.1 });
  });

  it('counts per item and per ad per day, money included, and records device drops', async () => {
    await ok({
      schemaVersion: 1,
      dropped: 4,
      events: [
        click({ type: 'impression', adId: 'ad-7', itemId: undefined }),
        click({ adId: 'ad-7', itemId: undefined }),
        click({ type: 'like' }),
        click({
          type: 'pay',
          adId: 'ad-7',
          itemId: undefined,
          orderId: 'o-1',
          amountFen: 1999,
          merchantId: 'm-1',
        }),
        click({ type: 'dwell', dwellMs: 4200 }),
      ],
    });
    const day = dayBucket(NOW);
    expect(await opened.stores.counters.read('ad', ['ad-7'], day)).toEqual({
      'ad-7': { impressions: 1, clicks: 1, pays: 1, payFen: 1999 },
    });
    expect(await opened.stores.counters.read('item', ['item-1'], day)).toEqual({
      'item-1': { likes: 1 },
    });
    expect(await opened.stores.counters.read('ingest', ['all'], day)).toEqual({
      all: { accepted: 5, deviceDropped: 4 },
    });
  });
});
