/**
 * train's steps in a whole round, through the checkpointed-step runner: what they store keeps the
 * names deployed code wrote (leases, checkpoints, state and serving blobs, the propensity model),
 * so a deployment's data stays readable after an upgrade; and a step that throws is logged, keeps
 * its checkpoint, does not stop the steps after it, and is done by the next round.
 */
import { runRound } from '../../../server/learning/round';
import { SOCIAL_JOB } from '../../../server/learning/social-step';
import { PERF_JOB, PERF_ORDERS_JOB, perfStateKey } from '../../../server/learning/perf-step';
import { OCPC_JOB } from '../../../server/learning/ocpc-step';
import { SERVING_KEY } from '../../../server/learning/ocpc-state';
import { TRAIN_JOB } from '../../../server/learning/trainer-state';
import { PROPENSITY_MODEL_KEY, readPropensityModel } from '../../../server/learning/model-versions';
import { propensityPopulation } from '../../../server/learning/propensity-step';
import type { Stores } from '../../../server/ports';
import { makeEvent } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const MIN = 60_000;
let n = 0;
/** `sharer` shares, `opener` opens it: a tie for the social step, and events for perf to read. */
const shareOpened = (sharer: string, opener: string, at: number) => {
  const shareId = `${sharer}-${++n}`;
  const on = { serverTime: at, clientTime: at, page: 'pages/detail/index', itemId: 'i1' };
  return [
    makeEvent({ ...on, openid: sharer, type: 'share', props: { shareId, target: 'chat' } }),
    makeEvent({ ...on, openid: opener, type: 'share_open', props: { shareId } }),
  ];
};

describe.each(bothAdapters)("train's steps keep their stored names on %s", (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it('leases, checkpoints and blobs under the names deployed data has', async () => {
    // The names themselves: renaming one would orphan every deployment's stored checkpoint.
    expect([TRAIN_JOB, SOCIAL_JOB, PERF_JOB, PERF_ORDERS_JOB, OCPC_JOB]).toEqual([
      'train',
      'social',
      'perf',
      'perf.orders',
      'ocpc',
    ]);
    expect([SERVING_KEY, PROPENSITY_MODEL_KEY, perfStateKey(1)]).toEqual([
      'ocpc/serving.json',
      'payments/propensity.json',
      'perf/sessions/r1.json',
    ]);
    const { stores } = opened;
    const deps = testDeps(stores, NOW);
    await stores.events.append(shareOpened('ann', 'bob', NOW - 30 * MIN));
    await runRound(deps, 60_000);
    expect(deps.errors).toEqual([]);
    const cp = async (name: string) => {
      const c = await stores.checkpoints.get(name);
      return c && { rev: c.rev, stateKey: c.stateKey };
    };
    expect(await cp('social')).toEqual({ rev: 1, stateKey: 'social/state/r1.json' });
    expect(await cp('perf')).toEqual({ rev: 1, stateKey: null });
    expect(await cp('ocpc')).toEqual({ rev: 1, stateKey: 'ocpc/state/r1.json' });
    expect((await stores.checkpoints.get('train'))?.rev).toBe(1);
    for (const key of ['social/state/r1.json', 'ocpc/state/r1.json', 'ocpc/serving.json'])
      expect(await stores.blobs.get(key)).not.toBeNull();

    // The next round resumes from those checkpoints: r2 replaces r1, and the old tie is kept.
    await stores.events.append(shareOpened('bob', 'cid', NOW - 20 * MIN));
    const second = await runRound(deps, 60_000);
    expect(second.social).toMatchObject({ status: 'ok', events: 2, edges: 2 });
    expect(second.perf).toMatchObject({ status: 'ok', events: 2 });
    expect(await cp('social')).toEqual({ rev: 2, stateKey: 'social/state/r2.json' });
    expect(await stores.blobs.get('social/state/r1.json')).toBeNull();

    // Another instance holding a step's lease, by its stored name, makes that step skip.
    for (const job of ['social', 'perf', 'ocpc'])
      await stores.leases.acquire(job, 'other', NOW, MIN);
    const third = await runRound(deps, 60_000);
    expect([third.social?.status, third.perf?.status, third.ocpc?.status]).toEqual([
      'busy',
      'busy',
      'busy',
    ]);
  });

  it('reads a propensity model stored where and as deployed code wrote it', async () => {
    const deployed = {
      trainedAt: NOW,
      horizonDays: 30,
      baseRate: 0.2,
      users: 80,
      positives: 31,
      population: 120,
      family: 'lr',
      model: { family: 'lr' },
    };
    await opened.stores.blobs.put(
      'payments/propensity.json',
      new TextEncoder().encode(JSON.stringify(deployed)),
    );
    expect(await readPropensityModel(opened.stores.blobs)).toEqual(deployed);
    expect(await propensityPopulation(opened.stores)).toBe(120);
  });
});

describe('a step that throws in a round', () => {
  it('is logged, keeps its checkpoint, lets the later steps run, and is done by the next round', async () => {
    const opened = await bothAdapters[0][1]();
    try {
      const { stores } = opened;
      await stores.events.append([
        ...shareOpened('ann', 'bob', NOW - 30 * MIN),
        ...shareOpened('bob', 'cid', NOW - 30 * MIN),
      ]);
      // The social step's storage fails after it has read the log.
      const broken: Stores = {
        ...stores,
        social: new Proxy(stores.social, {
          get: (target, p, receiver) =>
            p === 'allFollows'
              ? () => Promise.reject(new Error('social store unavailable'))
              : (Reflect.get(target, p, receiver) as unknown),
        }),
      };
      const deps = testDeps(broken, NOW);
      const round = await runRound(deps, 60_000);
      expect(round.social).toBeNull();
      expect(deps.errors).toEqual(['social step failed {"error":"social store unavailable"}']);
      expect(await stores.checkpoints.get(SOCIAL_JOB)).toBeNull();
      expect(await stores.social.record('ann')).toBeNull();
      // The steps after it ran.
      expect(round.perf).toMatchObject({ status: 'ok', events: 4 });
      expect(round.payments).not.toBeNull();
      expect(round.ocpc).toMatchObject({ status: 'ok' });
      expect(round.hotQueries).not.toBeNull();
      // Its lease was released: the next round (storage back) does the work from the same place.
      const next = await runRound(testDeps(stores, NOW + MIN), 60_000);
      expect(next.social).toMatchObject({ status: 'ok', events: 4, edges: 2 });
      expect((await stores.checkpoints.get(SOCIAL_JOB))?.rev).toBe(1);
    } finally {
      await opened.cleanup();
    }
  });
});
