import CRC32 from 'crc-32';
import { FeatureVector } from '../../../server/engine/features/vector';
import { ExampleBatch } from '../../../server/engine/features/examples';
import { auc } from '../../../server/engine/metrics/auc';
import { logLoss } from '../../../server/engine/metrics/logloss';
import { ModelBlobError } from '../../../server/engine/models/blob';
import {
  createCtrModel,
  DEFAULT_CTR_CONFIG,
  loadAnyCtrModel,
  restoreCtrModel,
} from '../../../server/engine/models/defaults';
import { FieldAwareFM } from '../../../server/engine/models/ffm';
import type { FfmParams } from '../../../server/engine/models/ffm';
import { FactorizationMachine } from '../../../server/engine/models/fm';
import type { Learner } from '../../../server/engine/models/learner';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import { predictAll, trainEarlyStopping } from '../../../server/engine/models/trainer';
import { hashed, learnAll, syntheticStream } from './synthetic';

const LIN = { alpha: 0.1, beta: 1, l1: 0.5, l2: 10 };
const P: FfmParams = {
  k: 4,
  fields: 3,
  eta: 0.2,
  l2: 2e-5,
  initScale: 1,
  seed: 7,
  minCount: 3,
  maxBytes: 2 ** 20,
};
const score = (m: Learner, rows: ReturnType<typeof syntheticStream>): number =>
  auc(
    rows.map((r) => r.y),
    rows.map((r) => m.predict(r.x)),
  );
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(ModelBlobError);
    return (e as ModelBlobError).code;
  }
};

