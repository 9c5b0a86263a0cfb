/**
 * `train` under storage faults (issue 22): a full disk on the blob directory, a failed checkpoint
 * write, a cloud transport that times out, answers 5xx or applies a write and loses the answer —
 * at each storage request of a run in turn. The failed run answers a stable code; the next timer
 * run then leaves exactly what one clean run leaves: the same serving weights (byte for byte),
 * examples seen, checkpoint cursor and profiles — nothing learned twice, nothing skipped. Also a
 * clock that jumps back while a run holds the lease.
 */
import { createHash } from 'node:crypto';
import { failpoints } from '../../../server/adapters/failpoints';
import train from '../../../server/functions/train';
import type { Stores } from '../../../server/ports';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { cloudTransport, openTempCloudStores } from '../../helpers/adapters';
import type { TransportFault } from '../../helpers/cloud-transport';
import { testDeps } from '../../helpers/deps';
import { slateTraffic } from '../../helpers/slate-traffic';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const CATS = ['美食', '旅行', '科技', '体育'];
const ITEMS = Array.from({ length: 24 }, (_, i) =>
  makeItem(`it-${i}`, { category: CATS[i % CATS.length], publishedAt: T0 - i * MIN }),
);
const USERS = Array.from({ length: 8 }, (_, i) => `u${i}`);
const handler = toHandler(train);
/** The first run, and the next timer run (after the lease a failed run may have kept runs out). */
const RUN_AT = [T0 + 40 * MIN, T0 + 45 * MIN];

interface Learned {
  weights: string | null;
  examplesSeen: number | null;
  cursor: string | null;
  profiles: string;
}

async function learned(s: Stores): Promise<Learned> {
  const pointer = await s.models.serving();
  const meta = pointer ? await s.models.get(pointer.version) : null;
  const blob = meta ? await s.blobs.get(meta.blobKey) : null;
  const cp = await s.checkpoints.get('train');
  const profiles = await s.profiles.get(USERS);
  return {
    weights: blob ? createHash('sha256').update(blob).digest('hex') : null,
    examplesSeen: meta?.examplesSeen ?? null,
    cursor: cp?.cursor ?? null,
    // Without the stamps of when and by which checkpoint revision they were written.
    profiles: createHash('sha256')
      .update(
        profiles
          .map((p) => JSON.stringify({ ...p, updatedAt: undefined, trainRev: undefined }))
          .sort()
          .join('\n'),
      )
      .digest('hex'),
  };
}

async function world(open: () => Promise<OpenedStores>) {
  const opened = await open();
  const deps = testDeps(opened.stores, T0);
  await opened.stores.catalog.upsert(ITEMS);
  await slateTraffic(opened.stores, { items: ITEMS, cats: CATS, users: USERS }, T0, 7, 40);
  const run = async (i: number) => {
    deps.setNow(RUN_AT[i]!);
    return handler({ payload: {}, openid: undefined }, deps);
  };
  return { opened, deps, run };
}

