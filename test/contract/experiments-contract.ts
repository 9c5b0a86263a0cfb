/** The ExperimentStore contract, run against every adapter. */
import type { Experiment } from '../../server/engine/experiments/definition';
import type { ExperimentStore } from '../../server/ports';

export function makeExperiment(id: string, over: Partial<Experiment> = {}): Experiment {
  return {
    id,
    merchantId: 'm1',
    name: `exp ${id}`,
    parameter: 'feed.diversity',
    buckets: 5000,
    range: null,
    variants: [
      { name: 'control', weight: 1, value: 0.08 },
      { name: 'strong', weight: 1, value: 0.3 },
    ],
    targetMetric: 'ctr',
    guardrails: ['likes_per_impression'],
    status: 'draft',
    salt: `salt-${id}`,
    createdAt: 1_700_000_000_000,
    startedAt: null,
    stoppedAt: null,
    version: 1,
    ...over,
  };
}

export function describeExperimentsContract(
  name: string,
  open: () => Promise<{ experiments: ExperimentStore; cleanup: () => Promise<void> }>,
): void {
  describe(`experiments contract: ${name}`, () => {
    let s: ExperimentStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ experiments: s, cleanup } = await open());
    });
    afterEach(() => cleanup());

    it('stores an experiment whole and refuses a second with the same id', async () => {
      const e = makeExperiment('e1', {
        variants: [
          { name: 'a', weight: 1, value: [3, 10] },
          { name: 'b', weight: 2, value: [2, 9, 16] },
        ],
        parameter: 'ads.slots',
      });
      expect(await s.create(e)).toBe(true);
      expect(await s.create({ ...e, name: 'other' })).toBe(false);
      expect(await s.get('e1')).toEqual(e);
      expect(await s.get('nope')).toBeNull();
    });

    it('lists by owner (a merchant, the platform, everyone) and status, newest first', async () => {
      await s.create(makeExperiment('a', { createdAt: 1 }));
      await s.create(makeExperiment('b', { createdAt: 3, status: 'running', range: [0, 5000] }));
      await s.create(makeExperiment('c', { createdAt: 2, merchantId: 'm2' }));
      await s.create(makeExperiment('p', { createdAt: 4, merchantId: null }));
      expect((await s.list({ merchantId: 'm1' })).map((e) => e.id)).toEqual(['b', 'a']);
      expect((await s.list({ merchantId: null })).map((e) => e.id)).toEqual(['p']);
      expect((await s.list({})).map((e) => e.id)).toEqual(['p', 'b', 'c', 'a']);
      expect((await s.list({ status: 'running' })).map((e) => e.id)).toEqual(['b']);
      expect(await s.list({ merchantId: 'm1', status: 'stopped' })).toEqual([]);
    });

    it('updates compare-and-set on the version: a stale writer changes nothing', async () => {
      const e = makeExperiment('e1');
      await s.create(e);
      const started: Experiment = {
        ...e,
        status: 'running',
        range: [2000, 7000],
        startedAt: 5,
        version: 2,
      };
      expect(await s.update(started, 1)).toBe(true);
      expect(await s.update({ ...e, status: 'stopped', version: 2 }, 1)).toBe(false);
      expect(await s.get('e1')).toEqual(started);
      expect((await s.list({ status: 'running' })).map((x) => x.id)).toEqual(['e1']);
      const stopped: Experiment = {
        ...started,
        status: 'stopped',
        stoppedAt: 9,
        range: null,
        version: 3,
      };
      expect(await s.update(stopped, 2)).toBe(true);
      expect(await s.get('e1')).toEqual(stopped);
      expect(await s.update(makeExperiment('ghost', { version: 2 }), 1)).toBe(false);
    });
  });
}