describe('FieldAwareFM', () => {
  it('learns a user-group × item-group interaction that logistic regression cannot', () => {
    const train = syntheticStream(30_000, 5, 16, 1.2);
    const test = syntheticStream(5_000, 6, 16, 1.2);
    const lr = LogisticRegression.create(16, LIN);
    const ffm = FieldAwareFM.create(16, LIN, P);
    learnAll(train, 2, lr, ffm);
    const bayes = auc(
      test.map((r) => r.y),
      test.map((r) => r.p),
    );
    expect(score(ffm, test)).toBeGreaterThan(score(lr, test) + 0.05);
    expect(score(ffm, test)).toBeGreaterThan(bayes - 0.02);
  });

  it('scores and steps exactly as the FFM formula for every k', () => {
    for (const k of [1, 2, 3]) {
      const fields = 4;
      const m = FieldAwareFM.create(8, LIN, { ...P, k, fields, minCount: 1, initScale: 0.5 });
      const rows = syntheticStream(200, 31, 8, 1);
      for (const r of rows) m.learn(r.x, r.y);
      // Three tokens of different fields, one with value 2 (instance normalisation r = 1 / Σ x²).
      const x = new FeatureVector().push(3, 0).push(7, 1, 2).push(12, 3);
      for (const i of [3, 7, 12]) if (m.slot[i] < 0) m.learn(new FeatureVector().push(i, 0), 0);
      const ent = [
        { i: 3, f: 0, v: 1 },
        { i: 7, f: 1, v: 2 },
        { i: 12, f: 3, v: 1 },
      ];
      const r = 1 / 6;
      const vec = (i: number, f: number): Float32Array => m.factor(i, f)!;
      const acc = (i: number, f: number): Float32Array => {
        const o = m.slot[i] * fields * 2 * k + f * 2 * k + k;
        return m.table.slice(o, o + k);
      };
      const before = new Map<string, { v: Float32Array; h: Float32Array }>();
      let t = m.linear.weight(2 ** 8);
      for (const e of ent) t += m.linear.weight(e.i) * e.v;
      let pair = 0;
      for (let a = 0; a < 3; a++) {
        for (let b = a + 1; b < 3; b++) {
          const A = ent[a];
          const B = ent[b];
          const va = vec(A.i, B.f);
          const vb = vec(B.i, A.f);
          before.set(`${a},${b}`, { v: va, h: acc(A.i, B.f) });
          before.set(`${b},${a}`, { v: vb, h: acc(B.i, A.f) });
          let d = 0;
          for (let q = 0; q < k; q++) d += va[q] * vb[q];
          pair += d * A.v * B.v;
        }
      }
      const p = 1 / (1 + Math.exp(-(t + r * pair)));
      expect(m.predict(x)).toBeCloseTo(p, 6);
      const y = 1;
      m.learn(x, y);
      const g = p - y;
      for (let a = 0; a < 3; a++) {
        for (let b = a + 1; b < 3; b++) {
          const A = ent[a];
          const B = ent[b];
          const c = g * r * A.v * B.v;
          const sa = before.get(`${a},${b}`)!;
          const sb = before.get(`${b},${a}`)!;
          for (let q = 0; q < k; q++) {
            const ga = c * sb.v[q] + P.l2 * sa.v[q];
            const gb = c * sa.v[q] + P.l2 * sb.v[q];
            expect(vec(A.i, B.f)[q]).toBeCloseTo(
              sa.v[q] - (P.eta * ga) / Math.sqrt(sa.h[q] + ga * ga),
              5,
            );
            expect(vec(B.i, A.f)[q]).toBeCloseTo(
              sb.v[q] - (P.eta * gb) / Math.sqrt(sb.h[q] + gb * gb),
              5,
            );
            expect(acc(A.i, B.f)[q]).toBeCloseTo(sa.h[q] + ga * ga, 5);
          }
        }
      }
    }
  });

  it('gives latent rows only to buckets seen minCount times, and never beyond its byte cap', () => {
    const m = FieldAwareFM.create(16, LIN, { ...P, minCount: 3 });
    const x = new FeatureVector().push(11, 0).push(22, 1);
    m.learn(x, 1);
    m.learn(x, 0);
    expect(m.factor(11, 1)).toBeNull();
    m.learn(x, 1);
    expect(m.factor(11, 1)).not.toBeNull();
    expect(m.rows).toBe(2);
    // Each row holds fields·k vector values and as many accumulators (Float32): 3·4·2·4 = 96 bytes.
    const capped = FieldAwareFM.create(16, LIN, { ...P, minCount: 1, maxBytes: 96 * 5 });
    for (const r of syntheticStream(2000, 9)) capped.learn(r.x, r.y);
    expect(capped.rows).toBe(5);
    expect(capped.factorBytes).toBe(480);
    const p = capped.predict(syntheticStream(1, 10)[0].x);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });

  it('restores a snapshot in place, exactly as loading it would, and refuses damage without changing itself', () => {
    const rows = syntheticStream(4000, 11, 16, 1);
    const m = FieldAwareFM.create(16, LIN, P);
    for (const r of rows.slice(0, 2000)) m.learn(r.x, r.y);
    const snap = m.serialize();
    for (const r of rows.slice(2000)) m.learn(r.x, r.y);
    const later = m.serialize();

    const flipped = snap.slice();
    flipped[Math.floor(snap.length / 3)] ^= 1;
    expect(codeOf(() => m.restoreFrom(flipped))).toBe('MODEL_CHECKSUM');
    const otherShape = FieldAwareFM.create(16, LIN, { ...P, k: 2 }).serialize();
    expect(codeOf(() => m.restoreFrom(otherShape))).toBe('MODEL_FORMAT');
    expect(Buffer.from(m.serialize()).equals(Buffer.from(later))).toBe(true);

    m.restoreFrom(snap);
    expect(Buffer.from(m.serialize()).equals(Buffer.from(snap))).toBe(true);
    const loaded = FieldAwareFM.load(snap);
    for (const r of rows.slice(0, 50)) expect(m.predict(r.x)).toBe(loaded.predict(r.x));
  });

  it('goes back to an in-memory checkpoint exactly (the state early stopping keeps), and refuses one of another shape', () => {
    const rows = syntheticStream(3000, 13, 16, 1);
    const m = FieldAwareFM.create(16, LIN, P);
    for (const r of rows.slice(0, 1000)) m.learn(r.x, r.y);
    const cp = m.checkpoint();
    const atCheckpoint = m.serialize();
    // Later rows allocate more latent rows and grow the table; the checkpoint must not follow them.
    for (const r of rows.slice(1000)) m.learn(r.x, r.y);
    expect(Buffer.from(m.serialize()).equals(Buffer.from(atCheckpoint))).toBe(false);
    m.rollback(cp);
    expect(Buffer.from(m.serialize()).equals(Buffer.from(atCheckpoint))).toBe(true);
    const loaded = FieldAwareFM.load(atCheckpoint);
    for (const r of rows.slice(0, 50)) expect(m.predict(r.x)).toBe(loaded.predict(r.x));
    expect(() => FieldAwareFM.create(8, LIN, P).rollback(cp)).toThrow(RangeError);
  });

  it('refuses a blob whose latent accumulators were tampered with (checksum recomputed)', () => {
    const m = FieldAwareFM.create(8, LIN, { ...P, minCount: 1 });
    for (const r of syntheticStream(300, 12, 8)) m.learn(r.x, r.y);
    const blob = m.serialize();
    // The last float of the payload is an accumulator (≥ 1); make it 0 and reseal.
    const bad = blob.slice();
    const view = new DataView(bad.buffer);
    view.setFloat32(bad.length - 8, 0, true);
    view.setUint32(bad.length - 4, CRC32.buf(bad.subarray(0, bad.length - 4)) >>> 0, true);
    expect(codeOf(() => FieldAwareFM.load(bad))).toBe('MODEL_FORMAT');
  });
});

