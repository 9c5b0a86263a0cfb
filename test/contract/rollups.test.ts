/** Contract of the rollups port on both adapters: sums added once per training revision, read whole, erased with the user. */
import { cellKey, foldEvents } from '../../server/engine/perf/rollup';
import { QuantileSketch } from '../../server/engine/perf/sketch';
import type { AdReportUnit, ExperimentUnit, PerfCell, StoredEvent } from '../../server/ports';
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
  refunds: 0,
  refundedFen: 0,
  ...over,
});

const ad = (
  day: string,
  dim: AdReportUnit['dim'],
  key: string,
  openid: string,
  over: Partial<AdReportUnit> = {},
): AdReportUnit => ({
  campaignId: 'camp-1',
  day,
  dim,
  key,
  openid,
  impressions: 3,
  clicks: 1,
  events: 0,
  paidFen: 0,
  ...over,
});

const adKey = (u: AdReportUnit) => [u.dim, u.day, u.key, u.openid].join('|');
const adSorted = (us: AdReportUnit[]) => [...us].sort((a, b) => (adKey(a) < adKey(b) ? -1 : 1));

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

  it('adds refunds and refunded amounts once per revision, beside the gross paid amount', async () => {
    const r = opened.stores.rollups;
    const paid = unit('u1', {
      variant: '*paid',
      impressions: 0,
      clicks: 0,
      likes: 0,
      paidFen: 900,
    });
    await r.addExperimentUnits(1, [paid]);
    const refund = { ...paid, paidFen: 0, refunds: 1, refundedFen: 400 };
    await r.addExperimentUnits(2, [refund]);
    await r.addExperimentUnits(2, [refund]); // a stopped run's sums again
    await r.addExperimentUnits(3, [{ ...refund, refundedFen: 500 }]);
    expect(await r.experimentUnits('exp-1')).toEqual([
      { ...paid, paidFen: 900, refunds: 2, refundedFen: 900 },
    ]);
  });

  it("keeps a unit's predicted propensity as first stored: never summed or replaced", async () => {
    const r = opened.stores.rollups;
    await r.addExperimentUnits(1, [unit('u1', { propensity: 0.25 }), unit('u2')]);
    await r.addExperimentUnits(2, [
      unit('u1', { propensity: 0.9 }),
      unit('u2', { propensity: 0.4 }),
    ]);
    expect(sorted(await r.experimentUnits('exp-1'))).toEqual([
      unit('u1', { impressions: 20, clicks: 4, likes: 2, propensity: 0.25 }),
      unit('u2', { impressions: 20, clicks: 4, likes: 2 }),
    ]);
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

  it("adds a run's campaign report rows once, reads them by days and dims, purges and erases the users' rows", async () => {
    const r = opened.stores.rollups;
    const run1 = [
      ad('20261101', 'day', '', ''),
      ad('20261101', 'position', '3', 'u1'),
      ad('20261102', 'position', '3', 'u1'),
      ad('20261102', 'scene', 'scene:1001', 'u2'),
      ad('20261102', 'scene', 'scene:1089', 'u2', { impressions: 0, clicks: 1 }),
      ad('20261102', 'day', '', '', { campaignId: 'camp-2' }),
    ];
    await r.addAdReportUnits(1, run1);
    await r.addAdReportUnits(1, run1); // a stopped run's rows again
    await r.addAdReportUnits(2, [ad('20261101', 'day', '', '', { impressions: 2, clicks: 0 })]);
    expect(adSorted(await r.adReportUnits('camp-1', ['20261101', '20261102'], ['day']))).toEqual([
      ad('20261101', 'day', '', '', { impressions: 5, clicks: 1 }),
    ]);
    expect(adSorted(await r.adReportUnits('camp-1', ['20261102'], ['position', 'scene']))).toEqual([
      ad('20261102', 'position', '3', 'u1'),
      ad('20261102', 'scene', 'scene:1001', 'u2'),
      ad('20261102', 'scene', 'scene:1089', 'u2', { impressions: 0, clicks: 1 }),
    ]);
    expect(await r.adReportUnits('camp-1', [], ['day'])).toEqual([]);
    // Retention: rows naming a user before the day go; the days' totals (no one named) stay.
    expect(await r.purgeAdReportUnitsBefore('20261102', 100)).toBe(1);
    expect(adSorted(await r.adReportUnits('camp-1', ['20261101'], ['day', 'position']))).toEqual([
      ad('20261101', 'day', '', '', { impressions: 5, clicks: 1 }),
    ]);
    while ((await opened.stores.personal.erase('ad_report_rollups', 'u2', 100)) > 0);
    expect(
      (await r.adReportUnits('camp-1', ['20261102'], ['position', 'scene'])).map((u) => u.openid),
    ).toEqual(['u1']);
  });

  it("reads every report row of a busy campaign's day (past one query page)", async () => {
    const many = Array.from({ length: 1_050 }, (_, i) =>
      ad('20261101', 'scene', 'scene:1001', `u${String(i).padStart(5, '0')}`),
    );
    await opened.stores.rollups.addAdReportUnits(1, many);
    expect(
      (await opened.stores.rollups.adReportUnits('camp-1', ['20261101'], ['scene'])).length,
    ).toBe(1_050);
  }, 60_000);
});

