/** The tracker's rules, one test each: batching, acknowledgement, persistence, retry, bounds, consent, sampling. */
import type { TrackRequest, TrackedEvent } from '../../../typings';
import { QUEUE_KEY } from '../../../miniprogram/services/event-queue';
import {
  OPT_OUT_KEY,
  createTracker,
  type TrackerOptions,
} from '../../../miniprogram/services/tracker';
import {
  acceptAll,
  apiError,
  counterBytes,
  createFakeServer,
  createFakeWx,
  type FakeWx,
  type FakeWxOptions,
} from './fakes';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(options: Partial<TrackerOptions> & FakeWxOptions = {}) {
  const wx = createFakeWx(options);
  const server = createFakeServer();
  const errors: Array<{ err: unknown; where: string }> = [];
  const tracker = createTracker({
    send: server.send,
    wx,
    random: () => 0.5,
    randomBytes: counterBytes(),
    currentPage: () => 'pages/feed/index',
    onError: (err, where) => errors.push({ err, where }),
    ...options,
  });
  const clicks = (n: number, from = 0) => {
    for (let i = from; i < from + n; i++) tracker.track('click', { itemId: `i${i}` });
  };
  return { wx, server, tracker, errors, clicks };
}

const queued = (wx: FakeWx): TrackedEvent[] =>
  (wx.getStorageSync(QUEUE_KEY) as { events?: TrackedEvent[] }).events ?? [];
const items = (events: TrackedEvent[]) => events.map((e) => e.itemId);
const sizes = (batches: Array<{ req: TrackRequest }>) => batches.map((b) => b.req.events.length);
/** Lets promise callbacks run, then moves fake time forward. */
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-03-01T08:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('events', () => {
  test('carry a device UUID, client time, session id, page route and placement fields', async () => {
    const { tracker, server, wx } = setup();
    tracker.track('impression', {
      itemId: 'i1',
      adId: 'a1',
      slateId: 's1',
      position: 3,
      variant: 'ranker:b',
    });
    tracker.track('dwell', { dwellMs: 1200, itemId: 'i1', page: 'pages/detail/index' });
    wx.hideApp();
    const { req } = server.last();
    expect(req.schemaVersion).toBe(1);
    expect(req.dropped).toBeUndefined();
    const [impression, dwell] = req.events;
    expect(impression).toEqual({
      eventId: expect.stringMatching(UUID_V4),
      type: 'impression',
      clientTime: Date.parse('2026-03-01T08:00:00Z'),
      sessionId: tracker.sessionId,
      page: 'pages/feed/index',
      itemId: 'i1',
      adId: 'a1',
      slateId: 's1',
      position: 3,
      variant: 'ranker:b',
    });
    expect(dwell).toMatchObject({
      type: 'dwell',
      dwellMs: 1200,
      page: 'pages/detail/index',
      sessionId: tracker.sessionId,
    });
    expect(new Set([tracker.sessionId, impression.eventId, dwell.eventId]).size).toBe(3);
    expect(tracker.sessionId).toMatch(UUID_V4);
  });
});

describe('batching', () => {
  test('19 events wait; the 20th sends a batch of 20', () => {
    const { server, clicks } = setup();
    clicks(19);
    expect(server.send).not.toHaveBeenCalled();
    clicks(1, 19);
    expect(sizes(server.batches)).toEqual([20]);
  });

  test('a lone event is sent 5 s after it was queued', async () => {
    const { server, clicks } = setup();
    clicks(1);
    await advance(4999);
    expect(server.send).not.toHaveBeenCalled();
    await advance(1);
    expect(sizes(server.batches)).toEqual([1]);
  });

  test('the app going to the background flushes at once', () => {
    const { server, clicks, wx } = setup();
    clicks(3);
    wx.hideApp();
    expect(sizes(server.batches)).toEqual([3]);
  });

  test('one request at a time: events queued meanwhile go out behind it', async () => {
    const { server, clicks, tracker, wx } = setup();
    clicks(20);
    clicks(25, 20);
    tracker.flush();
    wx.hideApp();
    await advance(60_000);
    expect(server.send).toHaveBeenCalledTimes(1);
    server.batches[0].resolve();
    await advance(0);
    expect(server.batches.map((b) => items(b.req.events)[0])).toEqual(['i0', 'i20']);
    server.batches[1].resolve();
    await advance(4999);
    expect(server.send).toHaveBeenCalledTimes(2);
    await advance(1);
    expect(items(server.batches[2].req.events)).toEqual(['i40', 'i41', 'i42', 'i43', 'i44']);
  });
});

