/**
 * The learning stores' contract (slate log, profiles, neighbours, model registry, checkpoints,
 * leases), written once and run against every adapter.
 */
import type {
  Checkpoint,
  ModelVersion,
  NeighbourList,
  ServedSlate,
  Stores,
  UserProfile,
} from '../../server/ports';
import type { OpenedStores } from '../helpers/sqlite-stores';

export function makeSlate(slateId: string, over: Partial<ServedSlate> = {}): ServedSlate {
  return {
    slateId,
    openid: 'user-a',
    servedAt: 1_700_000_000_000,
    modelVersion: null,
    variant: null,
    personalised: true,
    scene: 1001,
    cards: [
      { position: 0, itemId: 'item.1', score: 0.12, propensity: 1 },
      { position: 1, adId: 'ad-1', score: null, propensity: 0.25 },
    ],
    ...over,
  };
}

const makeVersion = (version: string, over: Partial<ModelVersion> = {}): ModelVersion => ({
  version,
  kind: 'lr',
  createdAt: 1_700_000_000_000,
  parent: null,
  examplesSeen: 10,
  metrics: {
    examples: 10,
    positives: 3,
    auc: 0.7,
    logLoss: 0.5,
    calibration: 1.1,
    servingAuc: null,
  },
  status: 'candidate',
  reason: 'new',
  blobKey: `models/ctr/${version}.bin`,
  ...over,
});

const makeCheckpoint = (rev: number, cursor: string | null): Checkpoint => ({
  name: 'train',
  rev,
  cursor,
  head: null,
  stateKey: null,
  versions: rev,
  updatedAt: 1_700_000_000_000 + rev,
});

