/**
 * The runner of train's checkpointed steps (server/learning/checkpointed-step.ts) with a step of
 * its own on real SQLite stores: a lease held elsewhere skips the step; a spent budget saves how
 * far it got and the next round resumes there, reading nothing twice; a step that throws is
 * logged, leaves its checkpoint where it was and its lease free, and the next step still runs.
 */
import {
  guarded,
  readLog,
  runCheckpointedStep,
  type CheckpointedStep,
  type StepOptions,
  type StepRun,
} from '../../../server/learning/checkpointed-step';
import type { Stores } from '../../../server/ports';
import { makeEvent } from '../../helpers/fixtures';
import { openTempSqliteStores } from '../../helpers/sqlite-stores';

const T = 1_800_000_000_000;
const JOB = 'demo';
const PAGE = 2;

interface DemoResult {
  status: 'ok' | 'busy' | 'conflict';
  read: string[];
  /** Events read by every round so far (the state the step carries between rounds). */
  total: number;
  more: boolean;
}

const event = (i: number) =>
  makeEvent({ openid: `u${i}`, eventId: `e${i}`, serverTime: T + i, clientTime: T + i });

/**
 * A step of the usual shape: reads the log in pages from its cursor (readLog) until half its
 * budget is spent, keeps a running count as its state blob, and advances. `fail` throws after reading.
 */
type Demo = CheckpointedStep<{ stores: Stores; now: () => number }, StepOptions, DemoResult>;

function demoStep(fail = false): Demo {
  return {
    job: JOB,
    leaseMs: (budgetMs) => budgetMs * 2 + 30_000,
    // Every look at the clock spends a second: with a 3 s budget, two pages a round.
    defaults: { budgetMs: 3_000, clock: () => 0 },
    busy: () => ({ status: 'busy', read: [], total: 0, more: false }),
    async work({ stores }, _opts, run: StepRun) {
      const { checkpoint } = run;
      const before = checkpoint.stateKey ? await stores.blobs.get(checkpoint.stateKey) : null;
      let total = before ? Number(new TextDecoder().decode(before)) : 0;
      const read: string[] = [];
      const { cursor, more } = await readLog(
        stores.events,
        run,
        { before: () => T + 1_000, pageSize: PAGE, share: 1 / 2 },
        (page) => void read.push(...page.map((e) => e.eventId)),
      );
      if (fail) throw new Error('storage went away');
      total += read.length;
      const saved = await checkpoint.advance({
        cursor,
        updatedAt: T,
        state: {
          key: `demo/state/r${checkpoint.nextRev}.json`,
          bytes: new TextEncoder().encode(String(total)),
        },
      });
      return { status: saved ? 'ok' : 'conflict', read, total, more };
    },
  };
}

describe('the checkpointed-step runner', () => {
  let stores: Stores;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ stores, cleanup } = await openTempSqliteStores());
    await stores.events.append(Array.from({ length: 10 }, (_, i) => event(i)));
  });
  afterEach(() => cleanup());

  const run = (step: Demo) => {
    let t = 0;
    return runCheckpointedStep(step, { stores, now: () => T }, { clock: () => (t += 1_000) });
  };

  it('skips the step while another instance holds its lease, and runs it once it is free', async () => {
    await stores.leases.acquire(JOB, 'other-instance', T, 60_000);
    let worked = false;
    const step = demoStep();
    const r = await run({
      ...step,
      work: (...args) => {
        worked = true;
        return step.work(...args);
      },
    });
    expect(r.status).toBe('busy');
    expect(worked).toBe(false);
    expect(await stores.checkpoints.get(JOB)).toBeNull();
    // The other holder's lease is untouched by the skipped step.
    expect(await stores.leases.acquire(JOB, 'third', T, 60_000)).toBeNull();
    await stores.leases.release(JOB, 'other-instance');
    expect((await run(step)).status).toBe('ok');
  });

  it('saves how far it got when the budget is spent, and the next round resumes there', async () => {
    const first = await run(demoStep());
    expect(first).toMatchObject({ status: 'ok', more: true, total: 4 });
    expect(first.read).toEqual(['e0', 'e1', 'e2', 'e3']);
    const cp1 = await stores.checkpoints.get(JOB);
    expect(cp1).toMatchObject({ rev: 1, stateKey: 'demo/state/r1.json' });

    const second = await run(demoStep());
    expect(second).toMatchObject({ status: 'ok', more: true, total: 8 });
    expect(second.read).toEqual(['e4', 'e5', 'e6', 'e7']);
    // The state moved on with the checkpoint: the previous blob is gone.
    expect(await stores.blobs.get('demo/state/r1.json')).toBeNull();

    const third = await run(demoStep());
    expect(third).toMatchObject({ status: 'ok', more: false, total: 10 });
    expect(third.read).toEqual(['e8', 'e9']);
    expect((await stores.checkpoints.get(JOB))?.rev).toBe(3);
    // Nothing read twice, nothing missed; the lease is free after every round.
    expect([...first.read, ...second.read, ...third.read]).toHaveLength(10);
    expect(await stores.leases.acquire(JOB, 'someone', T, 1_000)).not.toBeNull();
  });

  it('logs a step that throws, leaves its checkpoint and lease, and runs the next step', async () => {
    const errors: string[] = [];
    const log = { info: () => undefined, error: (msg: string) => void errors.push(msg) };
    await run(demoStep()); // rev 1, four events read
    const before = await stores.checkpoints.get(JOB);
    const other: Demo = { ...demoStep(), job: 'demo.other' };

    const failed = await guarded(log, 'demo step', () => run(demoStep(true)));
    const next = await guarded(log, 'other step', () => run(other));

    expect(failed).toBeNull();
    expect(errors).toEqual(['demo step failed']);
    expect(await stores.checkpoints.get(JOB)).toEqual(before);
    expect(await stores.blobs.get('demo/state/r2.json')).toBeNull();
    expect(next).toMatchObject({ status: 'ok', total: 4 });
    expect((await stores.checkpoints.get('demo.other'))?.rev).toBe(1);
    // The next round retries the failed one from where it stood: the same events again.
    const retried = await run(demoStep());
    expect(retried).toMatchObject({ status: 'ok', total: 8 });
    expect(retried.read).toEqual(['e4', 'e5', 'e6', 'e7']);
  });

  it('loses a checkpoint race cleanly: nothing saved, its new state deleted, the old one kept', async () => {
    await run(demoStep());
    const step = demoStep();
    const racing: Demo = {
      ...step,
      async work(env, opts, x) {
        // Another run (its lease expired under it) moved the checkpoint meanwhile.
        const cp = (await stores.checkpoints.get(JOB))!;
        await stores.checkpoints.save({ ...cp, rev: 2, updatedAt: T + 1 }, 1);
        return step.work(env, opts, x);
      },
    };
    const r = await run(racing);
    expect(r.status).toBe('conflict');
    expect(await stores.checkpoints.get(JOB)).toMatchObject({ rev: 2, updatedAt: T + 1 });
    expect(await stores.blobs.get('demo/state/r2.json')).toBeNull();
    expect(await stores.blobs.get('demo/state/r1.json')).not.toBeNull();
  });
});
