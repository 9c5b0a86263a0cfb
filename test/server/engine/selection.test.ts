import { ExampleBatch } from '../../../server/engine/features/examples';
import { FeatureHasher } from '../../../server/engine/features/hasher';
import { FeatureVector } from '../../../server/engine/features/vector';
import { auc } from '../../../server/engine/metrics/auc';
import {
  DEFAULT_CTR_CONFIG,
  DEFAULT_SELECTION,
  defaultCandidates,
} from '../../../server/engine/models/defaults';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import { FieldAwareFM } from '../../../server/engine/models/ffm';
import { mulberry32 } from '../../../server/engine/models/rng';
import {
  checkSelection,
  significantlyBetter,
  survivors,
  trainSelecting,
} from '../../../server/engine/models/selection';
import type { ModelCandidate, SelectionParams } from '../../../server/engine/models/selection';

const BITS = 16;
const SELECTION: SelectionParams = {
  ...DEFAULT_SELECTION,
  candidates: defaultCandidates({ ...DEFAULT_CTR_CONFIG, bits: BITS }),
};
const ES = DEFAULT_CTR_CONFIG.earlyStopping!;
/** The candidates the halving runs (batch candidates enter at its last rung). */
const ONLINE = SELECTION.candidates.filter((c) => !c.batch);

/**
 * Online logistic regressions the default no longer lists (a batch LR before them finishes the
 * linear family, so they could only stand for it in the halving): FTRL with the default
 * regularisation (L1 0.5, L2 10) and with larger steps. Used as baselines and to give the halving
 * more than one rung.
 */
const extraLrs = (bits: number): ModelCandidate[] => {
  const { select: _, ...plain } = { ...DEFAULT_CTR_CONFIG, bits };
  return [
    { name: 'lr', config: { ...plain, model: 'lr' } },
    {
      name: 'lr-fast',
      config: { ...plain, model: 'lr', linear: { ...plain.linear, alpha: 0.5, l1: 0, l2: 3 } },
    },
  ];
};

/**
 * Additive clicks over high-cardinality ids (no interaction at all): each user, item and
 * publisher id has its own effect, the kind of log where plain logistic regression is right.
 */
function additiveStream(n: number, seed: number): { data: ExampleBatch; p: number[] } {
  const rand = mulberry32(seed);
  const effect = (field: number, id: number): number => {
    const r = mulberry32((field * 1_000_003 + id) ^ 0x9e3779b9);
    return 1.6 * (r() + r() + r() - 1.5);
  };
  const h = new FeatureHasher(BITS);
  const data = new ExampleBatch();
  const p: number[] = [];
  const x = new FeatureVector();
  for (let r = 0; r < n; r++) {
    // Skewed ids (a few frequent, many rare), as in real logs.
    const user = Math.floor(3000 * rand() ** 2);
    const item = Math.floor(800 * rand() ** 2);
    const site = Math.floor(60 * rand());
    const t = -1.8 + effect(1, user) + effect(2, item) + effect(3, site);
    const q = 1 / (1 + Math.exp(-t));
    x.clear();
    h.add(x, 'user', String(user));
    h.add(x, 'item', String(item));
    h.add(x, 'site', String(site));
    data.push(x, rand() < q ? 1 : 0);
    p.push(q);
  }
  return { data, p };
}

/**
 * Clicks driven by field-pair interactions with no main effect: a user's taste for an item
 * category and, separately, for a time slot; each pair has its own pattern, so only factors per
 * partner field (FFM) fit both.
 */
function interactionStream(n: number, seed: number): { data: ExampleBatch; p: number[] } {
  const rand = mulberry32(seed);
  const h = new FeatureHasher(BITS);
  const data = new ExampleBatch();
  const p: number[] = [];
  const x = new FeatureVector();
  for (let r = 0; r < n; r++) {
    const user = Math.floor(rand() * 100);
    const cat = Math.floor(rand() * 12);
    const slot = Math.floor(rand() * 6);
    const t = -1 + (user % 2 === cat % 2 ? 1.4 : -1.4) + (user % 3 === slot % 3 ? 1.4 : -1.4);
    const q = 1 / (1 + Math.exp(-t));
    x.clear();
    h.add(x, 'user', String(user));
    h.add(x, 'cat', String(cat));
    h.add(x, 'slot', String(slot));
    data.push(x, rand() < q ? 1 : 0);
    p.push(q);
  }
  return { data, p };
}

/**
 * A log of a handful of fields, mostly high-cardinality ids with heavy-tailed counts (most ids
 * seen a few times), each id with its own additive effect, plus two low-cardinality fields.
 */
