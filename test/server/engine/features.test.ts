import { ExampleBatch } from '../../../server/engine/features/examples';
import { FeatureHasher } from '../../../server/engine/features/hasher';
import {
  logBucket,
  NumericScaler,
  RunningStandardizer,
} from '../../../server/engine/features/numeric';
import {
  CtrFeatureTransformer,
  DEFAULT_CROSSES,
  graphTokens,
  LATER_CROSSES,
  LATER_FIELDS,
  NUMERIC_MODES,
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

  it('keeps named running statistics that round-trip through their encoding', () => {
    const s = new NumericScaler();
    for (let i = 0; i < NumericScaler.MIN_COUNT; i++) s.observe('a', i % 7);
    for (let i = 1; i < NumericScaler.MIN_COUNT; i++) s.observe('b', i % 3);
    s.observe('b', NaN);
    const back = NumericScaler.decode(s.encode());
    expect(back.encode()).toBe(s.encode());
    expect(back.z('a', 4)).toBe(s.z('a', 4));
    expect(back.z('a', 4)).toBeCloseTo((4 - s.get('a')!.mean) / Math.sqrt(s.get('a')!.variance));
    expect(back.get('b')!.count).toBe(NumericScaler.MIN_COUNT - 1);
    expect(back.z('b', 9)).toBe(0); // too few values yet to standardise
    expect(back.z('unknown', 9)).toBe(0);
    expect(() => NumericScaler.decode('{"a":1}')).toThrow(RangeError);
    expect(() => NumericScaler.decode('[["a",{"count":-1,"mean":0,"m2":0}]]')).toThrow(RangeError);
    expect(() => NumericScaler.decode('[["a",{"count":1,"mean":null,"m2":0}]]')).toThrow(
      RangeError,
    );
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

  it('gives standardised fields one entry of value (ln(1 + x) − μ)/σ, and bucketed ones a token', () => {
    const t = new CtrFeatureTransformer(20);
    const users = Array.from(
      { length: NumericScaler.MIN_COUNT },
      (_, i) => [0, 1, 3, 10, 40][i % 5],
    ).map((k) => ({
      id: `u${k}`,
      browseCount: k * 10,
      likeCount: k,
      dwellCount: k / 2,
      recencyHours: k,
    }));
    for (const u of users) t.observeNumeric(u);
    const v = t.transform({ user: users[3], item: { id: 'i' }, context: {} });
    const at = (field: string): number[] => {
      const id = t.hasher.fieldId(field);
      return Array.from({ length: v.n }, (_, j) => j).filter((j) => v.fld[j] === id);
    };
    const want = t.scaler.z('user.likes', Math.log1p(10));
    expect(want).toBeGreaterThan(0);
    const likes = at('user.likes');
    const zEntry = likes.find((j) => v.idx[j] === t.hasher.bucket('user.likes', 'z'))!;
    expect(v.val[zEntry]).toBeCloseTo(want, 6);
    // 'both': the log bucket's token is there too; 'z': only the value.
    expect(likes.length).toBe(NUMERIC_MODES['user.likes'] === 'both' ? 2 : 1);
    expect(at('user.dwell').length).toBe(NUMERIC_MODES['user.dwell'] === 'z' ? 1 : 2);
    // Missing or absurd values give no standardised entry; all-bucket mode gives none at all.
    const bare = t.transform({ user: { id: 'x', likeCount: -1 }, item: { id: 'i' }, context: {} });
    const zBuckets = new Set(['user.likes', 'user.dwell'].map((f) => t.hasher.bucket(f, 'z')));
    expect(Array.from(bare.idx.subarray(0, bare.n)).some((b) => zBuckets.has(b))).toBe(false);
    const allBucket = Object.fromEntries(
      Object.keys(NUMERIC_MODES).map((f) => [f, 'bucket']),
    ) as unknown as typeof NUMERIC_MODES;
    const old = new CtrFeatureTransformer(20, DEFAULT_CROSSES, 0, allBucket);
    const w = old.transform({ user: users[3], item: { id: 'i' }, context: {} });
    expect(Array.from(w.val.subarray(0, w.n)).every((x) => x === 1)).toBe(true);
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
    expect(trainer.hasher.fieldCount).toBe(
      PRODUCT_FIELDS.length + DEFAULT_CROSSES.length + LATER_FIELDS.length,
    );
    expect(trainer.hasher.fieldId('ctx.platform')).toBe(PRODUCT_FIELDS.indexOf('ctx.platform'));
    // A field added later is numbered after the crosses, so the crosses keep their ids.
    const firstCrosses = DEFAULT_CROSSES.length - LATER_CROSSES.length;
    expect(trainer.hasher.fieldId('user.dwell')).toBe(PRODUCT_FIELDS.length + firstCrosses);
    // And a cross added later after those fields, so they keep theirs.
    expect(trainer.hasher.fieldId('user.community×item.category')).toBe(
      PRODUCT_FIELDS.length + firstCrosses + LATER_FIELDS.length,
    );
  });
});

describe('share-graph features (issue 16)', () => {
  const graph = {
    degree: 7,
    activity: 12.5,
    influence: 1.4,
    clustering: 0.42,
    community: 3,
    sharedInterest: 0.61,
  };
  const item = { id: 'i1', category: 'food' };

  it('tokenises the graph features and crosses the community with the item category', () => {
    expect(graphTokens(graph)).toEqual([
      `deg=${logBucket(7)}`,
      `act=${logBucket(12.5)}`,
      `inf=${logBucket(14)}`,
      'cl=2',
      'si=3',
    ]);
    // Out-of-range shares and absurd counts are "NA", never a bucket of their own.
    expect(graphTokens({ ...graph, clustering: 1.5, sharedInterest: NaN, degree: -1 })).toEqual([
      'deg=NA',
      `act=${logBucket(12.5)}`,
      `inf=${logBucket(14)}`,
      'cl=NA',
      'si=NA',
    ]);
    const t = new CtrFeatureTransformer(20);
    const f = t.fields({ user: { id: 'u', graph }, item, context: {} });
    expect(f.get('user.graph')).toHaveLength(5);
    expect(f.get('user.community')).toEqual(['3']);
    const with_ = t.transform({ user: { id: 'u', graph }, item, context: {} });
    const cross = t.hasher.fieldId('user.community×item.category');
    expect(Array.from(with_.fld.subarray(0, with_.n)).filter((x) => x === cross)).toHaveLength(1);
    // A user without a community (no tie) gets the numeric tokens but no community and no cross.
    const alone = t.fields({
      user: { id: 'u', graph: { ...graph, community: null } },
      item,
      context: {},
    });
    expect(alone.has('user.community')).toBe(false);
  });

  it('leaves the vector of a user without graph features exactly as before', () => {
    const t = new CtrFeatureTransformer(20);
    const plain = t.transform({ user: { id: 'u', likeCount: 3 }, item, context: { position: 2 } });
    const graphFields = new Set(
      ['user.graph', 'user.community', 'user.community×item.category'].map((f) =>
        t.hasher.fieldId(f),
      ),
    );
    expect(Array.from(plain.fld.subarray(0, plain.n)).some((x) => graphFields.has(x))).toBe(false);
  });

  it('gives the serving transformer the very vector training builds, graph features included', () => {
    const trainer = new CtrFeatureTransformer(20);
    const server = new ServingTransformer(20);
    const input = { user: { id: 'u', interests: ['food'], graph }, item, context: { position: 1 } };
    const a = trainer.transform(input);
    const b = server.transform(input);
    expect(Array.from(b.idx.subarray(0, b.n))).toEqual(Array.from(a.idx.subarray(0, a.n)));
    expect(Array.from(b.fld.subarray(0, b.n))).toEqual(Array.from(a.fld.subarray(0, a.n)));
    expect(Array.from(b.val.subarray(0, b.n))).toEqual(Array.from(a.val.subarray(0, a.n)));
  });
});
