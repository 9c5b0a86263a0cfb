/** The serving transformer and the hasher's memo give, entry for entry, the vectors of the plain transformer. */
import { FeatureHasher } from '../../../server/engine/features/hasher';
import { ServingTransformer } from '../../../server/engine/features/serving-transformer';
import {
  CtrFeatureTransformer,
  type Cross,
  type CtrInput,
  type UserFeatures,
} from '../../../server/engine/features/transformer';
import { FeatureVector } from '../../../server/engine/features/vector';
import { mulberry32 } from '../../../server/engine/models/rng';

const entries = (v: FeatureVector): Array<[number, number, number]> =>
  Array.from({ length: v.n }, (_, j) => [v.idx[j], v.fld[j], v.val[j]]);

/** A request stream like serving's: per request one user object, a context, many cards (items and ads). */
function requests(seed: number, count: number): CtrInput[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const cats = ['美食', '旅行', '数码', 'cat3'];
  const out: CtrInput[] = [];
  for (let q = 0; q < count; q++) {
    const kind = r();
    const user: UserFeatures =
      kind < 0.2
        ? { id: 'anonymous' }
        : kind < 0.4
          ? { id: `u${q}` }
          : {
              id: `u${q % 7}`,
              interests: cats.filter(() => r() < 0.6).map((c) => `cat:${c}`),
              browseCount: Math.floor(r() * 300),
              likeCount: r() < 0.5 ? 3 : undefined,
              recencyHours: r() * 40,
              ...(r() < 0.6 ? { dwellCount: r() * 20, commentCount: Math.floor(r() * 5) } : {}),
            };
    const context = {
      position: pick([0, 3, 10, 23]),
      hour: Math.floor(r() * 24),
      weekday: Math.floor(r() * 7),
      ...(r() < 0.7 ? { scene: pick(['1001', '1007']) } : {}),
    };
    for (let k = 0; k < 12; k++) {
      const ad = r() < 0.3;
      const item = ad
        ? { id: `ad-${k % 5}`, adId: `ad-${k % 5}` }
        : {
            id: `it-${Math.floor(r() * 50)}`,
            category: pick(cats),
            tags: r() < 0.8 ? ['t1', 't2', 't3'].filter(() => r() < 0.7) : undefined,
            ageHours: r() * 500,
          };
      // The context object is new per card, as serving builds it; its values repeat.
      out.push({ user, item, context: { ...context } });
    }
  }
  return out;
}

describe('ServingTransformer', () => {
  const crossSets: Array<readonly Cross[] | undefined> = [
    undefined,
    [
      ['user.interest', 'item.category'],
      ['item.category', 'item.tag'],
      ['user.id', 'ctx.scene'],
      ['ctx.hour', 'ctx.weekday'],
      ['item.id', 'ctx.position'],
    ],
  ];
  it.each(crossSets.map((c, i) => [i, c] as const))(
    'matches CtrFeatureTransformer.transform entry for entry (cross set %i)',
    (_i, crosses) => {
      const plain = new CtrFeatureTransformer(18, crosses);
      const serving = new ServingTransformer(18, crosses, 50);
      const a = new FeatureVector();
      const b = new FeatureVector();
      const inputs = requests(7, 60);
      // The statistics of the standardised fields, the same on both sides (serving uses the model's).
      for (const input of inputs.slice(0, 200)) plain.observeNumeric(input.user);
      serving.useScaler(plain.scaler);
      for (const input of inputs)
        expect(entries(serving.transform(input, b))).toEqual(entries(plain.transform(input, a)));
      expect(serving.base.hasher.fieldCount).toBe(plain.hasher.fieldCount);
    },
  );

  it('sees a new user object as a new user, even with the same id', () => {
    const plain = new CtrFeatureTransformer(18);
    const serving = new ServingTransformer(18);
    const item = { id: 'it-1', category: '美食' };
    const context = { position: 0, hour: 1, weekday: 2 };
    for (const user of [
      { id: 'u1', interests: ['cat:美食'] },
      { id: 'u1', interests: ['cat:旅行'] },
    ]) {
      expect(entries(serving.transform({ user, item, context }))).toEqual(
        entries(plain.transform({ user, item, context })),
      );
    }
  });
});

describe('FeatureHasher memo', () => {
  it('gives the buckets of the unmemoised hasher, also after it fills and starts over', () => {
    const plain = new FeatureHasher(16);
    const memo = new FeatureHasher(16, 5);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 12; i++) {
        expect(memo.bucket('f', `v${i}`)).toBe(plain.bucket('f', `v${i}`));
        const x = new FeatureVector();
        const y = new FeatureVector();
        plain.addCross(x, 'a', `v${i}`, 'b', 'w');
        memo.addCross(y, 'a', `v${i}`, 'b', 'w');
        expect(entries(y)).toEqual(entries(x));
      }
    }
  });

  it('refuses a bad memo limit', () => {
    expect(() => new FeatureHasher(16, -1)).toThrow(RangeError);
  });
});
