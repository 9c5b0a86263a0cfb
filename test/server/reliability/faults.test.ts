/**
 * Fault injection in process (issue 22): the failpoint mechanism itself, then `track` with a
 * storage fault at every request it makes — a locked SQLite database, a cloud transport that times
 * out, answers 5xx, or applies a write and loses the answer — asserting after the device's retry
 * (and the maintenance sweep) that every event is stored once and counted once, exactly as without
 * the fault. Killed processes are test/e2e/faults-host.test.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  FailpointError,
  failpoint,
  failpointSync,
  failpoints,
} from '../../../server/adapters/failpoints';
import { PENDING_STALE_MS } from '../../../server/adapters/cloud/event-log';
import { ConfigError, loadConfig } from '../../../server/config';
import track from '../../../server/functions/track';
import { runMaintenance } from '../../../server/privacy/retention';
import { toHandler } from '../../../server/runtime/function';
import { cloudTransport, openTempCloudStores } from '../../helpers/adapters';
import type { TransportFault } from '../../helpers/cloud-transport';
import { testDeps } from '../../helpers/deps';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const USER = 'fault-user';
const handler = toHandler(track);

describe('failpoints', () => {
  afterEach(() => failpoints.clear());

  it('are off until set, then act always, on the next n hits, or after the first k', async () => {
    await expect(failpoint('p')).resolves.toBeUndefined();
    failpoints.set('p', { on: 'times', n: 2 }, { do: 'error', code: 'SQLITE_BUSY' });
    expect(() => failpointSync('p')).toThrow(FailpointError);
    await expect(failpoint('p')).rejects.toMatchObject({ code: 'SQLITE_BUSY', point: 'p' });
    await expect(failpoint('p')).resolves.toBeUndefined();
    expect(failpoints.stats('p')).toEqual({ hits: 3, fired: 2 });

    failpoints.set('p', { on: 'after', k: 2 }, { do: 'error', code: 'ENOSPC' });
    expect(() => failpointSync('p')).not.toThrow();
    expect(() => failpointSync('p')).not.toThrow();
    expect(() => failpointSync('p')).toThrow('ENOSPC');
    expect(() => failpointSync('p')).toThrow('ENOSPC');

    failpoints.set('p', { on: 'always' }, { do: 'delay', ms: 30 });
    const t = Date.now();
    failpointSync('p');
    await failpoint('p');
    expect(Date.now() - t).toBeGreaterThanOrEqual(55);
    failpoints.off('p');
    expect(failpoints.stats('p')).toEqual({ hits: 0, fired: 0 });
  });

  it('read a spec (the local host in test mode) and refuse a malformed one', async () => {
    failpoints.configure('a=always:error(SQLITE_BUSY); b=2x:delay(1); c=after3:exit');
    await expect(failpoint('a')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    await failpoint('b');
    expect(failpoints.stats('b')).toEqual({ hits: 1, fired: 1 });
    // c would kill this process on its fourth hit: three are safe.
    for (let i = 0; i < 3; i++) await failpoint('c');
    failpoints.configure('a=off;c=off');
    await expect(failpoint('a')).resolves.toBeUndefined();
    expect(() => failpoints.configure('a=sometimes:error(X)')).toThrow(/cannot read/);
    expect(() => failpoints.configure('a=always:error(lower)')).toThrow(/cannot read/);
  });
});

describe('failpoints outside tests', () => {
  it('are refused by the configuration unless the local host is in test mode', () => {
    expect(() => loadConfig({ FAILPOINTS: 'sqlite.write=always:exit' })).toThrow(ConfigError);
    expect(() => loadConfig({ FAILPOINTS: 'sqlite.write=always:exit' })).toThrow(/HOST_TEST_MODE/);
    expect(
      loadConfig({ HOST_TEST_MODE: '1', FAILPOINTS: 'sqlite.write=always:exit' }).failpoints,
    ).toBe('sqlite.write=always:exit');
    expect(loadConfig({}).failpoints).toBe('');
  });
});

const ev = (type: string, over: object = {}) => ({
  eventId: randomUUID(),
  type,
  clientTime: NOW - 1000,
  sessionId: 's-1',
  page: 'pages/feed/index',
  itemId: 'item-1',
  ...over,
});
/** One batch with item and ad events (item counters, ad stats, frequency caps, a like state). */
const BATCH = [
  ev('impression', { slateId: 'sl-1', position: 0 }),
  ev('click', { slateId: 'sl-1', position: 0 }),
  ev('impression', { itemId: undefined, adId: 'camp-1', slateId: 'sl-1', position: 3 }),
  ev('like'),
  ev('dwell', { dwellMs: 5000 }),
];

/** What the store holds after a batch, without ids that differ between runs (row ids, seq, pending marks). */
async function outcome(opened: OpenedStores): Promise<Record<string, string[]>> {
  const dump = await opened.dumpAll!();
  const keep: Record<string, string[]> = {};
  for (const [k, rows] of Object.entries(dump)) {
    if (!/event|counter|like/i.test(k) || rows.length === 0) continue;
    keep[k] = rows
      .map((r) => {
        const o = JSON.parse(r) as Record<string, unknown>;
        // `c`: the call ids a cloud counter document took deltas from. A call stopped after clearing
        // its events' pending marks but before dropping its id leaves that id (the counts are
        // right, and dropping it first would let the sweep count the call again).
        for (const x of [
          'c',
          '_id',
          'seq',
          'server_time',
          'serverTime',
          'pending',
          'calls',
          'updatedAt',
          'updated_at',
        ])
          delete o[x];
        return canonical(o);
      })
      // Not the rate limiter's counts (what a device offers, retries included: it bounds attempts)
      // nor the ingestion health figures (accepted / duplicates per call, outside the unit by design:
      // server/functions/track/ingest.ts); everything the product counts is compared.
      .filter((r) => !r.includes('"scope":"rate"') && !r.includes('"scope":"ingest"'))
      .sort();
  }
  return keep;
}