describe('acknowledgement', () => {
  test('a batch leaves the stored queue only when the server acknowledges it', async () => {
    const { server, clicks, wx } = setup();
    clicks(20);
    expect(queued(wx)).toHaveLength(20);
    clicks(1, 20);
    server.last().resolve();
    await advance(0);
    expect(items(queued(wx))).toEqual(['i20']);
  });

  test('duplicates are acknowledged and rejected events are reported, never retried', async () => {
    const { server, clicks, wx, errors } = setup();
    clicks(3);
    wx.hideApp();
    const [a, b, c] = server.last().req.events.map((e) => e.eventId);
    server.last().resolve({
      accepted: [a],
      duplicates: [b],
      rejected: [{ index: 2, eventId: c, reason: 'position must be ≥ 0' }],
    });
    await advance(120_000);
    expect(server.send).toHaveBeenCalledTimes(1);
    expect(queued(wx)).toEqual([]);
    expect(errors.map((e) => (e.err as { code?: string }).code)).toContain('EVENTS_REJECTED');
  });
});

describe('persistence', () => {
  test('the queue survives the app being killed and is sent after the restart', async () => {
    const first = setup();
    first.clicks(3);
    const ids = queued(first.wx).map((e) => e.eventId);
    // Killed before any timer fired: nothing was sent.
    jest.clearAllTimers();
    expect(first.server.send).not.toHaveBeenCalled();

    const second = setup({ store: first.wx.store, randomBytes: counterBytes(1000) });
    await advance(5000);
    expect(second.server.last().req.events.map((e) => e.eventId)).toEqual(ids);
    expect(second.tracker.sessionId).not.toBe(first.tracker.sessionId);
  });

  test('a corrupt stored queue is ignored', () => {
    const store = new Map([
      [
        QUEUE_KEY,
        JSON.stringify({
          v: 1,
          events: [null, 'x', { eventId: 'e1', type: 'click' }],
          dropped: 'many',
        }),
      ],
    ]);
    const { wx, server } = setup({ store });
    wx.hideApp();
    expect(server.last().req).toEqual({
      schemaVersion: 1,
      events: [{ eventId: 'e1', type: 'click' }],
    });
  });

  test('when storage is full, track does not throw and events still go out this launch', () => {
    const { wx, server, clicks, errors } = setup();
    wx.storageFull = true;
    expect(() => clicks(2)).not.toThrow();
    wx.hideApp();
    expect(sizes(server.batches)).toEqual([2]);
    expect(errors.some((e) => e.where === 'storage')).toBe(true);
  });
});

