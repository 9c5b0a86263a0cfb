/** `train` on both adapters: lease under overlap, budget and resume, the promotion gate, rollback, damaged blobs. */
import { CtrFeatureTransformer } from '../../../server/engine/features/transformer';
import { createCtrModel, DEFAULT_CTR_CONFIG } from '../../../server/engine/models/defaults';
import { cardInput, userFeatures } from '../../../server/engine/training/features';
import { loadVersion, ServingModelCache } from '../../../server/learning/model-versions';
import { rollback, RollbackError } from '../../../server/learning/rollback';
import { runTraining, type TrainContext } from '../../../server/learning/training-run';
import type { Stores } from '../../../server/ports';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { slateTraffic } from '../../helpers/slate-traffic';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const MIN = 60_000;
// Several full training runs per test (the default click model is a field-aware FM).
jest.setTimeout(30_000);
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const CATS = ['美食', '旅行', '科技', '体育'];
const ITEMS = Array.from({ length: 40 }, (_, i) =>
  makeItem(`it-${i}`, { category: CATS[i % 4], tags: [`t${i % 4}`] }),
);

/** Users u0..u19 love one category each (u % 4); slates of 6 items; clicks follow love (or its opposite when `invert`). */
const USERS = Array.from({ length: 20 }, (_, i) => `u${i}`);
const traffic = (s: Stores, at: number, seed: number, slates = 60, invert = false): Promise<void> =>
  slateTraffic(s, { items: ITEMS, cats: CATS, users: USERS }, at, seed, slates, invert);