function idHeavyStream(n: number, seed: number): ExampleBatch {
  const rand = mulberry32(seed);
  const gauss = (r: () => number): number => r() + r() + r() + r() - 2;
  const effect = (field: number, id: number, scale: number): number =>
    scale * gauss(mulberry32((field * 1_000_003 + id) ^ 0x5bd1e995));
  const h = new FeatureHasher(BITS + 2);
  const data = new ExampleBatch();
  const x = new FeatureVector();
  for (let r = 0; r < n; r++) {
    const user = Math.floor(12_000 * rand() ** 3);
    const item = Math.floor(4_000 * rand() ** 3);
    const pub = Math.floor(800 * rand() ** 3);
    const dev = Math.floor(rand() * 100);
    const hour = Math.floor(rand() * 24);
    const t =
      -2.2 +
      effect(1, user, 1.6) +
      effect(2, item, 1.8) +
      effect(3, pub, 1) +
      effect(4, dev, 0.5) +
      effect(5, hour, 0.35);
    x.clear();
    h.add(x, 'user', String(user));
    h.add(x, 'item', String(item));
    h.add(x, 'pub', String(pub));
    h.add(x, 'dev', String(dev));
    h.add(x, 'hour', String(hour));
    data.push(x, rand() < 1 / (1 + Math.exp(-t)) ? 1 : 0);
  }
  return data;
}

/** AUC of a model on a stream's rows. */
function testAuc(model: { predict(x: FeatureVector): number }, data: ExampleBatch): number {
  const x = new FeatureVector();
  const ps: number[] = [];
  for (let i = 0; i < data.size; i++) {
    data.load(i, x);
    ps.push(model.predict(x));
  }
  return auc([...data.labels], ps);
}

describe('trainSelecting (successive halving on the training tail)', () => {
  it('picks logistic regression on an additive stream of high-cardinality ids', () => {
    const { data } = additiveStream(40_000, 1);
    const { model, report } = trainSelecting(data, 3, SELECTION, ES);
    expect(report.chosen).toMatch(/^lr/);
    expect(model).toBeInstanceOf(LogisticRegression);
    // Every online candidate was scored at the first rung, on the same rows.
    const first = report.rungs.slice(0, ONLINE.length);
    expect(first.map((r) => r.name)).toEqual(ONLINE.map((c) => c.name));
    expect(new Set(first.map((r) => r.rows)).size).toBe(1);
    const test = additiveStream(10_000, 2).data;
    expect(testAuc(model, test)).toBeGreaterThan(0.7);
  });

  it('on a handful of mostly high-cardinality id fields, chooses the batch LR, which beats every online LR', () => {
    // Train and test rows from one stream, test last, as a log is split in time.
    const all = idHeavyStream(45_000, 11);
    const vec = new FeatureVector();
    const train = new ExampleBatch();
    const test = new ExampleBatch();
    for (let i = 0; i < all.size; i++) (i < 36_000 ? train : test).push(vec, all.load(i, vec));
    const sel: SelectionParams = {
      ...DEFAULT_SELECTION,
      candidates: defaultCandidates({ ...DEFAULT_CTR_CONFIG, bits: BITS + 2 }),
    };
    const { model, report } = trainSelecting(train, 5, sel, ES);
    expect(report.chosen).toMatch(/^lr/);
    expect(model).toBeInstanceOf(LogisticRegression);
    // Each logistic regression candidate alone (early-stopped, or the batch one solved) on the same
    // tail: the choice is within noise of the best of them on the later rows (picked on the tail alone).
    const chosen = testAuc(model, test);
    const lrs = [...sel.candidates, ...extraLrs(BITS + 2)].filter((c) => c.config.model === 'lr');
    const alone = lrs.map((c) =>
      testAuc(trainSelecting(train, 5, { ...sel, candidates: [c] }, ES).model, test),
    );
    expect(alone.length).toBeGreaterThanOrEqual(3);
    expect(chosen).toBeGreaterThan(Math.max(...alone) - 0.003);
    // Here the regularised optimum is what the early-stopped online runs fall short of.
    expect(report.chosen).toBe('lr-batch');
    const online = alone.filter((_, i) => !lrs[i].batch);
    expect(chosen).toBeGreaterThan(Math.max(...online) + 0.002);
    // …and clearly better than the default regularisation (L1 0.5, L2 10), which zeroes rare ids.
    expect(chosen).toBeGreaterThan(alone[lrs.findIndex((c) => c.name === 'lr')] + 0.003);
  });

  it('picks the field-aware FM on a stream of field-pair interactions', () => {
    const { data } = interactionStream(60_000, 3);
    const { model, report } = trainSelecting(data, 3, SELECTION, ES);
    expect(report.chosen).toBe('ffm-k2');
    expect(model).toBeInstanceOf(FieldAwareFM);
    const test = interactionStream(10_000, 4);
    const bayes = auc([...test.data.labels], test.p);
    expect(testAuc(model, test.data)).toBeGreaterThan(bayes - 0.03);
  });

  it('halves the candidates at each rung and gives the survivors the larger budget', () => {
    const { data } = interactionStream(8_000, 5);
    // Five online candidates (the default's three and two more LRs): two rungs.
    const [batch, ...rest0] = SELECTION.candidates;
    const sel = { ...SELECTION, candidates: [batch, ...extraLrs(BITS), ...rest0] };
    const online = sel.candidates.filter((c) => !c.batch).length;
    expect(online).toBe(5);
    const { report } = trainSelecting(data, 3, sel, ES);
    const halving = report.rungs.slice(0, online + Math.floor(online / 2));
    const rows = [...new Set(halving.map((r) => r.rows))];
    expect(rows.length).toBe(2);
    expect(rows[1]).toBe(2 * rows[0]);
    // Then the survivor, early-stopped, meets the batch candidate's path (one entry per C).
    const rest = report.rungs.slice(halving.length);
    expect(rest[0].c).toBeUndefined();
    expect(rest.slice(1).every((r) => r.name === 'lr-batch' && r.c! > 0)).toBe(true);
    expect(rest.length).toBeGreaterThanOrEqual(3);
    expect(report.epochs).toBeGreaterThanOrEqual(1);
    expect(report.validationLogLoss.length).toBeGreaterThanOrEqual(report.epochs);
  });

  it('is deterministic for the same rows', () => {
    const { data } = additiveStream(6_000, 7);
    const a = trainSelecting(data, 3, SELECTION, ES);
    const b = trainSelecting(data, 3, SELECTION, ES);
    expect(b.report.rungs).toEqual(a.report.rungs);
    expect(Buffer.from(b.model.serialize()).equals(Buffer.from(a.model.serialize()))).toBe(true);
  });

  it('refuses parameters that cannot work', () => {
    expect(() => checkSelection({ ...SELECTION, candidates: [] })).toThrow(RangeError);
    expect(() => checkSelection({ ...SELECTION, firstBudget: 0 })).toThrow(RangeError);
    expect(() => checkSelection({ ...SELECTION, eta: 1 })).toThrow(RangeError);
    expect(() => checkSelection({ ...SELECTION, z: -1 })).toThrow(RangeError);
    // A batch candidate is an L2 logistic regression: no other model, no L1 to continue with.
    const batch = SELECTION.candidates.find((c) => c.batch)!;
    const withL1 = {
      ...batch,
      config: { ...batch.config, linear: { ...batch.config.linear, l1: 1 } },
    };
    const asFm = { ...batch, config: { ...batch.config, model: 'fm' as const } };
    expect(() => checkSelection({ ...SELECTION, candidates: [withL1] })).toThrow(RangeError);
    expect(() => checkSelection({ ...SELECTION, candidates: [asFm] })).toThrow(RangeError);
  });
});