describe('retry', () => {
  test('failed sends keep the batch and retry with exponential backoff and jitter', async () => {
    const { server, clicks, wx } = setup({ random: () => 0.5 });
    clicks(2);
    wx.hideApp();
    // Equal jitter at random 0.5: three quarters of 1 s, 2 s, 4 s.
    for (const delay of [750, 1500, 3000]) {
      server.last().reject(apiError('NETWORK'));
      await advance(delay - 1);
      const before = server.batches.length;
      await advance(1);
      expect(server.batches.length).toBe(before + 1);
      expect(queued(wx)).toHaveLength(2);
    }
    expect(sizes(server.batches)).toEqual([2, 2, 2, 2]);
    server.last().resolve();
    await advance(0);
    expect(queued(wx)).toEqual([]);
  });

  test('jitter spreads delays by the injected random, and the step is capped at 60 s', async () => {
    let r = 1;
    const { server, clicks, wx } = setup({ random: () => r });
    clicks(1);
    wx.hideApp();
    for (let i = 0; i < 8; i++) {
      server.last().reject(new Error('request:fail timeout'));
      await advance(60_000);
    }
    // Attempt 8 would be 128 s uncapped; random 1 → the full 60 s step.
    expect(server.batches).toHaveLength(9);
    r = 0;
    server.last().reject(new Error('request:fail timeout'));
    await advance(29_999);
    expect(server.batches).toHaveLength(9);
    await advance(1);
    expect(server.batches).toHaveLength(10);
  });

  test('a success resets the backoff', async () => {
    const { server, clicks, wx } = setup({ random: () => 0 });
    clicks(1);
    wx.hideApp();
    server.last().reject(apiError('UNAVAILABLE'));
    await advance(500);
    server.last().reject(apiError('UNAVAILABLE'));
    await advance(1000);
    server.last().resolve();
    await advance(0);
    clicks(1, 1);
    wx.hideApp();
    server.last().reject(apiError('UNAVAILABLE'));
    await advance(500);
    expect(server.batches).toHaveLength(5);
  });

  test('back online, a batch that failed offline is sent at once and the backoff starts afresh', async () => {
    const { server, clicks, wx } = setup({ random: () => 0.5 });
    clicks(2);
    wx.hideApp();
    server.last().reject(apiError('NETWORK'));
    await advance(750);
    server.last().reject(new Error('request:fail timeout'));
    await advance(0);
    expect(server.batches).toHaveLength(2); // waiting out 1.5 s
    wx.network(false); // still offline: nothing changes
    await advance(0);
    expect(server.batches).toHaveLength(2);
    wx.network(true);
    await advance(0);
    expect(sizes(server.batches)).toEqual([2, 2, 2]);
    // Failing again starts from the first step (750 ms), not the third.
    server.last().reject(apiError('NETWORK'));
    await advance(749);
    expect(server.batches).toHaveLength(3);
    await advance(1);
    expect(server.batches).toHaveLength(4);
    server.last().resolve();
    await advance(0);
    expect(queued(wx)).toEqual([]);
  });

  test("a reconnect does not cut short the server's own backoff (rate limit, unavailable)", async () => {
    const { server, clicks, wx } = setup({ random: () => 0.5 });
    clicks(1);
    wx.hideApp();
    server.last().reject(apiError('RATE_LIMITED'));
    await advance(0);
    wx.network(true);
    await advance(749);
    expect(server.batches).toHaveLength(1);
    await advance(1);
    expect(server.batches).toHaveLength(2);
  });

  test('while a retry waits, new events and flushes do not send early', async () => {
    const { server, clicks, wx, tracker } = setup({ random: () => 0.5 });
    clicks(1);
    wx.hideApp();
    server.last().reject(apiError('RATE_LIMITED'));
    await advance(0);
    clicks(30, 1);
    tracker.flush();
    wx.hideApp();
    await advance(749);
    expect(server.batches).toHaveLength(1);
    await advance(1);
    expect(sizes(server.batches)).toEqual([1, 20]);
  });

  test.each(['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED', 'NETWORK', 'UNAUTHENTICATED'])(
    '%s is retried',
    async (code) => {
      const { server, clicks, wx } = setup();
      clicks(1);
      wx.hideApp();
      server.last().reject(apiError(code));
      await advance(1000);
      expect(sizes(server.batches)).toEqual([1, 1]);
    },
  );

  test('a transport that throws synchronously is treated as a failed send', async () => {
    const wx = createFakeWx();
    const send = jest.fn(() => {
      throw new Error('boom');
    });
    const tracker = createTracker({
      send,
      wx,
      random: () => 0.5,
      randomBytes: counterBytes(),
      currentPage: () => 'p',
      onError: () => {},
    });
    expect(() => tracker.track('click', {})).not.toThrow();
    wx.hideApp();
    await advance(750);
    expect(send).toHaveBeenCalledTimes(2);
    expect(queued(wx)).toHaveLength(1);
  });
});

describe('batches the server refuses outright', () => {
  test('are halved until the bad event is alone, which is dropped and counted; the rest get through', async () => {
    const { server, clicks, tracker, wx } = setup();
    clicks(2);
    tracker.track('click', { itemId: 'bad' });
    clicks(1, 2);
    wx.hideApp();
    const stored: string[] = [];
    for (let step = 0; step < 10 && server.batches.length > step; step++) {
      const { req, resolve, reject } = server.batches[step];
      if (req.events.some((e) => e.itemId === 'bad')) reject(apiError('INVALID_INPUT'));
      else {
        stored.push(...items(req.events).map(String));
        resolve();
      }
      await advance(5000);
    }
    expect(sizes(server.batches)).toEqual([4, 2, 2, 1, 1]);
    expect(stored).toEqual(['i0', 'i1', 'i2']);
    expect(server.last().req.dropped).toBe(1);
    expect(queued(wx)).toEqual([]);
  });

  test.each(['PAYLOAD_TOO_LARGE', 'BAD_REQUEST'])(
    '%s also splits the batch instead of retrying it',
    async (code) => {
      const { server, clicks, wx } = setup();
      clicks(6);
      wx.hideApp();
      server.last().reject(apiError(code));
      await advance(5000);
      expect(sizes(server.batches)).toEqual([6, 3]);
    },
  );
});

