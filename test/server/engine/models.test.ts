import { FeatureVector } from '../../../server/engine/features/vector';
import { auc } from '../../../server/engine/metrics/auc';
import { ModelBlobError } from '../../../server/engine/models/blob';
import { FieldAwareFM, initValue } from '../../../server/engine/models/ffm';
import { FactorizationMachine } from '../../../server/engine/models/fm';
import type { Learner } from '../../../server/engine/models/learner';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import { hashed, learnAll, syntheticStream } from './synthetic';

const LIN = { alpha: 0.1, beta: 1, l1: 0.1, l2: 1 };
const FM = { k: 4, eta: 0.05, l2: 1e-4, initScale: 0.01, seed: 3 };
const FFM = {
  k: 4,
  fields: 3,
  eta: 0.2,
  l2: 2e-5,
  initScale: 1,
  seed: 3,
  minCount: 3,
  maxBytes: 2 ** 20,
};
const makers: Array<[string, () => Learner, (b: Uint8Array) => Learner]> = [
  [
    'LogisticRegression',
    () => LogisticRegression.create(16, LIN),
    (b) => LogisticRegression.load(b),
  ],
  [
    'FactorizationMachine',
    () => FactorizationMachine.create(16, LIN, FM),
    (b) => FactorizationMachine.load(b),
  ],
  ['FieldAwareFM', () => FieldAwareFM.create(16, LIN, FFM), (b) => FieldAwareFM.load(b)],
];

const score = (m: Learner, rows: ReturnType<typeof syntheticStream>): number =>
  auc(
    rows.map((r) => r.y),
    rows.map((r) => m.predict(r.x)),
  );

