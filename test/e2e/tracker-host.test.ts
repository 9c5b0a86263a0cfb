/**
 * End to end for event collection: the Mini Program's real tracker and API client, on a fake
 * device whose wx.request goes over real HTTP to the local host. Mid-session the network is
 * cut, then responses are lost after the server stored the batch, then the app is killed and
 * relaunched from its persisted queue. Afterwards every tracked event is in SQLite exactly once.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { hostForSuite } from '../helpers/host-process';

// The Mini Program modules are loaded at run time: their types belong to the Mini Program's own
// TypeScript program (miniprogram-api-typings clashes with @types/node), so they are described here.
interface Tracker {
  track(type: string, props: Record<string, unknown>): void;
  flush(): void;
}
interface ApiClient {
  call(name: 'track' | 'account', req: unknown): Promise<unknown>;
}
type RecordConsent = (granted: boolean) => Promise<unknown>;
/* eslint-disable @typescript-eslint/no-require-imports */
const { createTracker } = require('../../miniprogram/services/tracker') as {
  createTracker(o: Record<string, unknown>): Tracker;
};
const { clientFor } = require('../../miniprogram/services/api') as {
  clientFor(config: Record<string, unknown>, wx: unknown): ApiClient;
};
const { startAnalytics, consentRecorder } = require('../../miniprogram/services/analytics') as {
  startAnalytics(w: unknown, tracker: Tracker, record: RecordConsent): void;
  consentRecorder(api: ApiClient): RecordConsent;
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Network = 'up' | 'down' | 'lose-responses';

interface RequestOptions {
  url: string;
  method: string;
  data: unknown;
  header: Record<string, string>;
  success(res: { statusCode: number; data: unknown }): void;
  fail(err: { errMsg: string }): void;
}

/** A phone: wx storage that survives app restarts, and a network that can fail in two ways. */
class Device {
  storage = new Map<string, string>();
  network: Network = 'up';
  sentIds = new Set<string>();
  /** Of those, the ids of the session's own impressions and clicks (the launch adds its perf events). */
  sessionIds = new Set<string>();
  requests = 0;

  /** The wx surface one launch of the app sees; a killed launch's callbacks never fire again. */
  launch() {
    const launch = { alive: true };
    const { storage } = this;
    const onRequest = (o: RequestOptions) => this.request(o, launch);
    const wxApi = {
      getStorageSync: (k: string) => (storage.has(k) ? JSON.parse(storage.get(k)!) : ''),
      setStorageSync: (k: string, v: unknown) => void storage.set(k, JSON.stringify(v)),
      removeStorageSync: (k: string) => void storage.delete(k),
      getPrivacySetting: (o: { success(r: { needAuthorization: boolean }): void }) =>
        o.success({ needAuthorization: false }),
      request: onRequest,
    };
    const clock = {
      now: () => Date.now(),
      setTimeout: (fn: () => void, ms: number) => setTimeout(() => launch.alive && fn(), ms),
      clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
    };
    return { wxApi, clock, kill: () => (launch.alive = false) };
  }

  private request(o: RequestOptions, launch: { alive: boolean }): void {
    this.requests += 1;
    const mode = this.network;
    if (mode === 'down') {
      setTimeout(
        () => launch.alive && o.fail({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }),
        2,
      );
      return;
    }
    // Track batches carry events; other calls (the consent record) carry none.
    for (const e of (o.data as { events?: { eventId: string; type: string }[] }).events ?? []) {
      this.sentIds.add(e.eventId);
      if (e.type === 'impression' || e.type === 'click') this.sessionIds.add(e.eventId);
    }
    fetch(o.url, { method: o.method, headers: o.header, body: JSON.stringify(o.data) })
      .then(async (res) => ({ statusCode: res.status, data: await res.json() }))
      .then(
        (res) => {
          if (!launch.alive) return;
          // The server stored the batch, but the answer never reaches the phone.
          if (mode === 'lose-responses') o.fail({ errMsg: 'request:fail timeout' });
          else o.success(res);
        },
        (err: Error) => launch.alive && o.fail({ errMsg: `request:fail ${err.message}` }),
      );
  }
}

const until = async (what: string, cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('tracker → local host, through network failures and an app restart', () => {
  const suite = hostForSuite({ SEED_DEMO: '0' }, 'recsys-e2e-tracker-');

  it('stores every event exactly once', async () => {
    const device = new Device();
    let tracked = 0;
    /**
     * One launch of the app, as App.onLaunch runs it: the tracker waits for startAnalytics, which on
     * first start shows WeChat's privacy prompt ("agree") and records the consent through `account`.
     */
    const startApp = async (firstLaunch: boolean) => {
      const { wxApi, clock, kill } = device.launch();
      const api = clientFor(
        { mode: 'local', localBaseUrl: suite.base, cloudEnv: '', timeoutMs: 5000 },
        wxApi,
      );
      const tracker = createTracker({
        send: (req: unknown) => api.call('track', req),
        wx: wxApi,
        clock,
        consentMode: 'manual',
        currentPage: () => 'pages/feed/index',
        flushIntervalMs: 30,
        backoffBaseMs: 10,
        backoffCapMs: 80,
        onError: () => undefined,
      });
      let recorded: Promise<unknown> = Promise.resolve();
      const record = consentRecorder(api);
      const privacyWx = {
        ...wxApi,
        getPrivacySetting: (o: { success(r: object): void }) =>
          o.success({ needAuthorization: firstLaunch }),
        requirePrivacyAuthorize: (o: { success(): void }) => o.success(),
      };
      startAnalytics(privacyWx, tracker, (granted) => (recorded = record(granted)));
      await recorded;
      await until(
        'consent to be granted',
        () => firstLaunch === false || device.storage.has('privacy:recorded'),
      );
      return { tracker, kill };
    };
    const queued = () =>
      (JSON.parse(device.storage.get('tracker:queue') ?? '{"events":[]}') as { events: unknown[] })
        .events;
    const session = (tracker: Tracker, n: number, slate: string) => {
      for (let i = 0; i < n; i++) {
        tracker.track(i % 4 === 3 ? 'click' : 'impression', {
          itemId: `demo-item-${i % 9}`,
          slateId: slate,
          position: i,
        });
        tracked += 1;
      }
    };

    let app = await startApp(true);
    session(app.tracker, 45, 'slate-a');
    await until(
      'the first events to be sent',
      () => device.sessionIds.size >= 45 && queued().length === 0,
    );

    device.network = 'down';
    session(app.tracker, 50, 'slate-b');
    await until('failed attempts while offline', () => device.requests >= 8);
    expect(queued().length).toBe(50);

    device.network = 'lose-responses';
    session(app.tracker, 25, 'slate-c');
    // The head batch reaches the server and is stored, but never acknowledged: it stays queued.
    const before = device.requests;
    await until(
      'batches stored without an answer',
      () => device.sessionIds.size >= 45 + 20 && device.requests >= before + 3,
    );

    // The app is killed with its queue on disk, and relaunched online.
    app.kill();
    expect(queued().length).toBeGreaterThan(0);
    device.network = 'up';
    app = await startApp(false);
    session(app.tracker, 30, 'slate-d');
    await until(
      'the queue to drain',
      () => queued().length === 0 && device.sessionIds.size === tracked,
    );

    const db = new Database(path.join(suite.dataDir, 'recsys.sqlite'), { readonly: true });
    const openid = JSON.parse(device.storage.get('rs:dev-openid')!) as string;
    const rows = db
      .prepare('SELECT event_id FROM events WHERE openid = ?')
      .pluck()
      .all(openid) as string[];
    const resent = db
      .prepare("SELECT SUM(value) FROM counters WHERE scope = 'ingest' AND field = 'duplicates'")
      .pluck()
      .get() as number;
    db.close();
    // The batches whose answers were lost came back after the restart and were acknowledged as duplicates.
    expect(resent).toBeGreaterThanOrEqual(20);
    expect(tracked).toBe(150);
    // Every event sent is stored exactly once: the session's 150 and the launch's own performance
    // events (the consent call's latency, held until consent was known: services/perf-collect.ts).
    expect(device.sessionIds.size).toBe(tracked);
    expect(rows).toHaveLength(device.sentIds.size);
    expect(new Set(rows)).toEqual(device.sentIds);
  }, 60_000);
});
