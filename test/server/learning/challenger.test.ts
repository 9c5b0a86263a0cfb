/** The challenger beside the champion: the engine's gate on generated windows, and `train` running it within its budget on both adapters. */
import { FeatureHasher } from '../../../server/engine/features/hasher';
import { FeatureVector } from '../../../server/engine/features/vector';
import { DEFAULT_CTR_CONFIG, defaultCandidates } from '../../../server/engine/models/defaults';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import { mulberry32 } from '../../../server/engine/models/rng';
import {
  challenge,
  ChallengerWindow,
  DEFAULT_CHALLENGE,
} from '../../../server/engine/training/challenger';
import { runTraining, type TrainContext } from '../../../server/learning/training-run';
import type { Stores } from '../../../server/ports';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { slateTraffic } from '../../helpers/slate-traffic';
import type { OpenedStores } from '../../helpers/sqlite-stores';

jest.setTimeout(60_000);

const BITS = 16;
const CONFIG = {
  ...DEFAULT_CTR_CONFIG,
  bits: BITS,
  select: {
    ...DEFAULT_CTR_CONFIG.select!,
    candidates: defaultCandidates({ ...DEFAULT_CTR_CONFIG, bits: BITS }),
  },
};

/** Additive clicks over ids (user, item): a window where a plain model does well. */
function* additive(seed: number): Generator<[FeatureVector, number]> {
  const rand = mulberry32(seed);
  const h = new FeatureHasher(BITS);
  const x = new FeatureVector();
  for (;;) {
    const user = Math.floor(rand() * 200);
    const item = Math.floor(rand() * 100);
    const t = -1.2 + (user % 5) * 0.5 - (item % 4) * 0.6;
    x.clear();
    h.add(x, 'user', String(user));
    h.add(x, 'item', String(item));
    yield [x, rand() < 1 / (1 + Math.exp(-t)) ? 1 : 0];
  }
}

describe('challenge (engine)', () => {
  it('replaces a champion that predicts nothing with the model the window chose', () => {
    const win = new ChallengerWindow(10_000);
    const gen = additive(1);
    // The champion knows nothing (a constant prediction, AUC 0.5).
    for (let i = 0; i < 8_000; i++) {
      const [x, y] = gen.next().value as [FeatureVector, number];
      win.add(x, y, 0.3);
    }
    const r = challenge(win, { ...DEFAULT_CHALLENGE, config: CONFIG })!;
    expect(r.verdict.promote).toBe(true);
    expect(r.chosen).toMatch(/^lr/);
    expect(r.model).toBeInstanceOf(LogisticRegression);
    expect(r.auc).toBeGreaterThan(r.championAuc + 0.1);
    expect(r.servingAuc).toBeNull();
  });

  it('keeps a champion that has learned far more than the window holds', () => {
    const champion = LogisticRegression.create(BITS, DEFAULT_CTR_CONFIG.linear);
    const gen = additive(2);
    for (let i = 0; i < 200_000; i++) {
      const [x, y] = gen.next().value as [FeatureVector, number];
      champion.learn(x, y);
    }
    const win = new ChallengerWindow(10_000);
    for (let i = 0; i < 1_500; i++) {
      const [x, y] = gen.next().value as [FeatureVector, number];
      win.add(x, y, champion.learn(x, y)!);
    }
    const r = challenge(win, { ...DEFAULT_CHALLENGE, config: CONFIG })!;
    expect(r.championAuc).toBeGreaterThan(r.auc);
    expect(r.verdict.promote).toBe(false);
    expect(r.verdict.reason).toContain('below');
  });

  it('trains nothing on a window too small to compare', () => {
    const win = new ChallengerWindow(10_000);
    const gen = additive(3);
    for (let i = 0; i < 500; i++) {
      const [x, y] = gen.next().value as [FeatureVector, number];
      win.add(x, y, 0.3);
    }
    expect(challenge(win, { ...DEFAULT_CHALLENGE, config: CONFIG })).toBeNull();
    // A full window stops recording.
    const small = new ChallengerWindow(2);
    const [x, y] = gen.next().value as [FeatureVector, number];
    expect([small.add(x, y, 0.5), small.add(x, y, 0.5), small.add(x, y, 0.5)]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const CATS = ['美食', '旅行', '科技', '体育'];
const ITEMS = Array.from({ length: 40 }, (_, i) =>
  makeItem(`it-${i}`, { category: CATS[i % 4], tags: [`t${i % 4}`] }),
);
const USERS = Array.from({ length: 20 }, (_, i) => `u${i}`);

describe.each(bothAdapters)('train runs the challenger on %s', (_name, open) => {
  let opened: OpenedStores;
  let s: Stores;
  let now = T0;
  const ctx = (): TrainContext => ({
    stores: s,
    now: () => now,
    log: { info: () => undefined, error: () => undefined },
  });

  beforeEach(async () => {
    opened = await open();
    s = opened.stores;
    await s.catalog.upsert(ITEMS);
    now = T0;
  });
  afterEach(() => opened.cleanup());

  it('trains a challenger beside the champion within the run budget, and the gate decides', async () => {
    const world = { items: ITEMS, cats: CATS, users: USERS };
    for (let k = 0; k < 4; k++) await slateTraffic(s, world, T0 + k * MIN, 10 + k, 60);
    now = T0 + 60 * MIN;
    const budgetMs = 20_000;
    const r = await runTraining(ctx(), { minExamples: 50, budgetMs });
    expect(r).toMatchObject({ status: 'trained', version: 'v000001', promoted: true });
    expect(r.examples).toBeGreaterThanOrEqual(1_000);
    expect(r.challenger).toBeDefined();
    expect(CONFIG.select.candidates.map((c) => c.name)).toContain(r.challenger!.model);
    expect(r.challenger!.reason).toMatch(/AUC/);
    expect(r.elapsedMs).toBeLessThanOrEqual(budgetMs);
    // The version issued is of the kind that won: the challenger's when it replaced the champion.
    const kind = (await s.models.get('v000001'))!.kind;
    if (r.challenger!.replaced) expect(r.challenger!.model.startsWith(kind)).toBe(true);
    else expect(kind).toBe(DEFAULT_CTR_CONFIG.model);
  });

  it('skips the challenger when the reading used up the budget', async () => {
    // The same traffic as above: enough rows for a challenger, but no time left for one.
    const world = { items: ITEMS, cats: CATS, users: USERS };
    for (let k = 0; k < 4; k++) await slateTraffic(s, world, T0 + k * MIN, 10 + k, 60);
    now = T0 + 60 * MIN;
    let t = 0;
    // Each clock read moves 1 s on: reading stops at 75 % of a 4 s budget, past the challenger's 85 %.
    const r = await runTraining(ctx(), {
      minExamples: 50,
      budgetMs: 4_000,
      clock: () => (t += 1_000),
    });
    expect(r.status).toBe('trained');
    expect(r.challenger).toBeUndefined();
  });
});
