/**
 * The serving fast path against the plain one: CardBatch's vectors are CtrFeatureTransformer's
 * entry for entry, and the batched scores (FFM partial sums, other models on the assembled
 * vectors) are model.predict of the plain vector — exactly for LR, to float summation order
 * for the FFM — for random users, items, ads and contexts, with requests interleaved.
 */
import { CardBatch } from '../../../server/engine/features/card-batch';
import { NumericScaler } from '../../../server/engine/features/numeric';
import {
  CtrFeatureTransformer,
  type Cross,
  type UserFeatures,
} from '../../../server/engine/features/transformer';
import { FeatureVector } from '../../../server/engine/features/vector';
import {
  createCtrModel,
  DEFAULT_CTR_CONFIG,
  DEFAULT_FFM,
} from '../../../server/engine/models/defaults';
import { FieldAwareFM } from '../../../server/engine/models/ffm';
import type { Learner } from '../../../server/engine/models/learner';
import { mulberry32 } from '../../../server/engine/models/rng';
import { servingScorer, ServingFeatures } from '../../../server/engine/ranking/click-scorer';
import {
  cardContextFeatures,
  cardInput,
  cardItemFeatures,
  type CardContext,
  type CardItem,
} from '../../../server/engine/training/features';

const BITS = 14;
const entries = (v: FeatureVector): Array<[number, number, number]> =>
  Array.from({ length: v.n }, (_, j) => [v.idx[j], v.fld[j], v.val[j]]);

const CATS = ['美食', '旅行', '数码', 'cat3', 'cat4'];
const TAGS = Array.from({ length: 14 }, (_, t) => `t${t}`);
const NOW = Date.UTC(2026, 10, 28, 4);

interface Request {
  user: UserFeatures;
  ctx: CardContext;
  cards: CardItem[];
}

/** Random requests over a small catalog (kept objects, as a warm catalog keeps them) and a few ads. */
function world(seed: number, count: number): { requests: Request[] } {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const catalog = Array.from({ length: 60 }, (_, i) => ({
    id: `it-${i}`,
    category: pick(CATS),
    tags: TAGS.filter(() => r() < (i % 7 === 0 ? 0.9 : 0.25)),
    publishedAt: NOW - Math.floor(r() * 90 * 86_400_000),
    ...(i % 11 === 0 ? { merchantId: `m${i % 3}` } : {}),
  }));
  const requests: Request[] = [];
  for (let q = 0; q < count; q++) {
    const kind = r();
    const user: UserFeatures =
      kind < 0.15
        ? { id: 'anonymous' }
        : kind < 0.3
          ? { id: `u${q}` }
          : {
              id: `u${q % 9}`,
              interests: [...CATS, ...TAGS.slice(0, 4)]
                .filter(() => r() < 0.4)
                .map((c) => (c.startsWith('t') ? `tag:${c}` : `cat:${c}`)),
              browseCount: Math.floor(r() * 300),
              likeCount: r() < 0.5 ? 3 : undefined,
              recencyHours: r() * 40,
              ...(r() < 0.6 ? { dwellCount: r() * 20, shareCount: Math.floor(r() * 4) } : {}),
            };
    const ctx: CardContext = {
      at: NOW + Math.floor(r() * 30 * 86_400_000),
      position: pick([0, 3, 10, 23, 46]),
      scene: r() < 0.7 ? pick([1001, 1007, 1089]) : null,
    };
    const cards: CardItem[] = Array.from({ length: 15 }, (_, k): CardItem => {
      const u = r();
      if (u < 0.25) return { adId: `ad-${k % 6}`, meta: null };
      if (u < 0.3) return { itemId: `bare-${k}`, meta: null };
      const it = pick(catalog);
      return { itemId: it.id, meta: it };
    });
    requests.push({ user, ctx, cards });
  }
  return { requests };
}

/**
 * A model trained on the plain vectors of random cards, with latent rows for most buckets; the
 * transformer's running statistics of the standardised fields end in `scaler`, as the trainer's do.
 */
function trained(
  model: Learner,
  crosses: readonly Cross[] | undefined,
  seed: number,
): { model: Learner; scaler: NumericScaler } {
  const plain = new CtrFeatureTransformer(BITS, crosses);
  const r = mulberry32(seed);
  const vec = new FeatureVector();
  for (let pass = 0; pass < 2; pass++) {
    for (const { user, ctx, cards } of world(seed + pass, 50).requests) {
      for (const card of cards) {
        model.learn(plain.transform(cardInput(user, card, ctx), vec), r() < 0.2 ? 1 : 0);
        plain.observeNumeric(user);
      }
    }
  }
  return { model, scaler: plain.scaler };
}

/** Statistics of the standardised fields over some random users. */
function fittedScaler(seed: number): NumericScaler {
  const t = new CtrFeatureTransformer(BITS);
  for (const { user } of world(seed, 200).requests) t.observeNumeric(user);
  return t.scaler;
}

const CROSS_SETS: Array<readonly Cross[] | undefined> = [
  undefined,
  [
    ['user.interest', 'item.category'],
    ['item.category', 'item.tag'],
    ['user.id', 'ctx.scene'],
    ['ctx.hour', 'ctx.weekday'],
    ['item.id', 'ctx.position'],
    ['user.id', 'item.ad'],
  ],
];