describe.each(bothAdapters)('perf rollups on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  const perf = (version: string, durations: number[]): StoredEvent[] =>
    durations.map((durationMs, i) => ({
      openid: 'u1',
      eventId: `${version}-${i}`,
      type: 'page_perf',
      serverTime: 1,
      clientTime: 1,
      clockSkewed: false,
      sessionId: 's',
      page: 'pages/detail/index',
      props: { metric: 'firstRender', durationMs, appVersion: version, platform: 'android' },
    }));
  const byKey = (cells: PerfCell[]) =>
    Object.fromEntries(
      cells.map((c) => [cellKey(c), { ...c, sketch: c.sketch && JSON.parse(c.sketch) }]),
    );

  it("merges a revision's cells once, however often applied, and later revisions on top", async () => {
    const r = opened.stores.rollups;
    const a = foldEvents([
      ...perf('1.0.0', [120, 80, 300]),
      { ...perf('1.0.0', [0])[0], type: 'tap', props: { feature: 'detail.like' } },
    ]);
    const b = foldEvents(perf('1.0.0', [90, 95]));
    const c = foldEvents(perf('1.1.0', [400]));
    await r.addPerfCells(1, a);
    await r.addPerfCells(1, a); // a stopped step's cells again
    await r.addPerfCells(2, [...b, ...c]);
    await r.addPerfCells(2, b);
    const stored = await r.perfCells();
    expect(byKey(stored)).toEqual(
      byKey(
        foldEvents([...perf('1.0.0', [120, 80, 300, 90, 95]), ...perf('1.1.0', [400])]).concat(
          foldEvents([
            { ...perf('1.0.0', [0])[0], type: 'tap', props: { feature: 'detail.like' } },
          ]),
        ),
      ),
    );
    const merged = stored.find((x) => x.version === '1.0.0' && x.metric === 'firstRender')!;
    expect(merged.count).toBe(5);
    expect(QuantileSketch.decode(merged.sketch!).quantile(1)).toBeCloseTo(300, -1);
  });

  it('reads every cell past one query page', async () => {
    const cells: PerfCell[] = Array.from({ length: 1_020 }, (_, i) => ({
      page: `pages/p${i}/index`,
      version: '1.0.0',
      platform: 'ios',
      metric: 'error.error',
      count: 1,
      sum: 1,
      sketch: null,
    }));
    await opened.stores.rollups.addPerfCells(1, cells);
    expect((await opened.stores.rollups.perfCells()).length).toBe(1_020);
  }, 60_000);
});
