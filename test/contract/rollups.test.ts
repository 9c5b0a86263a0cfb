/** Contract of the rollups port on both adapters: sums added once per training revision, read whole, erased with the user. */
import type { ExperimentUnit } from '../../server/ports';
import { bothAdapters } from '../helpers/adapters';
import type { OpenedStores } from '../helpers/sqlite-stores';

const unit = (openid: string, over: Partial<ExperimentUnit> = {}): ExperimentUnit => ({
  experimentId: 'exp-1',
  variant: 'control',
  openid,
  impressions: 10,
  clicks: 2,
  likes: 1,
  paidFen: 0,
  ...over,
});

const sorted = (us: ExperimentUnit[]) => [...us].sort((a, b) => (a.openid < b.openid ? -1 : 1));

describe.each(bothAdapters)('rollups on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it("adds a revision's sums once, however often applied, and later revisions on top", async () => {
    const r = opened.stores.rollups;
    await r.addExperimentUnits(1, [unit('u1'), unit('u2', { variant: 'b' })]);
    await r.addExperimentUnits(1, [unit('u1'), unit('u2', { variant: 'b' })]); // a stopped run's sums again
    await r.addExperimentUnits(2, [unit('u1', { impressions: 5, clicks: 0, paidFen: 300 })]);
    await r.addExperimentUnits(2, [unit('u1', { impressions: 5, clicks: 0, paidFen: 300 })]);
    await r.addExperimentUnits(3, [unit('u3', { experimentId: 'exp-2' })]);
    expect(sorted(await r.experimentUnits('exp-1'))).toEqual([
      unit('u1', { impressions: 15, clicks: 2, likes: 2, paidFen: 300 }),
      unit('u2', { variant: 'b' }),
    ]);
    expect(await r.experimentUnits('exp-2')).toEqual([unit('u3', { experimentId: 'exp-2' })]);
    expect(await r.experimentUnits('none')).toEqual([]);
  });

  it('reads every unit of a big experiment (past one query page)', async () => {
    const many = Array.from({ length: 1_050 }, (_, i) => unit(`u${String(i).padStart(5, '0')}`));
    await opened.stores.rollups.addExperimentUnits(1, many);
    expect((await opened.stores.rollups.experimentUnits('exp-1')).length).toBe(1_050);
  }, 60_000); // 1,050 documents through the in-memory cloud service

  it("erases a user's units with the user", async () => {
    const r = opened.stores.rollups;
    await r.addExperimentUnits(1, [unit('u1'), unit('u2')]);
    while ((await opened.stores.personal.erase('experiment_rollups', 'u1', 100)) > 0);
    expect((await r.experimentUnits('exp-1')).map((u) => u.openid)).toEqual(['u2']);
  });
});