describe('default click model', () => {
  it('is the field-aware FM, sized by the schema field count, and any kind loads through loadAnyCtrModel', () => {
    const m = createCtrModel(DEFAULT_CTR_CONFIG, 5);
    expect(m).toBeInstanceOf(FieldAwareFM);
    expect((m as FieldAwareFM).p.fields).toBe(5);
    expect(createCtrModel(DEFAULT_CTR_CONFIG)).toBeInstanceOf(FieldAwareFM);
    const x = new FeatureVector().push(hashed('user', '1', 20), 0).push(hashed('item', '2', 20), 1);
    for (let i = 0; i < 30; i++) m.learn(x, i % 2);
    const kinds: Learner[] = [
      m,
      LogisticRegression.create(8, LIN),
      FactorizationMachine.create(8, LIN, { k: 2, eta: 0.1, l2: 0, initScale: 0.01, seed: 1 }),
    ];
    for (const k of kinds) {
      const back = loadAnyCtrModel(k.serialize());
      expect(back.constructor).toBe(k.constructor);
      expect(back.predict(x)).toBe(k.predict(x));
    }
    const blob = m.serialize();
    expect(codeOf(() => loadAnyCtrModel(blob.subarray(0, blob.length - 1)))).toBe(
      'MODEL_TRUNCATED',
    );
  });
});

