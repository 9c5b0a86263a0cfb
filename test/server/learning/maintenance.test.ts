/**
 * The maintenance step before every training round — retention of raw events and of
 * short-lived per-user counters, resuming erasures — run alike by the cloud `train` timer, the
 * local host's learning loop and `npm run train` (one shared round), on both adapters.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStores } from '../../../server/adapters/sqlite';
import { FREQ } from '../../../server/engine/ads/counter-keys';
import { dayBucket, minuteBucket } from '../../../server/engine/time';
import { functions } from '../../../server/functions';
import { runRound } from '../../../server/learning/round';
import { startLearningLoop } from '../../../server/host/learning-loop';
import type { StoredEvent, Stores } from '../../../server/ports';
import { startErasure } from '../../../server/privacy/erasure';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { PURGE_CHUNK } from '../../../server/privacy/retention';
import { subjectOf } from '../../../server/privacy/subject';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { storedEventAt } from '../../helpers/fixtures';
import { testDeps, TEST_KEYS } from '../../helpers/deps';
import { ROOT } from '../../helpers/host-process';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const DAY = 86_400_000;
const MIN = 60_000;

interface World {
  fresh: StoredEvent[];
  now: number;
}

/**
 * Old and fresh events, expired and live per-user counters (rate per minute, ad frequency per
 * day), an old aggregate that must stay, and an erasure left running a minute ago.
 */
async function seed(s: Stores, now: number): Promise<World> {
  const old = Array.from({ length: 30 }, (_, i) => storedEventAt(`u${i % 3}`, now - 200 * DAY + i));
  const fresh = [storedEventAt('u1', now - 179 * DAY), storedEventAt('u2', now - MIN)];
  await s.events.append([...old, ...fresh]);
  const rate = (ms: number, id: string) => ({
    scope: 'rate',
    id,
    bucket: minuteBucket(ms),
    field: 'events',
    by: 1,
  });
  const freq = (ms: number, id: string) => ({
    scope: FREQ,
    id,
    bucket: dayBucket(ms),
    field: 'a1',
    by: 1,
  });
  await s.counters.add([
    rate(now - 2 * DAY, 'u1'),
    rate(now - DAY - MIN, 'u2'),
    rate(now - DAY + MIN, 'u1'),
    rate(now - MIN, 'u2'),
    freq(now - 3 * DAY, 'u1'),
    freq(now - 2 * DAY, 'u2'),
    freq(now - DAY, 'u1'),
    freq(now, 'u2'),
    { scope: 'item', id: 'it-1', bucket: dayBucket(now - 300 * DAY), field: 'clicks', by: 1 },
  ]);
  // Someone asked for erasure and left before it finished.
  await s.privacy.recordConsent('gone', { noticeVersion: 'v1', granted: true, at: now - 2 * MIN });
  await s.events.append([storedEventAt('gone', now - 2 * MIN)]);
  await startErasure(s, 'gone', now - MIN, TEST_KEYS, { budgetMs: 0 });
  return { fresh, now };
}

/** What maintenance must have left: fresh events only, live counters and aggregates, the erasure done. */
async function expectMaintained(s: Stores, w: World): Promise<void> {
  const { now } = w;
  const events = (await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 1_000)).events
    .map((e) => e.eventId)
    .sort();
  expect(events).toEqual(w.fresh.map((e) => e.eventId).sort());
  const read = async (scope: string, ms: number, bucketOf: (ms: number) => string) =>
    Object.keys(await s.counters.read(scope, ['u1', 'u2'], bucketOf(ms)));
  expect(await read('rate', now - 2 * DAY, minuteBucket)).toEqual([]);
  expect(await read('rate', now - DAY - MIN, minuteBucket)).toEqual([]);
  expect(await read('rate', now - DAY + MIN, minuteBucket)).toEqual(['u1']);
  expect(await read('rate', now - MIN, minuteBucket)).toEqual(['u2']);
  expect(await read(FREQ, now - 3 * DAY, dayBucket)).toEqual([]);
  expect(await read(FREQ, now - 2 * DAY, dayBucket)).toEqual([]);
  expect(await read(FREQ, now - DAY, dayBucket)).toEqual(['u1']); // yesterday's, across the day boundary
  expect(await read(FREQ, now, dayBucket)).toEqual(['u2']);
  expect(await s.counters.read('item', ['it-1'], dayBucket(now - 300 * DAY))).toEqual({
    'it-1': { clicks: 1 },
  });
  expect(await s.privacy.getErasure(subjectOf('gone', TEST_KEYS))).toMatchObject({
    status: 'done',
    openid: null,
  });
  expect(await s.events.countForUser('gone')).toBe(0);
}

