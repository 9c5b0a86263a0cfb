/** `track` and PIPL: no recorded consent, a withdrawn one, or an erased user → acknowledged, dropped, counted. */
import { randomUUID } from 'node:crypto';
import { dayBucket } from '../../../server/engine/time';
import account from '../../../server/functions/account';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { toHandler } from '../../../server/runtime/function';
import { sendEvents } from '../../helpers/track-calls';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const accountH = toHandler(account);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

const click = (clientTime = NOW - 1000) => ({
  eventId: randomUUID(),
  type: 'click',
  clientTime,
  sessionId: 's-1',
  page: 'pages/feed/index',
  itemId: 'item-1',
});

describe.each(bothAdapters)('track consent gate on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const send = (events: object[], openid = 'user-c') => sendEvents(deps, openid, events);
  const acc = async (payload: object, openid = 'user-c') => accountH({ payload, openid }, deps);
  const count = () => opened.stores.events.countForUser('user-c');
  const ingestCounter = async (field: string) =>
    (await opened.stores.counters.read('ingest', ['all'], dayBucket(deps.now())))['all']?.[field] ??
    0;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
  });
  afterEach(() => opened.cleanup());

  it('drops (acknowledges, stores nothing, counts) events of a user without recorded consent', async () => {
    const res = await send([click(), click()]);
    expect(res).toMatchObject({ accepted: [], duplicates: [], rejected: [], dropped: 2 });
    expect(await count()).toBe(0);
    expect(await ingestCounter('droppedNoConsent')).toBe(2);
    // Not even the per-user rate counter was written.
    expect(await opened.stores.personal.read('counters', 'user-c', null, 10)).toEqual({
      records: [],
      cursor: null,
    });
  });

  it('stores from the moment consent is recorded, and stops when it is withdrawn (history kept)', async () => {
    await send([click()]);
    expect(await acc({ action: 'consent.set', noticeVersion: 'v1', granted: true })).toMatchObject({
      ok: true,
    });
    expect((await send([click()])).accepted).toHaveLength(1);
    const withdrawn = await acc({
      action: 'consent.set',
      noticeVersion: 'v1',
      granted: false,
      keepHistory: true,
    });
    expect(withdrawn).toMatchObject({ ok: true });
    expect(withdrawn.ok && 'erasure' in withdrawn.data).toBe(false);
    expect(await send([click()])).toMatchObject({ accepted: [], dropped: 1 });
    expect(await count()).toBe(1);
  });

  it('erases what was stored when consent is withdrawn without keeping the history (PIPL art. 47)', async () => {
    await acc({ action: 'consent.set', noticeVersion: 'v1', granted: true });
    expect((await send([click(), click()])).accepted).toHaveLength(2);
    const withdrawn = await acc({ action: 'consent.set', noticeVersion: 'v1', granted: false });
    expect(withdrawn).toMatchObject({
      ok: true,
      data: { erasure: { status: expect.any(String) } },
    });
    expect(await send([click()])).toMatchObject({ accepted: [], dropped: 1 });
    deps.setNow(NOW + GATE_TTL_MS + 1);
    expect(await acc({ action: 'erase.status' })).toMatchObject({
      ok: true,
      data: { erasure: { status: 'done' } },
    });
    expect(await count()).toBe(0);
  });

  it('drops everything while the user is being erased, and late retries of pre-erasure events after it', async () => {
    await acc({ action: 'consent.set', noticeVersion: 'v1', granted: true });
    await send([click()]);
    const started = await acc({ action: 'erase.start' });
    expect(started).toMatchObject({ ok: true, data: { erasure: { status: 'running' } } });
    expect(await send([click()])).toMatchObject({ accepted: [], dropped: 1 });
    expect(await ingestCounter('droppedErased')).toBe(1);
    deps.setNow(NOW + GATE_TTL_MS + 1);
    expect(await acc({ action: 'erase.status' })).toMatchObject({
      ok: true,
      data: { erasure: { status: 'done' } },
    });
    // The user comes back and agrees again: new events are stored, a queued batch from before the erasure is not.
    await acc({ action: 'consent.set', noticeVersion: 'v1', granted: true });
    const res = await send([click(NOW - 5_000), click(NOW + GATE_TTL_MS + 1)]);
    expect(res.accepted).toHaveLength(1);
    expect(res.dropped).toBe(1);
    expect(await count()).toBe(1);
  });
});
