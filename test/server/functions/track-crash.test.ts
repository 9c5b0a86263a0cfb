/**
 * `track` when it stops between storing a batch's events and counting them (crash injection on
 * both adapters): every stored event is still counted exactly once. SQLite: the events and their
 * counters are one transaction, so nothing is stored and the device's retry stores and counts
 * them. Cloud: the events stay stored, marked pending; the retry sees duplicates, and the
 * maintenance sweep (EventLog.finishPending) counts the stopped call once it cannot be running,
 * adding to each counter document only what the call had not added.
 */
import { randomUUID } from 'node:crypto';
import { ALL, FREQ, STATS, adField } from '../../../server/engine/ads/counter-keys';
import { dayBucket } from '../../../server/engine/time';
import track from '../../../server/functions/track';
import { PENDING_STALE_MS } from '../../../server/adapters/cloud/event-log';
import type { CloudCounters } from '../../../server/adapters/cloud/counters';
import { eventDeltas } from '../../../server/events/counting';
import { runMaintenance } from '../../../server/privacy/retention';
import type { CounterDelta, StoredEvent } from '../../../server/ports';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(track);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const USER = 'crash-user-1';

const ev = (type: string, over: object = {}) => ({
  eventId: randomUUID(),
  type,
  clientTime: NOW - 1000,
  sessionId: 's-1',
  page: 'pages/feed/index',
  itemId: 'item-1',
  ...over,
});

describe.each(bothAdapters)('track crash between events and counters on %s', (name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const send = (events: object[]) =>
    handler({ payload: { schemaVersion: 1, events }, openid: USER }, deps);
  const counts = async () => ({
    item: (await opened.stores.counters.read('item', ['item-1'], dayBucket(NOW)))['item-1'] ?? {},
    adStats: (await opened.stores.counters.read(STATS, ['camp-1'], ALL))['camp-1'] ?? {},
    freq: (await opened.stores.counters.read(FREQ, [USER], dayBucket(NOW)))[USER] ?? {},
  });

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.privacy.recordConsent(USER, {
      noticeVersion: 'v1',
      granted: true,
      at: NOW - 60_000,
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return opened.cleanup();
  });

  const batch = () => [
    ev('impression'),
    ev('click'),
    ev('impression', { itemId: undefined, adId: 'camp-1' }),
  ];
  const once = {
    item: { impressions: 1, clicks: 1 },
    adStats: { impressions: 1 },
    freq: { [adField('camp-1')]: 1 },
  };
  const nothing = { item: {}, adStats: {}, freq: {} };
  const sweep = (at: number) =>
    runMaintenance(opened.stores, at, { retentionDays: 180, budgetMs: 60_000, clock: () => 0 });

  it('counts every event of a batch once when the call stops after storing the events, before any counter', async () => {
    const events = batch();
    const log = opened.stores.events;
    const real = log.appendCounted.bind(log);
    jest
      .spyOn(log, 'appendCounted')
      .mockImplementationOnce(
        (list: StoredEvent[], deltasOf: (inserted: StoredEvent[]) => CounterDelta[]) =>
          real(list, (inserted) => {
            deltasOf(inserted);
            throw new Error('injected crash between the events and their counters');
          }),
      );
    expect(await send(events)).toMatchObject({ ok: false, code: 'INTERNAL' });
    const retry = await send(events);
    if (!retry.ok) throw new Error(retry.message);
    if (name === 'sqlite') {
      // Rolled back with the counters: the retry stores and counts them.
      expect(retry.data).toMatchObject({ accepted: events.map((e) => e.eventId), duplicates: [] });
      expect(await counts()).toEqual(once);
    } else {
      // Stored and pending: the retry sees duplicates; the sweep counts them once the call cannot be running.
      expect(retry.data).toMatchObject({ accepted: [], duplicates: events.map((e) => e.eventId) });
      expect(await counts()).toEqual(nothing);
      expect((await sweep(NOW + PENDING_STALE_MS - 1)).eventsCounted).toBe(0);
      expect(await counts()).toEqual(nothing);
      expect((await sweep(NOW + PENDING_STALE_MS + 1)).eventsCounted).toBe(3);
      expect(await counts()).toEqual(once);
    }
    // Nothing is left to count: another sweep adds nothing.
    expect((await sweep(NOW + 10 * PENDING_STALE_MS)).eventsCounted).toBe(0);
    expect(await counts()).toEqual(once);
    expect(await opened.stores.events.countForUser(USER)).toBe(3);
  });

  it('counts every event once when the call stops after some counters were written (cloud)', async () => {
    if (name === 'sqlite') return; // one transaction: no counter is written without the rest
    const counters = opened.stores.counters as unknown as CloudCounters;
    const real = counters.addOnce.bind(counters);
    jest
      .spyOn(counters, 'addOnce')
      .mockImplementationOnce(async (deltas: CounterDelta[], callId: string) => {
        await real(deltas.slice(0, 2), callId); // the item counter's two fields, not the ad's
        throw new Error('injected crash in the middle of the counters');
      });
    expect(await send(batch())).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect((await counts()).item).toEqual({ impressions: 1, clicks: 1 });
    expect((await sweep(NOW + PENDING_STALE_MS + 1)).eventsCounted).toBe(3);
    expect(await counts()).toEqual(once);
    // The call's name was dropped from the counter documents once it was finished.
    const dump = await opened.dumpAll!();
    expect(dump['counters'].filter((d) => /"c":\{"[0-9a-f]/.test(d))).toEqual([]);
    expect(dump['events'].filter((d) => d.includes('"pending"'))).toEqual([]);
  });

  it('counts the same batch sent concurrently once, and the sweep finds nothing', async () => {
    const events = batch();
    await Promise.all(Array.from({ length: 6 }, () => send(events)));
    expect(await counts()).toEqual(once);
    expect((await sweep(NOW + PENDING_STALE_MS + 1)).eventsCounted).toBe(0);
    expect(eventDeltas([])).toEqual([]);
  });

  it('applies a like state on the retry when the call stopped after storing and counting the events', async () => {
    const like = ev('like');
    jest
      .spyOn(opened.stores.likes, 'apply')
      .mockRejectedValueOnce(new Error('injected crash before the like state'));
    expect(await send([like])).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(await opened.stores.likes.liked(USER, ['item-1'])).toEqual([]);
    const retry = await send([like]);
    expect(retry).toMatchObject({ ok: true, data: { duplicates: [like.eventId] } });
    expect(await opened.stores.likes.liked(USER, ['item-1'])).toEqual(['item-1']);
    expect((await counts()).item).toEqual({ likes: 1 });
  });

  it('counts an event id repeated within one batch once', async () => {
    const e = ev('click');
    const res = await send([e, e, ev('impression')]);
    if (!res.ok) throw new Error(res.message);
    expect(await opened.stores.events.countForUser(USER)).toBe(2);
    expect((await counts()).item).toEqual({ impressions: 1, clicks: 1 });
  });
});