describe.each([
  ['sqlite', openTempSqliteStores],
  ['cloud', openTempCloudStores],
] as const)('train under storage faults on %s', (name, open) => {
  let control: Learned;
  let requests = 0;

  beforeAll(async () => {
    const w = await world(open);
    const count = () => cloudTransport()?.actions.length ?? 0;
    const before = count();
    const first = await w.run(0);
    expect(first).toMatchObject({ ok: true, data: { status: 'trained', promoted: true } });
    requests = count() - before;
    expect(await w.run(1)).toMatchObject({ ok: true, data: { status: 'idle' } });
    control = await learned(w.opened.stores);
    expect(control.weights).not.toBeNull();
    await w.opened.cleanup();
  });
  afterEach(() => failpoints.clear());

  async function failThenRecover(arm: () => void, fired: () => boolean): Promise<void> {
    const w = await world(open);
    try {
      arm();
      const first = await w.run(0);
      const didFire = fired();
      failpoints.clear();
      cloudTransport()?.faults.clear();
      if (!didFire) return;
      if (!first.ok) {
        expect(['UNAVAILABLE', 'INTERNAL']).toContain(first.code);
        expect(first.message).toMatch(/稍后重试/);
      }
      const second = await w.run(1);
      expect(second).toMatchObject({ ok: true });
      const got = await learned(w.opened.stores);
      if (JSON.stringify(got) !== JSON.stringify(control))
        console.log(
          JSON.stringify(
            { first, second, versions: await w.opened.stores.models.list(5) },
            null,
            1,
          ),
        );
      expect(got).toEqual(control);
    } finally {
      await w.opened.cleanup();
    }
  }

  if (name === 'sqlite') {
    it.each([
      ['blobs.put', 'ENOSPC'],
      ['sqlite.checkpoints.save', 'SQLITE_FULL'],
      ['sqlite.write', 'SQLITE_IOERR'],
    ])('%s failing with %s at each of its hits in turn', async (point, code) => {
      for (let k = 0; k < 6; k++) {
        let fired = false;
        await failThenRecover(
          () => failpoints.set(point, { on: 'after', k }, { do: 'error', code }),
          () => (fired = failpoints.stats(point).fired > 0),
        ).catch((err: unknown) => {
          throw new Error(`${point} after ${k} hits: ${String(err)}`);
        });
        if (!fired) break;
      }
    });

    it('a full disk: the run answers UNAVAILABLE; nothing is promoted or checkpointed', async () => {
      const w = await world(open);
      try {
        failpoints.set('blobs.put', { on: 'always' }, { do: 'error', code: 'ENOSPC' });
        expect(await w.run(0)).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
        expect(await w.opened.stores.models.serving()).toBeNull();
        expect(await w.opened.stores.checkpoints.get('train')).toBeNull();
      } finally {
        await w.opened.cleanup();
      }
    });
  } else {
    const faults: TransportFault[] = ['timeout', '5xx', 'applied-then-timeout'];
    it.each(faults)(
      'a transport %s at storage requests across the run',
      async (fault) => {
        expect(requests).toBeGreaterThan(5);
        // Every request of a short run would be ~requests × 3 runs: a spread of them, ends included.
        const step = Math.max(1, Math.floor(requests / 12));
        const at = [...new Set([0, 1, ...range(0, requests, step), requests - 2, requests - 1])];
        for (const k of at) {
          await failThenRecover(
            () => cloudTransport()!.faults.add(fault, '', 1, k),
            () => cloudTransport()!.faults.met[fault] > 0,
          ).catch((err: unknown) => {
            throw new Error(`${fault} at request ${k + 1} of ${requests}: ${String(err)}`);
          });
        }
      },
      60_000,
    );
  }
});

describe.each([
  ['sqlite', openTempSqliteStores],
  ['cloud', openTempCloudStores],
] as const)('train when the clock jumps back on %s', (name, open) => {
  it('the lease still holds against a second run, and a run on the earlier clock learns nothing twice', async () => {
    const control = await (async () => {
      const w = await world(open);
      await w.run(0);
      await w.run(1);
      const l = await learned(w.opened.stores);
      await w.opened.cleanup();
      return l;
    })();
    const w = await world(open);
    try {
      const s = w.opened.stores;
      // A run that started at RUN_AT[0] holds the lease; this instance's clock is an hour behind.
      expect(await s.leases.acquire('train', 'a-running-run', RUN_AT[0]!, 90_000)).not.toBeNull();
      w.deps.setNow(RUN_AT[0]! - 60 * MIN);
      const call = () => handler({ payload: {}, openid: undefined }, w.deps);
      expect(await call()).toMatchObject({ ok: true, data: { status: 'busy' } });
      await s.leases.release('train', 'a-running-run');
      // On the earlier clock the traffic is in the future: nothing settled to read yet.
      expect(await call()).toMatchObject({ ok: true, data: { status: 'idle' } });
      await w.run(0);
      await w.run(1);
      expect(await learned(s)).toEqual(control);
    } finally {
      await w.opened.cleanup();
    }
  });

  // Known gap on the cloud (docs/reliability.md#known-gaps): its event cursor is (server time, id), so
  // an event stamped more than the settle margin (5 s) behind the cursor by an instance whose clock
  // is behind is never read. SQLite's cursor is the insertion sequence. `it.failing` turns green
  // into red the day the cloud adapter stamps events with the database's clock.
  const cloudGap = name === 'cloud' ? it.failing : it;
  cloudGap(
    'events stamped behind the checkpoint by a store whose clock jumped back are still learned',
    async () => {
      const w = await world(open);
      try {
        const s = w.opened.stores;
        expect(await w.run(0)).toMatchObject({ ok: true, data: { status: 'trained' } });
        const seen = (await learned(s)).examplesSeen!;
        // A track instance whose clock is 20 minutes behind stores more traffic after that run.
        await slateTraffic(s, { items: ITEMS, cats: CATS, users: USERS }, T0 - 20 * MIN, 8, 20);
        w.deps.setNow(T0 + 90 * MIN);
        const r = await handler({ payload: {}, openid: undefined }, w.deps);
        expect(r).toMatchObject({ ok: true });
        expect((r as { data: { events: number } }).data.events).toBeGreaterThan(0);
        expect((await learned(s)).examplesSeen).toBeGreaterThan(seen);
      } finally {
        await w.opened.cleanup();
      }
    },
  );
});

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i += step) out.push(i);
  return out;
}