export function describeLearningContract(name: string, open: () => Promise<OpenedStores>): void {
  describe(`learning stores contract: ${name}`, () => {
    let opened: OpenedStores;
    let s: Stores;
    beforeEach(async () => {
      opened = await open();
      s = opened.stores;
    });
    afterEach(() => opened.cleanup());

    describe('slate log', () => {
      it('stores slates with every field and returns them by id; unknown ids are left out', async () => {
        const a = makeSlate('slate-a');
        const b = makeSlate('slate-b', {
          openid: 'user-b',
          modelVersion: 'v000003',
          variant: 'exp:b',
          personalised: false,
          scene: null,
        });
        expect(await s.slates.append(a)).toBe(true);
        expect(await s.slates.append(b)).toBe(true);
        const got = await s.slates.get(['slate-b', 'nope', 'slate-a']);
        expect(got.sort((x, y) => x.slateId.localeCompare(y.slateId))).toEqual([a, b]);
        expect(await s.slates.get([])).toEqual([]);
      });

      it('keeps the first slate of an id', async () => {
        await s.slates.append(makeSlate('slate-a'));
        expect(await s.slates.append(makeSlate('slate-a', { openid: 'intruder' }))).toBe(false);
        expect((await s.slates.get(['slate-a']))[0].openid).toBe('user-a');
      });

      it('reads many slates in one call (beyond one lookup page)', async () => {
        const ids = Array.from({ length: 230 }, (_, i) => `s-${i}`);
        for (const id of ids) await s.slates.append(makeSlate(id));
        expect((await s.slates.get(ids)).map((x) => x.slateId).sort()).toEqual([...ids].sort());
      });
    });

    describe('profiles and neighbours', () => {
      const profile = (openid: string, w: number): UserProfile => ({
        openid,
        updatedAt: 1_700_000_000_000,
        interests: { 'cat:美食': w, 'tag:火锅.麻辣': w / 2, 'tag:$where': 1 },
        counts: { click: 3, impression: 10 },
        recent: [{ itemId: 'item.1', at: 1_700_000_000_000 }],
        lastActiveAt: 1_700_000_000_000,
      });
      it('puts and gets profiles by openid, replacing on put (keys with dots and dollars intact)', async () => {
        await s.profiles.put([profile('u1', 2), profile('u2', 3)]);
        await s.profiles.put([profile('u1', 5)]);
        const got = await s.profiles.get(['u1', 'u2', 'u3']);
        expect(got.sort((a, b) => a.openid.localeCompare(b.openid))).toEqual([
          profile('u1', 5),
          profile('u2', 3),
        ]);
      });

      it('puts and gets neighbour lists by item id', async () => {
        const l: NeighbourList = {
          itemId: 'item.1',
          updatedAt: 5,
          mass: 2.5,
          neighbours: [{ itemId: 'item.2', co: 1.5, score: 0.4 }],
        };
        await s.neighbours.put([l, { ...l, itemId: 'item.3', neighbours: [] }]);
        expect(await s.neighbours.get(['item.1', 'x'])).toEqual([l]);
      });

      it('deletes neighbour lists by item id, counting only those that existed', async () => {
        const l = (itemId: string): NeighbourList => ({
          itemId,
          updatedAt: 5,
          mass: 1,
          neighbours: [{ itemId: 'item.9', co: 0, score: 0.3 }],
        });
        await s.neighbours.put([l('item.1'), l('item.2'), l('item.3')]);
        expect(await s.neighbours.delete(['item.2', 'item.3', 'item.3', 'nope'])).toBe(2);
        expect(await s.neighbours.delete([])).toBe(0);
        expect(
          (await s.neighbours.get(['item.1', 'item.2', 'item.3'])).map((x) => x.itemId),
        ).toEqual(['item.1']);
      });

      it('replaces the whole set of neighbour lists: new ones written, every other one deleted (beyond one page)', async () => {
        const l = (itemId: string, score: number): NeighbourList => ({
          itemId,
          updatedAt: 5,
          mass: 1,
          neighbours: [{ itemId: 'item.x', co: 0, score }],
        });
        const old = Array.from({ length: 1_030 }, (_, i) => l(`old.${i}`, 0.1));
        await s.neighbours.put([...old, l('keep.1', 0.1)]);
        expect(await s.neighbours.replace([l('keep.1', 0.7), l('new.1', 0.5)])).toBe(1_030);
        const ids = ['keep.1', 'new.1', 'old.0', 'old.1029'];
        expect(
          (await s.neighbours.get(ids)).sort((a, b) => a.itemId.localeCompare(b.itemId)),
        ).toEqual([l('keep.1', 0.7), l('new.1', 0.5)]);
        // A second replacement deletes what the first wrote but this one does not name.
        expect(await s.neighbours.replace([l('new.1', 0.6)])).toBe(1);
        expect(await s.neighbours.get(ids)).toEqual([l('new.1', 0.6)]);
        expect(await s.neighbours.replace([])).toBe(1);
        expect(await s.neighbours.get(ids)).toEqual([]);
      });
    });

    describe('model registry', () => {
      it('records versions once, lists newest first, updates status', async () => {
        expect(await s.models.add(makeVersion('v000001'))).toBe(true);
        expect(await s.models.add(makeVersion('v000002', { parent: 'v000001' }))).toBe(true);
        expect(await s.models.add(makeVersion('v000001', { reason: 'again' }))).toBe(false);
        expect((await s.models.get('v000001'))?.reason).toBe('new');
        expect(await s.models.get('v9')).toBeNull();
        expect((await s.models.list(10)).map((v) => v.version)).toEqual(['v000002', 'v000001']);
        expect((await s.models.list(1)).map((v) => v.version)).toEqual(['v000002']);
        await s.models.setStatus('v000002', 'promoted', 'gate passed');
        expect(await s.models.get('v000002')).toEqual(
          makeVersion('v000002', { parent: 'v000001', status: 'promoted', reason: 'gate passed' }),
        );
        await expect(s.models.setStatus('v404', 'retired', 'x')).rejects.toThrow(
          /unknown model version/,
        );
      });

      it('swaps the serving pointer only from the expected version', async () => {
        expect(await s.models.serving()).toBeNull();
        const p1 = { version: 'v000001', since: 1, reason: 'first' };
        expect(await s.models.swapServing('v000009', p1)).toBe(false);
        expect(await s.models.swapServing(null, p1)).toBe(true);
        expect(await s.models.swapServing(null, { ...p1, version: 'v000002' })).toBe(false);
        expect(await s.models.serving()).toEqual(p1);
        const p2 = { version: 'v000002', since: 2, reason: 'better' };
        const [x, y] = await Promise.all([
          s.models.swapServing('v000001', p2),
          s.models.swapServing('v000001', { ...p2, version: 'v000003' }),
        ]);
        expect([x, y].filter(Boolean)).toHaveLength(1);
        expect(['v000002', 'v000003']).toContain((await s.models.serving())?.version);
      });
    });

    describe('checkpoints', () => {
      it('saves with compare-and-set on the revision', async () => {
        expect(await s.checkpoints.get('train')).toBeNull();
        expect(await s.checkpoints.save(makeCheckpoint(2, 'c'), 0)).toBe(false); // rev must be expected + 1
        expect(await s.checkpoints.save(makeCheckpoint(1, 'c1'), 0)).toBe(true);
        expect(await s.checkpoints.save(makeCheckpoint(1, 'other'), 0)).toBe(false);
        expect(await s.checkpoints.get('train')).toEqual(makeCheckpoint(1, 'c1'));
        const [a, b] = await Promise.all([
          s.checkpoints.save(makeCheckpoint(2, 'a'), 1),
          s.checkpoints.save(makeCheckpoint(2, 'b'), 1),
        ]);
        expect([a, b].filter(Boolean)).toHaveLength(1);
        expect(await s.checkpoints.save(makeCheckpoint(3, 'stale'), 1)).toBe(false);
        expect((await s.checkpoints.get('train'))?.rev).toBe(2);
      });
    });

    describe('leases', () => {
      it('grants one holder at a time until expiry, with increasing tokens', async () => {
        const t = 1_700_000_000_000;
        const a = await s.leases.acquire('train', 'run-a', t, 60_000);
        expect(a).toEqual({ name: 'train', holder: 'run-a', token: 1, expiresAt: t + 60_000 });
        expect(await s.leases.acquire('train', 'run-b', t + 59_999, 60_000)).toBeNull();
        expect(await s.leases.acquire('other', 'run-b', t, 1000)).not.toBeNull();
        // Re-acquiring one's own lease extends it.
        expect(await s.leases.acquire('train', 'run-a', t + 1000, 60_000)).toMatchObject({
          token: 2,
          expiresAt: t + 61_000,
        });
        const b = await s.leases.acquire('train', 'run-b', t + 61_000, 60_000);
        expect(b).toMatchObject({ holder: 'run-b', token: 3 });
      });

      it('lets exactly one of many concurrent acquirers win, and release frees it', async () => {
        const t = 1_700_000_000_000;
        const got = await Promise.all(
          Array.from({ length: 6 }, (_, i) => s.leases.acquire('train', `run-${i}`, t, 60_000)),
        );
        const winners = got.filter((l) => l !== null);
        expect(winners).toHaveLength(1);
        await s.leases.release('train', 'someone-else');
        expect(await s.leases.acquire('train', 'late', t + 1, 60_000)).toBeNull();
        await s.leases.release('train', winners[0]!.holder);
        expect(await s.leases.acquire('train', 'late', t + 1, 60_000)).toMatchObject({
          holder: 'late',
        });
      });
    });
  });
}