describe.each(bothAdapters)('maintenance on %s', (_name, open) => {
  let opened: OpenedStores;
  const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it('runs in the cloud train handler before training', async () => {
    const w = await seed(opened.stores, NOW);
    const deps = testDeps(opened.stores, NOW);
    const res = await toHandler(functions.train)({ payload: {}, openid: undefined }, deps);
    expect(res).toMatchObject({ ok: true });
    await expectMaintained(opened.stores, w);
    expect(deps.errors).toEqual([]);
  });

  it('purges in bounded chunks, stopping at its budget and finishing on the next round', async () => {
    const s = opened.stores;
    await s.counters.add(
      Array.from({ length: PURGE_CHUNK + 10 }, (_, i) => ({
        scope: 'rate',
        id: `u${i}`,
        bucket: minuteBucket(NOW - 2 * DAY),
        field: 'events',
        by: 1,
      })),
    );
    const deps = testDeps(s, NOW);
    let t = 0;
    const clock = () => (t += 1_000); // every read of the clock spends a second: one chunk per share
    const first = await runRound(deps, 8_000, { clock });
    expect(first.maintenance).toMatchObject({ purgedCounters: PURGE_CHUNK, purgeComplete: false });
    const second = await runRound(deps, 8_000, { clock });
    expect(second.maintenance).toMatchObject({ purgedCounters: 10, purgeComplete: true });
  });
});

describe('maintenance in the local host', () => {
  it('runs in every round of the learning loop', async () => {
    const opened = await bothAdapters[0][1]();
    try {
      const now = Date.now();
      const w = await seed(opened.stores, now);
      const lines: string[] = [];
      const deps = {
        ...testDeps(opened.stores, now),
        log: { info: () => undefined, error: (m: string) => void lines.push(`error ${m}`) },
      };
      const stop = startLearningLoop({
        deps,
        intervalMs: 20,
        simulation: null,
        print: (l) => lines.push(l),
      });
      // Until a training line is printed and the erasure has finished (a loaded machine may need
      // more than one round's budget for it); at most 10 s.
      const settled = async () =>
        lines.some((l) => /train /.test(l)) &&
        (await opened.stores.privacy.getErasure(subjectOf('gone', TEST_KEYS)))?.status === 'done';
      for (let i = 0; i < 1_000 && !(await settled()); i++)
        await new Promise((r) => setTimeout(r, 10));
      await stop();
      expect(lines[0]).toMatch(
        /^learning round 1: maintenance: purged 30 old events, 4 expired per-user counters; 1 erasures advanced$/,
      );
      await expectMaintained(opened.stores, w);
    } finally {
      await opened.cleanup();
    }
  });

  it('runs in `npm run train`', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-train-'));
    try {
      const stores = openSqliteStores({ dataDir });
      const now = Date.now();
      await seed(stores, now - GATE_TTL_MS);
      await stores.close();
      const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/host/train.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(
        /^maintenance: purged 30 old events, 4 expired per-user counters; 1 erasures advanced$/m,
      );
      const after = openSqliteStores({ dataDir });
      try {
        expect(await after.events.countForUser('u0')).toBe(0);
        expect(await after.privacy.getErasure(subjectOf('gone', TEST_KEYS))).toMatchObject({
          status: 'done',
        });
      } finally {
        await after.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
