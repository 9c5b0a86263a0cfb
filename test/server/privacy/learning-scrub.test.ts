/**
 * The erasure's learning step on both adapters: a warm `recommend` instance drops the user's
 * weights once the scrub has run (the serving pointer's weights revision moves, so it reloads the
 * same version), and a failure to list the campaigns (whose ids name the user's ad features)
 * keeps the job at that step, running, until a later advance succeeds.
 */
import { DEFAULT_CTR_CONFIG } from '../../../server/engine/models/defaults';
import { unpackModel } from '../../../server/engine/training/model-package';
import { CtrFeatureTransformer } from '../../../server/engine/features/transformer';
import { FeatureVector } from '../../../server/engine/features/vector';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import type { Learner } from '../../../server/engine/models/learner';
import { userBuckets } from '../../../server/engine/privacy/forget';
import { MODEL_CHECK_MS, ServingModelCache } from '../../../server/learning/model-versions';
import type { Stores } from '../../../server/ports';
import { advanceErasure, startErasure } from '../../../server/privacy/erasure';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { scrubLearning } from '../../../server/privacy/learning-scrub';
import { subjectOf } from '../../../server/privacy/subject';
import { makeCampaign } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { personalTraces } from '../../helpers/personal-scan';
import { testDeps, TEST_KEYS, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const ME = 'scrub-me-5c1e';
const OTHER = 'keep-me-9a07';
const BITS = DEFAULT_CTR_CONFIG.bits;
const transformer = new CtrFeatureTransformer(BITS);
const myBuckets = userBuckets(transformer, ME, ['camp-1']);

/** How many of ME's own buckets hold a weight in the model. */
const touched = (m: Learner): number =>
  myBuckets.filter((b) => (m as LogisticRegression).opt.n(b) !== 0).length;

/** A serving LR model that learned clicks of ME and OTHER on the ad camp-1. */
async function servingModel(stores: Stores): Promise<void> {
  const model = LogisticRegression.create(BITS, DEFAULT_CTR_CONFIG.linear);
  const x = new FeatureVector();
  for (let i = 0; i < 20; i++) {
    for (const id of [ME, OTHER]) {
      transformer.transform(
        { user: { id }, item: { id: `item-${i % 3}`, adId: 'camp-1' }, context: {} },
        x,
      );
      model.learn(x, i % 2);
    }
  }
  const blobKey = 'models/ctr/v000001.bin';
  await stores.blobs.put(blobKey, model.serialize());
  const metrics = {
    examples: 40,
    positives: 20,
    auc: 0.6,
    logLoss: 0.6,
    calibration: 1,
    servingAuc: null,
  };
  await stores.models.add({
    version: 'v000001',
    kind: 'lr',
    createdAt: NOW - 60_000,
    parent: null,
    examplesSeen: 40,
    metrics,
    status: 'promoted',
    reason: 'first',
    blobKey,
  });
  expect(
    await stores.models.swapServing(null, {
      version: 'v000001',
      since: NOW - 60_000,
      reason: 'first',
    }),
  ).toBe(true);
}

describe.each(bothAdapters)('erasure learning step on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.ads.upsertCampaigns([makeCampaign('camp-1')]);
    await servingModel(opened.stores);
  });
  afterEach(() => opened.cleanup());

  it('makes a warm instance reload the scrubbed serving version at its next check', async () => {
    const warm = new ServingModelCache(10_000);
    const before = (await warm.get(opened.stores, NOW, deps.log))!;
    expect(before.meta.version).toBe('v000001');
    expect(touched(before.model)).toBeGreaterThan(0);

    const r = await scrubLearning(opened.stores, ME, 'test', NOW + 1_000);
    expect(r).toMatchObject({ done: true });
    expect(r.weightsReset).toBeGreaterThan(0);
    const pointer = (await opened.stores.models.serving())!;
    expect(pointer).toMatchObject({ version: 'v000001', weightsRev: 1, since: NOW - 60_000 });

    // Within the check interval the instance still answers from memory; at the next check it reloads.
    expect((await warm.get(opened.stores, NOW + 5_000, deps.log))!.model).toBe(before.model);
    const after = (await warm.get(opened.stores, NOW + 10_000, deps.log))!;
    expect(after.model).not.toBe(before.model);
    expect(after.meta.version).toBe('v000001');
    expect(touched(after.model)).toBe(0);
    // OTHER's weights stay.
    const x = new FeatureVector();
    transformer.transform(
      { user: { id: OTHER }, item: { id: 'item-0', adId: 'camp-1' }, context: {} },
      x,
    );
    expect(after.model.predict(x)).toBeCloseTo(before.model.predict(x), 12);

    // A second scrub that finds nothing to reset leaves the pointer (no needless reloads).
    await scrubLearning(opened.stores, ME, 'test', NOW + 11_000);
    expect((await opened.stores.models.serving())!.weightsRev).toBe(1);
    expect((await warm.get(opened.stores, NOW + 20_000, deps.log))!.model).toBe(after.model);
  });

  it('deletes blobs it cannot scrub (a damaged version, a damaged trainer state) and still scrubs the rest', async () => {
    const s = opened.stores;
    const good = (await s.blobs.get('models/ctr/v000001.bin'))!;
    const damaged = good.slice();
    damaged[damaged.length >> 1] ^= 0xff;
    await s.blobs.put('models/ctr/v000002.bin', damaged);
    const metrics = {
      examples: 40,
      positives: 20,
      auc: 0.6,
      logLoss: 0.6,
      calibration: 1,
      servingAuc: null,
    };
    await s.models.add({
      version: 'v000002',
      kind: 'lr',
      createdAt: NOW,
      parent: 'v000001',
      examplesSeen: 80,
      metrics,
      status: 'candidate',
      reason: 'x',
      blobKey: 'models/ctr/v000002.bin',
    });
    await s.blobs.put(
      'train/state/r1.json',
      new TextEncoder().encode(`{"pending":[{"openid":"${ME}"`),
    );
    expect(
      await s.checkpoints.save(
        {
          name: 'train',
          rev: 1,
          cursor: null,
          head: 'v000002',
          stateKey: 'train/state/r1.json',
          versions: 2,
          updatedAt: NOW,
        },
        0,
      ),
    ).toBe(true);

    const r = await scrubLearning(s, ME, 'test', NOW + 1_000);
    expect(r).toMatchObject({ done: true, servingRewritten: true });
    expect(await s.blobs.get('models/ctr/v000002.bin')).toBeNull();
    expect(await s.models.get('v000002')).toMatchObject({
      status: 'retired',
      reason: expect.stringMatching(/unreadable/),
    });
    expect(await s.blobs.get('train/state/r1.json')).toBeNull();
    expect(touched(unpackModel((await s.blobs.get('models/ctr/v000001.bin'))!).model)).toBe(0);
    expect(
      personalTraces(await opened.dumpAll!(), ME).filter((t) => t.collection.startsWith('blob:')),
    ).toEqual([]);

    // A damaged serving version goes too, but keeps its status (recommend already refuses it).
    await s.blobs.put('models/ctr/v000001.bin', damaged);
    expect((await scrubLearning(s, ME, 'test', NOW + 2_000)).done).toBe(true);
    expect(await s.blobs.get('models/ctr/v000001.bin')).toBeNull();
    expect(await s.models.get('v000001')).toMatchObject({ status: 'promoted' });
  });

  it('keeps the job running at the learning step while the campaigns cannot be listed, and finishes once they can', async () => {
    await opened.stores.privacy.recordConsent(ME, {
      noticeVersion: 'v1',
      granted: true,
      at: NOW - 60_000,
    });
    const list = jest.spyOn(opened.stores.ads, 'listCampaignsByStatus');
    // One status of the four fails: a partial list would miss the user's ad features.
    list.mockRejectedValueOnce(new Error('database timeout'));
    let p = await startErasure(opened.stores, ME, NOW, TEST_KEYS, { log: deps.log });
    expect(p.status).toBe('running');
    expect(p.deleted.modelWeights).toBeUndefined();
    expect(deps.errors.join('\n')).toMatch(/erasure learning step failed.*database timeout/);
    const blob = async () =>
      unpackModel((await opened.stores.blobs.get('models/ctr/v000001.bin'))!).model;
    expect(touched(await blob())).toBeGreaterThan(0);
    // Past the gate's TTL, a failing advance still does not finish it.
    list.mockRejectedValue(new Error('database timeout'));
    p = await advanceErasure(opened.stores, subjectOf(ME, TEST_KEYS), NOW + GATE_TTL_MS + 1, {
      log: deps.log,
    });
    expect(p.status).toBe('running');
    expect(p.stepsDone).toBeLessThan(p.stepsTotal);
    expect(touched(await blob())).toBeGreaterThan(0);
    // The lease was released: once listing works, the next advance clears the weights; it is done
    // once warm instances have had their model check since (they hold the old weights until then).
    list.mockRestore();
    const scrubbed = NOW + GATE_TTL_MS + 2;
    p = await advanceErasure(opened.stores, subjectOf(ME, TEST_KEYS), scrubbed, { log: deps.log });
    expect(p.status).toBe('running');
    expect(p.deleted.modelWeights).toBeGreaterThan(0);
    expect(touched(await blob())).toBe(0);
    expect(
      (await advanceErasure(opened.stores, subjectOf(ME, TEST_KEYS), scrubbed + MODEL_CHECK_MS - 1))
        .status,
    ).toBe('running');
    expect(
      (await advanceErasure(opened.stores, subjectOf(ME, TEST_KEYS), scrubbed + MODEL_CHECK_MS))
        .status,
    ).toBe('done');
  });

  it('rewrites no model blob for a user the models never saw (issue 21: no writes when nothing changed)', async () => {
    const put = jest.spyOn(opened.stores.blobs, 'put');
    const r = await scrubLearning(opened.stores, 'never-seen-77', 'test', NOW + 1_000);
    expect(r).toMatchObject({ done: true, weightsReset: 0, servingRewritten: false });
    expect(put.mock.calls.map(([key]) => key).filter((k) => k.startsWith('models/'))).toEqual([]);
    put.mockRestore();
  });

  it('answers a restart right after a finished erasure without a new job or scrub (issue 21: erasure as DoS)', async () => {
    let p = await startErasure(opened.stores, ME, NOW, TEST_KEYS, { budgetMs: 60_000 });
    const finished = NOW + GATE_TTL_MS + MODEL_CHECK_MS + 1;
    for (let i = 0; p.status !== 'done' && i < 20; i++)
      p = await advanceErasure(opened.stores, subjectOf(ME, TEST_KEYS), finished, {
        budgetMs: 60_000,
      });
    expect(p.status).toBe('done');
    const job = await opened.stores.privacy.getErasure(subjectOf(ME, TEST_KEYS));
    const acquire = jest.spyOn(opened.stores.leases, 'acquire');
    const again = await startErasure(opened.stores, ME, finished + 5 * 60_000, TEST_KEYS, {
      budgetMs: 60_000,
    });
    expect(again.status).toBe('done');
    expect(acquire).not.toHaveBeenCalled();
    expect(await opened.stores.privacy.getErasure(subjectOf(ME, TEST_KEYS))).toEqual(job);
    // Past the window a restart is a new erasure (it may find new data).
    const later = await startErasure(opened.stores, ME, finished + 60 * 60_000, TEST_KEYS, {
      budgetMs: 0,
    });
    expect(later.status).toBe('running');
    acquire.mockRestore();
  });
});