/** JSON with keys sorted at every depth, so equal documents compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

async function fresh(open: () => Promise<OpenedStores>) {
  const opened = await open();
  const deps = testDeps(opened.stores, NOW);
  await opened.stores.privacy.recordConsent(USER, {
    noticeVersion: 'v1',
    granted: true,
    at: NOW - 60_000,
  });
  const send = () => handler({ payload: { schemaVersion: 1, events: BATCH }, openid: USER }, deps);
  const sweep = () =>
    runMaintenance(opened.stores, NOW + PENDING_STALE_MS + 60_000, {
      retentionDays: 180,
      budgetMs: 60_000,
      clock: () => 0,
    });
  return { opened, deps, send, sweep };
}

describe.each([
  ['sqlite', openTempSqliteStores],
  ['cloud', openTempCloudStores],
] as const)(
  'track under storage faults on %s: stored once, counted once after the retry',
  (name, open) => {
    let control: Record<string, string[]>;
    /** Storage requests one clean call makes (cloud: transport actions). */
    let requests = 0;

    beforeAll(async () => {
      const f = await fresh(open);
      const db = () =>
        cloudTransport()?.actions.filter((a) => a.startsWith('database.')).length ?? 0;
      const before = db();
      expect(await f.send()).toMatchObject({ ok: true });
      requests = db() - before;
      await f.sweep();
      control = await outcome(f.opened);
      expect(Object.keys(control).length).toBeGreaterThan(0);
      await f.opened.cleanup();
    });
    afterEach(() => failpoints.clear());

    /** Sends until acknowledged (as the tracker does), then sweeps; the store must equal the control. */
    async function retryAndCompare(
      f: Awaited<ReturnType<typeof fresh>>,
      first: unknown,
    ): Promise<void> {
      const answer = first as { ok: boolean; code?: string; message?: string };
      if (!answer.ok) {
        expect(['UNAVAILABLE', 'INTERNAL']).toContain(answer.code);
        expect(answer.message).toMatch(/稍后重试/);
      }
      let res = answer;
      for (let i = 0; i < 3 && !res.ok; i++) res = (await f.send()) as typeof answer;
      expect(res).toMatchObject({ ok: true });
      await f.sweep();
      expect(await outcome(f.opened)).toEqual(control);
    }

    if (name === 'sqlite') {
      it.each([
        ['sqlite.events.append', 'SQLITE_BUSY'],
        ['sqlite.events.counted', 'SQLITE_IOERR'],
      ])('%s failing with %s', async (point, code) => {
        const f = await fresh(open);
        try {
          failpoints.set(point, { on: 'always' }, { do: 'error', code });
          const first = await f.send();
          failpoints.clear();
          await retryAndCompare(f, first);
        } finally {
          await f.opened.cleanup();
        }
      });

      it('waits out a write lock another connection holds for a few tries (nothing to retry)', async () => {
        const f = await fresh(open);
        try {
          // writeSoon's writes (the rate limiter's counter, slates) meet a held lock three times.
          failpoints.set(
            'sqlite.write',
            { on: 'times', n: 3 },
            { do: 'error', code: 'SQLITE_BUSY' },
          );
          const first = await f.send();
          expect(first).toMatchObject({ ok: true });
          expect(failpoints.stats('sqlite.write').fired).toBe(3);
          await retryAndCompare(f, first);
        } finally {
          await f.opened.cleanup();
        }
      });

      it('a database locked by another connection past the busy timeout answers UNAVAILABLE and stores nothing', async () => {
        const f = await fresh(open);
        try {
          failpoints.set(
            'sqlite.events.append',
            { on: 'always' },
            { do: 'error', code: 'SQLITE_BUSY' },
          );
          expect(await f.send()).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
          expect(await f.opened.stores.events.countForUser(USER)).toBe(0);
          expect(f.deps.errors.join('\n')).toMatch(/SQLITE_BUSY/);
        } finally {
          await f.opened.cleanup();
        }
      });
    } else {
      const faults: TransportFault[] = ['timeout', '5xx', 'applied-then-timeout'];
      it.each(faults)('a transport %s at each request of the call in turn', async (fault) => {
        expect(requests).toBeGreaterThan(2);
        for (let k = 0; k < requests; k++) {
          const f = await fresh(open);
          try {
            cloudTransport()!.faults.add(fault, 'database.', 1, k);
            const first = await f.send();
            expect(cloudTransport()!.faults.met[fault]).toBe(1);
            await retryAndCompare(f, first);
          } catch (err) {
            throw new Error(`${fault} at request ${k + 1} of ${requests}: ${String(err)}`);
          } finally {
            await f.opened.cleanup();
          }
        }
      });
    }
  },
);