describe('CardBatch', () => {
  it.each(CROSS_SETS.map((c, i) => [i, c] as const))(
    'assembles CtrFeatureTransformer.transform entry for entry (cross set %i)',
    (_i, crosses) => {
      const plain = new CtrFeatureTransformer(BITS, crosses);
      const base = new CtrFeatureTransformer(BITS, crosses, 100);
      // The same statistics on both sides, as serving takes the model's own.
      plain.scaler = base.scaler = fittedScaler(21);
      expect(plain.scaler.get('user.browse')!.count).toBeGreaterThan(NumericScaler.MIN_COUNT);
      const batch = new CardBatch(base);
      const a = new FeatureVector();
      const b = new FeatureVector();
      let n = 0;
      for (const { user, ctx, cards } of world(3, 40).requests) {
        batch.begin(user, cardContextFeatures(ctx));
        for (const card of cards) {
          const item = cardItemFeatures(card, ctx.at);
          const rec = batch.record(
            item,
            card.adId === undefined ? (card.meta ?? null) : `ad:${card.adId}`,
          );
          expect(entries(batch.vector(rec, item.ageHours, b))).toEqual(
            entries(plain.transform(cardInput(user, card, ctx), a)),
          );
          n++;
        }
      }
      expect(n).toBe(600);
    },
  );

  it('refuses a cross over the age, which changes per card', () => {
    expect(() => new CardBatch(new CtrFeatureTransformer(BITS, [['user.id', 'item.age']]))).toThrow(
      RangeError,
    );
  });
});

describe('servingScorer.scoreFor', () => {
  const kinds: Array<[string, (crosses: readonly Cross[] | undefined) => Learner]> = [
    [
      'ffm',
      () => FieldAwareFM.create(BITS, DEFAULT_CTR_CONFIG.linear, { ...DEFAULT_FFM, minCount: 2 }),
    ],
    [
      'ffm k 4',
      () =>
        FieldAwareFM.create(BITS, DEFAULT_CTR_CONFIG.linear, { ...DEFAULT_FFM, k: 4, minCount: 3 }),
    ],
    ['lr', () => createCtrModel({ ...DEFAULT_CTR_CONFIG, model: 'lr', bits: BITS })],
    ['fm', () => createCtrModel({ ...DEFAULT_CTR_CONFIG, model: 'fm', bits: BITS })],
  ];
  const cases = kinds.flatMap(([name, make]) =>
    CROSS_SETS.map((crosses, i) => [`${name}, cross set ${i}`, make, crosses] as const),
  );

  it.each(cases)(
    'gives model.predict of the plain vector (%s), requests interleaved',
    (name, make, crosses) => {
      const { model, scaler } = trained(make(crosses), crosses, 11);
      if (model instanceof FieldAwareFM) expect(model.rows).toBeGreaterThan(50);
      const plain = new CtrFeatureTransformer(BITS, crosses);
      plain.scaler = scaler;
      const features = new ServingFeatures(BITS, crosses);
      // Another version's scorer on the same features, its calls interleaved: each applies its own statistics.
      const other = servingScorer('v0', model, features, fittedScaler(3));
      const scorer = servingScorer('v1', model, features, scaler);
      const vec = new FeatureVector();
      const reqs = world(5, 60).requests;
      let worst = 0;
      let n = 0;
      // Two requests at a time, their cards alternating: each must still see its own user and context.
      for (let q = 0; q + 1 < reqs.length; q += 2) {
        const fa = scorer.scoreFor!(reqs[q].user, reqs[q].ctx);
        const fb = scorer.scoreFor!(reqs[q + 1].user, reqs[q + 1].ctx);
        const fo = other.scoreFor!(reqs[q].user, reqs[q].ctx);
        for (let j = 0; j < reqs[q].cards.length; j++) {
          if (j % 3 === 0) fo(reqs[q].cards[j]);
          for (const [f, req] of [
            [fa, reqs[q]],
            [fb, reqs[q + 1]],
          ] as const) {
            const card = req.cards[j];
            const want = model.predict(plain.transform(cardInput(req.user, card, req.ctx), vec));
            const got = f(card);
            if (name.startsWith('lr') || name.startsWith('fm')) expect(got).toBe(want);
            worst = Math.max(
              worst,
              Math.abs(Math.log(got / (1 - got)) - Math.log(want / (1 - want))),
            );
            n++;
          }
        }
      }
      expect(n).toBe(900);
      expect(worst).toBeLessThan(1e-12);
    },
  );

  it('scores a card by its catalog object alike before and after the object was cached', () => {
    const { model, scaler } = trained(kinds[0][1](undefined), undefined, 13);
    const scorer = servingScorer('v1', model, new ServingFeatures(BITS), scaler);
    const { user, ctx, cards } = world(9, 1).requests[0];
    const first = cards.map((c) => scorer.scoreFor!(user, ctx)(c));
    const again = cards.map((c) => scorer.scoreFor!(user, ctx)(c));
    expect(again).toEqual(first);
  });
});