describe.each(makers)('%s', (_name, make, load) => {
  const train = syntheticStream(20_000, 1);
  const test = syntheticStream(5_000, 2);

  it('recovers a known signal: test AUC near the Bayes AUC of the generator', () => {
    const m = make();
    for (const r of train) m.learn(r.x, r.y);
    const bayes = auc(
      test.map((r) => r.y),
      test.map((r) => r.p),
    );
    const got = score(m, test);
    expect(got).toBeGreaterThan(bayes - 0.01);
    expect(got).toBeLessThanOrEqual(bayes + 0.01);
  });

  it('round-trips through its binary blob: same predictions, same bytes', () => {
    const m = make();
    for (const r of train.slice(0, 3000)) m.learn(r.x, r.y);
    const blob = m.serialize();
    const back = load(blob);
    for (const r of test.slice(0, 200)) expect(back.predict(r.x)).toBe(m.predict(r.x));
    expect(Buffer.from(back.serialize()).equals(Buffer.from(blob))).toBe(true);
    // Training continues identically after the round trip.
    for (const r of train.slice(3000, 3500)) {
      m.learn(r.x, r.y);
      back.learn(r.x, r.y);
    }
    expect(back.predict(test[0].x)).toBe(m.predict(test[0].x));
  });

  it('refuses truncated, corrupted and foreign blobs with stable codes', () => {
    const m = make();
    for (const r of train.slice(0, 500)) m.learn(r.x, r.y);
    const blob = m.serialize();
    const code = (b: Uint8Array): string => {
      try {
        load(b);
        return 'loaded';
      } catch (e) {
        expect(e).toBeInstanceOf(ModelBlobError);
        return (e as ModelBlobError).code;
      }
    };
    expect(code(blob.subarray(0, blob.length - 9))).toBe('MODEL_TRUNCATED');
    expect(code(blob.subarray(0, 5))).toBe('MODEL_TRUNCATED');
    const flipped = blob.slice();
    flipped[Math.floor(blob.length / 2)] ^= 0x40;
    expect(code(flipped)).toBe('MODEL_CHECKSUM');
    const other = (
      m instanceof LogisticRegression
        ? FactorizationMachine.create(4, LIN, FM)
        : LogisticRegression.create(4, LIN)
    ).serialize();
    expect(code(other)).toBe('MODEL_KIND');
  });

  it('skips and counts bad examples without touching the weights', () => {
    const m = make();
    for (const r of train.slice(0, 500)) m.learn(r.x, r.y);
    const before = m.serialize();
    const good = train[0].x;
    const bad = (v: number): FeatureVector => good.clone().push(hashed('user', '1'), 0, v);
    expect(m.learn(bad(NaN), 1)).toBeNull();
    expect(m.learn(bad(Infinity), 0)).toBeNull();
    expect(m.learn(bad(1e12), 1)).toBeNull();
    expect(m.learn(good, 2)).toBeNull();
    expect(m.learn(good, NaN)).toBeNull();
    expect(m.learn(good.clone().push(2 ** 20, 0, 1), 1)).toBeNull();
    // An importance weight must be finite and not negative.
    expect(m.learn(good, 1, -1)).toBeNull();
    expect(m.learn(good, 1, NaN)).toBeNull();
    expect(m.skipped).toEqual({ value: 5, label: 2, index: 1 });
    expect(Buffer.from(m.serialize()).equals(Buffer.from(before))).toBe(true);
    // Predictions stay finite whatever the input.
    for (const v of [NaN, Infinity, -Infinity, 1e300]) {
      const p = m.predict(bad(v));
      expect(Number.isFinite(p)).toBe(true);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
  });

  it('learns a weighted example towards its label, a light one less far; weight 1 is the default', () => {
    const m = make();
    for (const r of train.slice(0, 500)) m.learn(r.x, r.y);
    // Seen often enough that the field-aware FM has allocated their latent vectors (minCount).
    for (const r of train.slice(500, 510)) for (let k = 0; k < 3; k++) m.learn(r.x, r.y);
    const blob = m.serialize();
    for (const r of train.slice(500, 510)) {
      const [light, full] = [0.1, 1].map((w) => {
        const copy = load(blob);
        const before = copy.predict(r.x);
        copy.learn(r.x, r.y, w);
        return (copy.predict(r.x) - before) * (r.y === 1 ? 1 : -1);
      });
      expect(light).toBeGreaterThan(0);
      expect(light).toBeLessThan(full);
    }
    const a = make();
    const b = make();
    for (const r of train.slice(0, 300)) {
      a.learn(r.x, r.y);
      b.learn(r.x, r.y, 1);
    }
    expect(Buffer.from(a.serialize()).equals(Buffer.from(b.serialize()))).toBe(true);
  });

  it('does not mutate its input and is reproducible', () => {
    const a = make();
    const b = make();
    const x = train[5].x;
    const copy = x.clone();
    for (const r of train.slice(0, 1000)) {
      a.learn(r.x, r.y);
      b.learn(r.x, r.y);
    }
    a.learn(x, 1);
    b.learn(x, 1);
    expect(Array.from(x.idx.subarray(0, x.n))).toEqual(Array.from(copy.idx.subarray(0, copy.n)));
    expect(Array.from(x.val.subarray(0, x.n))).toEqual(Array.from(copy.val.subarray(0, copy.n)));
    expect(a.predict(x)).toBe(b.predict(x));
  });

  it('stays finite under extreme but valid values (clamped logits)', () => {
    const m = make();
    const x = new FeatureVector().push(7, 0, 1000).push(9, 1, -1000);
    for (let i = 0; i < 2000; i++) {
      const p = m.learn(x, i % 2);
      expect(Number.isFinite(p)).toBe(true);
    }
    expect(Number.isFinite(m.predict(x))).toBe(true);
  });
});

describe('LogisticRegression weights', () => {
  it('learn the signs of the known effects', () => {
    const m = LogisticRegression.create(16, LIN);
    for (const r of syntheticStream(20_000, 4)) m.learn(r.x, r.y);
    const w = (f: string, v: string): number => m.opt.weight(hashed(f, v));
    expect(w('item', '3')).toBeGreaterThan(w('item', '30') + 0.5);
    expect(w('pos', '0')).toBeGreaterThan(w('pos', '4') + 1.2);
  });
});

describe('FactorizationMachine', () => {
  it('learns a pairwise interaction that logistic regression cannot', () => {
    const train = syntheticStream(40_000, 5, 16, 1.2);
    const test = syntheticStream(5_000, 6, 16, 1.2);
    const lr = LogisticRegression.create(16, LIN);
    const fm = FactorizationMachine.create(16, LIN, { ...FM, k: 4, eta: 0.1 });
    learnAll(train, 2, lr, fm);
    const bayes = auc(
      test.map((r) => r.y),
      test.map((r) => r.p),
    );
    expect(score(fm, test)).toBeGreaterThan(score(lr, test) + 0.05);
    expect(score(fm, test)).toBeGreaterThan(bayes - 0.02);
  });

  it("draws a bucket's start factors into a row of its own on first use, from seed and bucket only", () => {
    const fm = FactorizationMachine.create(16, LIN, FM);
    const x = new FeatureVector();
    // More buckets than the first rows hold: the rows grow and keep what they held.
    for (let i = 0; i < 600; i++) fm.predict(x.clear().push(3 * i + 1, 0));
    for (const i of [1, 4, 3 * 599 + 1]) {
      const { v, g2 } = fm.factors(i);
      expect(v).toEqual(
        Array.from({ length: FM.k }, (_, f) => Math.fround(initValue(FM.seed, i, f, FM.initScale))),
      );
      expect(g2).toEqual(new Array(FM.k).fill(1));
    }
    // A bucket never seen has none yet.
    expect(fm.factors(2)).toEqual({ v: [0, 0, 0, 0], g2: [0, 0, 0, 0] });
    // Cleared factors (a forgotten bucket) are 0 with fresh accumulators, seen or not.
    fm.clearFactors(4);
    fm.clearFactors(2);
    expect(fm.factors(4)).toEqual({ v: [0, 0, 0, 0], g2: [1, 1, 1, 1] });
    expect(fm.factors(2)).toEqual({ v: [0, 0, 0, 0], g2: [1, 1, 1, 1] });
  });
});