describe.each(bothAdapters)('train on %s', (_name, open) => {
  let opened: OpenedStores;
  let s: Stores;
  let now: number;
  const errors: string[] = [];
  const ctx = (): TrainContext => ({
    stores: s,
    now: () => now,
    log: { info: () => undefined, error: (m, f) => void errors.push(`${m} ${JSON.stringify(f)}`) },
  });
  const opts = { minExamples: 50 };

  beforeEach(async () => {
    opened = await open();
    s = opened.stores;
    errors.length = 0;
    await s.catalog.upsert(ITEMS);
    now = T0;
  });
  afterEach(() => opened.cleanup());

  /** Two rounds of traffic and training: v000001 and v000002, both promoted. */
  async function twoVersions(): Promise<void> {
    await traffic(s, T0, 1);
    now = T0 + 40 * MIN;
    expect(await runTraining(ctx(), opts)).toMatchObject({ version: 'v000001', promoted: true });
    await traffic(s, now, 2);
    now += 40 * MIN;
    expect(await runTraining(ctx(), opts)).toMatchObject({
      version: 'v000002',
      promoted: true,
      serving: 'v000002',
    });
  }

  it('numbers past a version left by a run that died before its checkpoint, and retires that orphan', async () => {
    await traffic(s, T0, 1);
    now = T0 + 40 * MIN;
    const save = s.checkpoints.save.bind(s.checkpoints);
    s.checkpoints.save = () => Promise.reject(new Error('instance killed'));
    await expect(runTraining(ctx(), opts)).rejects.toThrow('instance killed');
    s.checkpoints.save = save;
    expect(await s.models.get('v000001')).toMatchObject({ status: 'candidate' });

    now += 10 * MIN;
    expect(await runTraining(ctx(), opts)).toMatchObject({
      status: 'trained',
      version: 'v000002',
      promoted: true,
      serving: 'v000002',
    });
    expect(await s.models.get('v000001')).toMatchObject({
      status: 'retired',
      reason: expect.stringContaining('orphaned'),
    });
  });

  it('lets only one of two overlapping runs work; the other reports busy and changes nothing', async () => {
    await traffic(s, T0, 1);
    now = T0 + 40 * MIN;
    const [a, b] = await Promise.all([runTraining(ctx(), opts), runTraining(ctx(), opts)]);
    expect([a.status, b.status].sort()).toEqual(['busy', 'trained']);
    expect((await s.models.list(10)).map((v) => v.version)).toEqual(['v000001']);
    expect((await s.checkpoints.get('train'))?.rev).toBe(1);
    // A lease held by a live run blocks; once it expires, training proceeds.
    await s.leases.acquire('train', 'crashed-run', now, 60_000);
    expect((await runTraining(ctx(), opts)).status).toBe('busy');
    now += 61_000;
    expect((await runTraining(ctx(), opts)).status).toBe('idle');
  });

  it('stops reading at its time budget and resumes from the checkpoint without losing or repeating events', async () => {
    await traffic(s, T0, 1, 40); // 240 impressions + clicks
    now = T0 + 40 * MIN;
    let ticks = 0;
    const clock = () => 1000 * ticks++;
    const first = await runTraining(ctx(), { ...opts, pageSize: 50, budgetMs: 4000, clock });
    expect(first.more).toBe(true);
    let total = first.events;
    let examples = first.examples;
    for (let k = 0; k < 20; k++) {
      ticks = 0;
      const r = await runTraining(ctx(), { ...opts, pageSize: 50, budgetMs: 4000, clock });
      total += r.events;
      examples += r.examples;
      if (!r.more) break;
    }
    const stored = (await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 10_000)).events.length;
    expect(total).toBe(stored);
    expect(examples).toBe(240);
  });

  it('keeps a worse version as a candidate with the reason, and the serving one keeps serving', async () => {
    // Three rounds make a serving model that knows the users' tastes (profiles exist from round 2 on;
    // a middle round may stay a candidate: its 600 examples are compared within AUC noise).
    for (let r = 1; r <= 3; r++) {
      await traffic(s, now, r, 100);
      now += 40 * MIN;
      expect(await runTraining(ctx(), opts)).toMatchObject({ version: `v00000${r}` });
    }
    expect((await s.models.serving())?.version).toBe('v000003');
    // A head that learned the opposite of the users' tastes (as a bad deploy or poisoned data would).
    const bad = createCtrModel(DEFAULT_CTR_CONFIG);
    const tf = new CtrFeatureTransformer(DEFAULT_CTR_CONFIG.bits);
    const profiles = new Map(
      (await s.profiles.get(Array.from({ length: 20 }, (_, u) => `u${u}`))).map((p) => [
        p.openid,
        p,
      ]),
    );
    for (let k = 0; k < 4000; k++) {
      const u = k % 20;
      const it = ITEMS[(k * 7) % ITEMS.length];
      const x = tf.transform(
        cardInput(
          userFeatures(`u${u}`, profiles.get(`u${u}`) ?? null, now, true),
          { itemId: it.id, meta: it },
          { at: now, position: k % 6, scene: 1001 },
        ),
      );
      bad.learn(x, CATS.indexOf(it.category) === u % 4 ? 0 : 1);
    }
    await s.blobs.put('models/ctr/v000004.bin', bad.serialize());
    const v3 = (await s.models.get('v000003'))!;
    await s.models.add({
      ...v3,
      version: 'v000004',
      parent: 'v000003',
      status: 'candidate',
      reason: 'test: bad head',
      blobKey: 'models/ctr/v000004.bin',
    });
    const cp = (await s.checkpoints.get('train'))!;
    expect(
      await s.checkpoints.save({ ...cp, rev: cp.rev + 1, head: 'v000004', versions: 4 }, cp.rev),
    ).toBe(true);

    await traffic(s, now, 5, 100);
    now += 40 * MIN;
    const r = await runTraining(ctx(), opts);
    expect(r).toMatchObject({
      status: 'trained',
      version: 'v000005',
      promoted: false,
      serving: 'v000003',
    });
    expect(r.auc!).toBeLessThan(r.servingAuc! - 0.005);
    expect(r.servingAuc!).toBeGreaterThan(0.65);
    expect(r.reason).toMatch(/more than 0\.005 below .* of v000003/);
    expect(await s.models.get('v000005')).toMatchObject({
      status: 'candidate',
      parent: 'v000004',
      reason: r.reason,
    });
    expect((await s.models.serving())?.version).toBe('v000003');
  });

  it('stores the numeric statistics with each version, and the next run continues them', async () => {
    // Round 1 meets users without profiles (no behaviour statistics yet); rounds 2 and 3 have them.
    await twoVersions();
    await traffic(s, now, 3);
    now += 40 * MIN;
    expect(await runTraining(ctx(), opts)).toMatchObject({ version: 'v000003' });
    const v2 = await loadVersion(s, 'v000002');
    const v3 = await loadVersion(s, 'v000003');
    const n2 = v2.scaler.get('user.browse')?.count ?? 0;
    expect(n2).toBeGreaterThan(0);
    // Running: the third run started from the second version's statistics.
    expect(v3.scaler.get('user.browse')!.count).toBeGreaterThan(n2);
    // Serving loads the serving version's own statistics with it.
    const pointer = (await s.models.serving())!.version;
    const served = await new ServingModelCache(0).get(s, now, ctx().log);
    expect(served?.scaler.encode()).toBe((await loadVersion(s, pointer)).scaler.encode());
  });

  it.each([true, false])(
    'learns a share-graph community’s taste when graph features are on (%s), from the records serving reads',
    async (graphFeatures) => {
      // Each user's social record puts them in community u % 4, the category they love (homophily).
      for (let u = 0; u < 20; u++)
        await s.social.putRecord(
          {
            openid: `u${u}`,
            features: {
              degree: 3,
              activity: 2,
              influence: 1,
              clustering: 0.5,
              community: u % 4,
              sharedInterest: 0.8,
            },
            updatedAt: T0,
          },
          [],
        );
      for (let r = 1; r <= 3; r++) {
        await traffic(s, now, r, 100);
        now += 40 * MIN;
        expect(await runTraining(ctx(), { ...opts, graphFeatures })).toMatchObject({
          version: `v00000${r}`,
        });
      }
      // A newcomer with no profile, scored as serving would with only their graph record.
      const { model } = await loadVersion(s, 'v000003');
      const tf = new CtrFeatureTransformer(DEFAULT_CTR_CONFIG.bits);
      const favourite = (community: number): string => {
        const graph = {
          degree: 3,
          activity: 2,
          influence: 1,
          clustering: 0.5,
          community,
          sharedInterest: 0.8,
        };
        const mean = CATS.map((cat) => {
          const items = ITEMS.filter((it) => it.category === cat);
          const p = items.map((it) =>
            model.predict(
              tf.transform(
                cardInput(
                  userFeatures('newcomer', null, now, true, graph),
                  { itemId: it.id, meta: it },
                  { at: now, position: 0, scene: 1001 },
                ),
              ),
            ),
          );
          return p.reduce((a, b) => a + b, 0) / p.length;
        });
        return CATS[mean.indexOf(Math.max(...mean))];
      };
      const picks = [0, 1, 2, 3].map(favourite);
      if (graphFeatures) expect(picks).toEqual(CATS);
      // Off: the graph tokens were never learned, so the community changes nothing.
      else expect(new Set(picks).size).toBe(1);
    },
    // Three training runs with the field-aware FM, on a shared 2-core machine.
    120_000,
  );

  it('rolls back to an earlier version, and training continues from it', async () => {
    await twoVersions();
    expect(await rollback(s, 'v000001', now, ctx().log)).toEqual({
      from: 'v000002',
      to: 'v000001',
    });
    expect(await s.models.serving()).toMatchObject({
      version: 'v000001',
      reason: expect.stringContaining('from v000002 to v000001'),
    });
    expect(await s.models.get('v000002')).toMatchObject({
      status: 'candidate',
      reason: expect.stringContaining('rolled back'),
    });
    expect((await s.checkpoints.get('train'))?.head).toBe('v000001');
    await expect(rollback(s, 'v000001', now, ctx().log)).rejects.toThrow(/serving already/);
    await expect(rollback(s, 'v999999', now, ctx().log)).rejects.toThrow(/not in the registry/);
    await traffic(s, now, 4);
    now += 40 * MIN;
    expect(await runTraining(ctx(), opts)).toMatchObject({ version: 'v000003' });
    expect((await s.models.get('v000003'))?.parent).toBe('v000001');
    // No rollback while a run holds the lease.
    await s.leases.acquire('train', 'running', now, 60_000);
    await expect(rollback(s, 'v000002', now, ctx().log)).rejects.toThrow(RollbackError);
  });

  it('refuses a corrupted or truncated blob at load; the previous version keeps serving and training falls back', async () => {
    await traffic(s, T0, 1);
    now = T0 + 40 * MIN;
    await runTraining(ctx(), opts);
    const cache = new ServingModelCache(0);
    expect((await cache.get(s, now, ctx().log))?.meta.version).toBe('v000001');

    await traffic(s, now, 2);
    now += 40 * MIN;
    await runTraining(ctx(), opts);
    const blob = (await s.blobs.get('models/ctr/v000002.bin'))!;
    const flipped = blob.slice();
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;
    await s.blobs.put('models/ctr/v000002.bin', flipped);
    await expect(loadVersion(s, 'v000002')).rejects.toMatchObject({ code: 'MODEL_CHECKSUM' });
    await s.blobs.put('models/ctr/v000002.bin', blob.subarray(0, blob.length - 10));
    await expect(loadVersion(s, 'v000002')).rejects.toMatchObject({ code: 'MODEL_TRUNCATED' });

    const served = await cache.get(s, now + 1, ctx().log);
    expect(served?.meta.version).toBe('v000001');
    expect(errors.join('\n')).toMatch(/v000002.*MODEL_TRUNCATED/);

    // The trainer's head (v000002) is damaged and serving: a new run starts fresh rather than from garbage.
    await traffic(s, now, 3);
    now += 40 * MIN;
    const r = await runTraining(ctx(), opts);
    expect(r.skipped.unloadableModels).toBe(2);
    expect(r.version).toBe('v000003');
    expect((await s.models.get('v000003'))?.parent).toBeNull();
  });
});