describe('trainEarlyStopping', () => {
  const batchOf = (rows: ReturnType<typeof syntheticStream>): ExampleBatch => {
    const b = new ExampleBatch();
    for (const r of rows) b.push(r.x, r.y);
    return b;
  };

  it('stops when the train-carved validation loss rises, keeps the best pass, then learns the held-out tail once', () => {
    // Few rows and large steps: the FFM overfits after a few passes.
    const data = batchOf(syntheticStream(1500, 21, 16, 1));
    const params = { ...P, eta: 0.5, minCount: 1 };
    const opts = { maxEpochs: 30, validationShare: 0.2 };
    const { model, report } = trainEarlyStopping(
      FieldAwareFM.create(16, LIN, params),
      data,
      opts,
      restoreCtrModel,
    );
    const losses = report.validationLogLoss;
    expect(report.epochs).toBeGreaterThanOrEqual(1);
    expect(report.epochs).toBeLessThan(opts.maxEpochs);
    expect(losses.length).toBe(report.epochs + 1);
    expect(losses[report.epochs]).toBeGreaterThanOrEqual(losses[report.epochs - 1]);
    expect(Math.min(...losses)).toBe(losses[report.epochs - 1]);

    // The same thing by hand: `epochs` passes over the first 80 %, then the tail once.
    const cut = Math.floor(data.size * 0.8);
    const byHand = FieldAwareFM.create(16, LIN, params);
    const vec = new FeatureVector();
    for (let e = 0; e < report.epochs; e++)
      for (let i = 0; i < cut; i++) byHand.learn(vec, data.load(i, vec));
    for (let i = cut; i < data.size; i++) byHand.learn(vec, data.load(i, vec));
    expect(Buffer.from(model.serialize()).equals(Buffer.from(byHand.serialize()))).toBe(true);
    expect(report.refused).toBe(0);
    expect(report.progressive.count).toBe(data.size);
  });

  it('with minImprovement, keeps a pass that improves by less than it and stops there without a wasted pass', () => {
    const data = batchOf(syntheticStream(6000, 23, 16, 1));
    const params = { ...P, eta: 0.05, minCount: 1 };
    const opts = { maxEpochs: 30, validationShare: 0.2 };
    const full = trainEarlyStopping(
      FieldAwareFM.create(16, LIN, params),
      data,
      opts,
      restoreCtrModel,
    ).report.validationLogLoss;
    const gain = (e: number): number => 1 - full[e] / full[e - 1];
    // Preconditions of this data: the 2nd pass gains more than the 3rd, which still gains.
    expect(gain(1)).toBeGreaterThan(gain(2));
    expect(gain(2)).toBeGreaterThan(0);
    const tol = (gain(1) + gain(2)) / 2;
    const { model, report } = trainEarlyStopping(
      FieldAwareFM.create(16, LIN, params),
      data,
      { ...opts, minImprovement: tol },
      restoreCtrModel,
    );
    expect(report.epochs).toBe(3);
    expect(report.validationLogLoss).toEqual(full.slice(0, 3));
    const cut = Math.floor(data.size * 0.8);
    const byHand = FieldAwareFM.create(16, LIN, params);
    const vec = new FeatureVector();
    for (let e = 0; e < 3; e++) for (let i = 0; i < cut; i++) byHand.learn(vec, data.load(i, vec));
    for (let i = cut; i < data.size; i++) byHand.learn(vec, data.load(i, vec));
    expect(Buffer.from(model.serialize()).equals(Buffer.from(byHand.serialize()))).toBe(true);
    expect(() =>
      trainEarlyStopping(
        FieldAwareFM.create(16, LIN, params),
        data,
        { ...opts, minImprovement: 1 },
        restoreCtrModel,
      ),
    ).toThrow(RangeError);
  });

  it('refuses bad options and does not score refused labels', () => {
    const data = batchOf(syntheticStream(200, 22));
    const make = (): LogisticRegression => LogisticRegression.create(16, LIN);
    expect(() =>
      trainEarlyStopping(
        make(),
        data,
        { maxEpochs: 0, validationShare: 0.2 },
        LogisticRegression.load,
      ),
    ).toThrow(RangeError);
    expect(() =>
      trainEarlyStopping(
        make(),
        data,
        { maxEpochs: 3, validationShare: 1 },
        LogisticRegression.load,
      ),
    ).toThrow(RangeError);
    const bad = new ExampleBatch();
    for (let i = 0; i < 100; i++) bad.push(new FeatureVector().push(i, 0), NaN);
    const { report } = trainEarlyStopping(
      make(),
      bad,
      { maxEpochs: 5, validationShare: 0.2 },
      LogisticRegression.load,
    );
    expect(report.epochs).toBe(1);
    expect(report.refused).toBe(100);
    expect(report.learned).toBe(0);
    const p = predictAll(make(), data);
    expect(Number.isFinite(logLoss(data.labels, p))).toBe(true);
  });
});