describe('the cost rule', () => {
  const rows = (xs: number[]): Float64Array => Float64Array.from(xs);

  it('counts a paired difference as significant only beyond z standard errors', () => {
    const simple = rows(Array.from({ length: 400 }, (_, i) => 0.5 + 0.1 * Math.sin(i)));
    const slightly = rows([...simple].map((v, i) => v - 0.001 + 0.05 * Math.cos(i * 7)));
    const clearly = rows([...simple].map((v) => v - 0.02));
    expect(significantlyBetter(clearly, simple, 2)).toBe(true);
    expect(significantlyBetter(slightly, simple, 2)).toBe(false);
    expect(significantlyBetter(simple, simple, 0)).toBe(false);
  });

  it('keeps the simplest candidate the leader does not clearly beat, then the best by loss', () => {
    const base = Array.from({ length: 300 }, (_, i) => 0.4 + 0.2 * Math.sin(i));
    // Each arm has its own per-row noise, so the paired differences vary.
    const noisy = (d: number, f: number): Float64Array =>
      rows(base.map((v, i) => v + d + 0.05 * Math.cos(i * f)));
    const arm = (index: number, losses: Float64Array) => ({
      index,
      losses,
      mean: losses.reduce((a, b) => a + b, 0) / losses.length,
    });
    const simple = arm(0, noisy(0.001, 3));
    const middle = arm(1, noisy(0.05, 5));
    const costly = arm(2, noisy(0, 7));
    // The costly leader is within noise of the simple one: the simple one goes first.
    expect(survivors([simple, middle, costly], 1, 2)).toEqual([simple]);
    expect(survivors([simple, middle, costly], 2, 2)).toEqual([simple, costly]);
    // With no noise allowance the leader by loss wins.
    expect(survivors([simple, middle, costly], 1, 0)).toEqual([costly]);
  });
});