describe('bounded queue', () => {
  test('when full, the oldest events are dropped and the count rides with batches until acknowledged', async () => {
    const { server, clicks, wx } = setup({ maxQueue: 5 });
    clicks(7);
    expect(items(queued(wx))).toEqual(['i2', 'i3', 'i4', 'i5', 'i6']);
    wx.hideApp();
    expect(server.last().req.dropped).toBe(2);
    server.last().reject(apiError('NETWORK'));
    await advance(1000);
    expect(server.last().req.dropped).toBe(2);
    server.last().resolve();
    await advance(0);
    clicks(1, 7);
    wx.hideApp();
    expect(server.last().req.dropped).toBeUndefined();
  });

  test('events in flight are never dropped; drops made during a send are reported with the next batch', async () => {
    const { server, clicks, wx } = setup({ maxQueue: 5, batchSize: 2 });
    clicks(2); // in flight: i0, i1
    clicks(5, 2); // i2 and i3 overflow
    expect(items(queued(wx))).toEqual(['i0', 'i1', 'i4', 'i5', 'i6']);
    server.last().resolve();
    await advance(0);
    expect(server.last().req).toMatchObject({ dropped: 2 });
    expect(items(server.last().req.events)).toEqual(['i4', 'i5']);
  });
});

describe('consent', () => {
  test('nothing is queued until WeChat answers the privacy question', () => {
    const { wx, tracker, clicks } = setup({ privacy: 'manual' });
    clicks(1);
    expect(wx.store.has(QUEUE_KEY)).toBe(false);
    wx.answerPrivacy(false);
    clicks(1, 1);
    expect(items(queued(wx))).toEqual(['i1']);
    expect(tracker.sessionId).toMatch(UUID_V4);
  });

  test('in manual consent mode an agreed privacy setting is not enough: the app must call setConsent', () => {
    const { wx, tracker, clicks } = setup({ privacy: 'agreed', consentMode: 'manual' });
    clicks(2);
    expect(wx.store.has(QUEUE_KEY)).toBe(false);
    tracker.setConsent(true);
    clicks(1, 2);
    expect(items(queued(wx))).toEqual(['i2']);
  });

  test('while authorization is needed nothing is queued or sent, until the user agrees', async () => {
    const { wx, server, tracker, clicks } = setup({ privacy: 'needed' });
    clicks(25);
    wx.hideApp();
    await advance(10_000);
    expect(server.send).not.toHaveBeenCalled();
    expect(wx.store.has(QUEUE_KEY)).toBe(false);
    tracker.setConsent(true);
    clicks(1, 100);
    wx.hideApp();
    expect(items(server.last().req.events)).toEqual(['i100']);
  });

  test('opting out empties the queue, stops collection, and is remembered after a restart', async () => {
    const first = setup();
    first.clicks(3);
    first.tracker.setConsent(false);
    expect(first.wx.store.has(QUEUE_KEY)).toBe(false);
    first.clicks(1, 3);
    first.wx.hideApp();
    await advance(10_000);
    expect(first.server.send).not.toHaveBeenCalled();

    const second = setup({ store: first.wx.store, privacy: 'agreed' });
    second.clicks(1, 10);
    second.wx.hideApp();
    expect(second.server.send).not.toHaveBeenCalled();
    second.tracker.setConsent(true);
    expect(second.wx.store.has(OPT_OUT_KEY)).toBe(false);
    second.clicks(1, 11);
    second.wx.hideApp();
    expect(items(second.server.last().req.events)).toEqual(['i11']);
  });

  test('opting out during a send: a failure is not retried and nothing comes back', async () => {
    const { wx, server, tracker, clicks } = setup();
    clicks(20);
    tracker.setConsent(false);
    server.last().reject(apiError('NETWORK'));
    await advance(120_000);
    expect(server.send).toHaveBeenCalledTimes(1);
    expect(queued(wx)).toEqual([]);
  });

  test('a queue restored from storage waits for consent before it is sent', async () => {
    const first = setup();
    first.clicks(2);
    jest.clearAllTimers();
    const second = setup({ store: first.wx.store, privacy: 'needed' });
    await advance(10_000);
    expect(second.server.send).not.toHaveBeenCalled();
    second.tracker.setConsent(true);
    await advance(5000);
    expect(items(second.server.last().req.events)).toEqual(['i0', 'i1']);
  });

  test('share_open on a cold start waits for the consent decision: sent with its own time if granted, never stored before', async () => {
    const { wx, server, tracker, clicks } = setup({ privacy: 'needed' });
    tracker.trackWhenDecided('share_open', { shareId: 'sh1', itemId: 'i9' });
    clicks(1); // an ordinary event before consent is not collected, even once consent arrives
    expect(wx.store.has(QUEUE_KEY)).toBe(false); // held in memory only
    await advance(3000);
    tracker.setConsent(true);
    wx.hideApp();
    const sent = server.last().req.events;
    expect(sent.map((e) => e.type)).toEqual(['share_open']);
    expect(sent[0]).toMatchObject({
      shareId: 'sh1',
      itemId: 'i9',
      page: 'pages/feed/index',
      clientTime: Date.parse('2026-03-01T08:00:00Z'), // when it happened, not when consent came
    });
  });

  test('share_open held for a consent that is refused is dropped; once decided it is tracked like any event', async () => {
    const refused = setup({ privacy: 'needed' });
    refused.tracker.trackWhenDecided('share_open', { shareId: 'sh1' });
    refused.tracker.setConsent(false);
    refused.tracker.setConsent(true); // a later change of mind does not bring it back
    refused.wx.hideApp();
    expect(refused.server.send).not.toHaveBeenCalled();

    const granted = setup({ privacy: 'agreed' });
    granted.tracker.trackWhenDecided('share_open', { shareId: 'sh2' });
    granted.wx.hideApp();
    expect(granted.server.last().req.events.map((e) => e.type)).toEqual(['share_open']);
  });

  test('base libraries without a privacy API collect', () => {
    const { wx, clicks } = setup({ privacy: 'absent' });
    clicks(1);
    expect(queued(wx)).toHaveLength(1);
  });
});

