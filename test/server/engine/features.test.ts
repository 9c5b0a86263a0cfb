import { ExampleBatch } from '../../../server/engine/features/examples';
import { FeatureHasher } from '../../../server/engine/features/hasher';
import { logBucket, RunningStandardizer } from '../../../server/engine/features/numeric';
import {
  CtrFeatureTransformer,
  DEFAULT_CROSSES,
  PRODUCT_FIELDS,
} from '../../../server/engine/features/transformer';
import { ServingTransformer } from '../../../server/engine/features/serving-transformer';
import { FeatureVector } from '../../../server/engine/features/vector';

describe('numeric features', () => {
  it('standardises with a running mean and variance, ignoring non-finite values', () => {
    const s = new RunningStandardizer();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9, NaN, Infinity]) s.update(x);
    expect(s.count).toBe(8);
    expect(s.mean).toBeCloseTo(5, 12);
    expect(s.variance).toBeCloseTo(32 / 7, 12);
    expect(s.transform(5 + Math.sqrt(32 / 7))).toBeCloseTo(1, 12);
    expect(s.transform(1e12)).toBe(5); // clipped
    expect(s.transform(NaN)).toBe(0);
  });

  it('log-buckets like the Criteo anchor: v ≤ 2 → v, else floor(ln(v)²)', () => {
    expect([
      logBucket(undefined),
      logBucket(NaN),
      logBucket(-3),
      logBucket(2),
      logBucket(3),
      logBucket(100),
    ]).toEqual(['NA', 'NA', '-3', '2', '1', '21']);
  });
});

describe('FeatureHasher and ExampleBatch', () => {
  it('assigns dense field ids and namespaces tokens by field', () => {
    const h = new FeatureHasher(20);
    expect(h.bucket('a', '1')).not.toBe(h.bucket('b', '1'));
    const v = new FeatureVector(1);
    h.add(v, 'a', '1');
    h.add(v, 'b', '1', 0.5);
    h.add(v, 'a', '2');
    expect(Array.from(v.fld.subarray(0, v.n))).toEqual([0, 1, 0]);
    expect(v.val[1]).toBe(0.5);
    expect(() => new FeatureHasher(0)).toThrow(RangeError);
  });

  it('stores and reloads rows exactly', () => {
    const b = new ExampleBatch();
    const v = new FeatureVector(2);
    for (let r = 0; r < 300; r++) {
      v.clear();
      for (let j = 0; j <= r % 7; j++) v.push(r * 10 + j, j, j / 2);
      b.push(v, r % 2);
    }
    const out = new FeatureVector(1);
    expect(b.load(123, out)).toBe(1);
    expect(out.n).toBe((123 % 7) + 1);
    expect(Array.from(out.idx.subarray(0, out.n))).toEqual([1230, 1231, 1232, 1233, 1234]);
    expect(Array.from(out.val.subarray(0, out.n))).toEqual([0, 0.5, 1, 1.5, 2]);
  });
});

describe('CtrFeatureTransformer', () => {
  const input = {
    user: {
      id: 'u1',
      interests: ['food', 'travel'],
      likeCount: 40,
      browseCount: NaN,
      recencyHours: 1e15,
    },
    item: {
      id: 'i9',
      adId: 'ad3',
      category: 'food',
      tags: ['noodle'],
      merchantId: 'm1',
      ageHours: 5,
    },
    context: { position: 2, hour: 25, weekday: 3, scene: '1089', platform: 'ios' },
  };

  it('maps user, item and context fields; absurd numbers become NA', () => {
    const f = new CtrFeatureTransformer(20).fields(input);
    expect(f.get('user.interest')).toEqual(['food', 'travel']);
    expect(f.get('user.likes')).toEqual([logBucket(40)]);
    expect(f.get('user.browse')).toEqual(['NA']);
    expect(f.get('user.recency')).toEqual(['NA']);
    expect(f.get('ctx.hour')).toEqual(['NA']);
    expect(f.get('ctx.weekday')).toEqual(['3']);
    expect(f.get('item.ad')).toEqual(['ad3']);
  });

  it('adds the configured crosses and is deterministic', () => {
    const t = new CtrFeatureTransformer(20, [['user.interest', 'item.category']]);
    const plain = new CtrFeatureTransformer(20, []);
    const a = t.transform(input);
    const b = t.transform(input);
    expect(a.n).toBe(plain.transform(input).n + 2); // food×food, travel×food
    expect(Array.from(a.idx.subarray(0, a.n))).toEqual(Array.from(b.idx.subarray(0, b.n)));
    // Two interest tags share weight 1/√2.
    const interestField = t.hasher.fieldId('user.interest');
    const w = Array.from(a.val.subarray(0, a.n)).filter((_, j) => a.fld[j] === interestField);
    expect(w).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
  });

  it('numbers fields alike in every transformer, whatever input each sees first', () => {
    // Training may first meet a user without interests, serving an item without tags: the
    // field-aware model looks latent vectors up by field id, so the ids must not depend on that.
    const bare = { user: { id: 'u0' }, item: { id: 'i0' }, context: {} };
    const trainer = new CtrFeatureTransformer(20);
    const server = new ServingTransformer(20);
    trainer.transform(bare);
    server.transform(input);
    const fieldsOf = (v: FeatureVector) => Array.from(v.fld.subarray(0, v.n));
    expect(fieldsOf(trainer.transform(input))).toEqual(fieldsOf(server.transform(input)));
    expect(trainer.hasher.fieldCount).toBe(PRODUCT_FIELDS.length + DEFAULT_CROSSES.length);
    expect(trainer.hasher.fieldId('ctx.platform')).toBe(PRODUCT_FIELDS.indexOf('ctx.platform'));
  });
});