describe('sampling', () => {
  test('types default to 100 %; a rate of 0 drops every event of that type', () => {
    const { wx, tracker } = setup({ sampling: { impression: 0 } });
    for (let i = 0; i < 10; i++) tracker.track('impression', { itemId: `imp${i}` });
    tracker.track('click', { itemId: 'c' });
    expect(items(queued(wx))).toEqual(['c']);
  });

  test('each event is kept with the configured probability, decided by the injected random', () => {
    const draws = [0.1, 0.5, 0.29, 0.3, 0.99];
    const { wx, clicks } = setup({ sampling: { click: 0.3 }, random: () => draws.shift() ?? 1 });
    clicks(5);
    expect(items(queued(wx))).toEqual(['i0', 'i2']);
  });

  test("the server's acknowledgement sets the rates, so events are thinned without a release", async () => {
    const { wx, server, tracker, clicks } = setup({ batchSize: 2 });
    clicks(2);
    const first = server.last();
    first.resolve({ ...acceptAll(first.req), sampling: { impression: 0 } });
    await advance(0);
    tracker.track('impression', { itemId: 'imp' });
    clicks(1, 2);
    expect(items(queued(wx))).toEqual(['i2']);
    // A later acknowledgement without rates for a type restores 100 % for it.
    clicks(1, 3);
    const second = server.last();
    second.resolve({ ...acceptAll(second.req), sampling: {} });
    await advance(0);
    tracker.track('impression', { itemId: 'imp2' });
    expect(items(queued(wx))).toEqual(['imp2']);
  });

  test('rates change at run time; malformed ones are ignored', () => {
    const { wx, tracker, clicks } = setup();
    tracker.setSampling({ click: 0 });
    clicks(2);
    tracker.setSampling({ click: Number.NaN });
    clicks(1, 2);
    expect(items(queued(wx))).toEqual(['i2']);
  });
});

describe('never throws into the page', () => {
  test('an oversized event is refused with a stable code and not queued', () => {
    const { wx, tracker, errors } = setup();
    expect(() => tracker.track('comment', { text: '长'.repeat(2000), itemId: 'i1' })).not.toThrow();
    expect(queued(wx)).toEqual([]);
    expect(errors.map((e) => (e.err as { code?: string }).code)).toEqual(['EVENT_TOO_LARGE']);
  });

  test('a response without the expected shape still acknowledges the batch', async () => {
    const { wx, server, clicks } = setup();
    clicks(1);
    wx.hideApp();
    server.last().resolve({} as never);
    await advance(0);
    expect(queued(wx)).toEqual([]);
  });
});
