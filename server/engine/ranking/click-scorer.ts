/**
 * The serving click scorer of a warm instance: one model version bound to the serving feature
 * hashing. `predict` scores one input (ServingTransformer); `scoreCards` scores a request's
 * cards together (CardBatch: the user and context hashed once, items' tokens kept per catalog
 * object), and for the field-aware FM from precomputed partial sums (FfmServing). Other model
 * kinds score the batch's assembled vectors, which are the plain transformer's entry for entry.
 */
import { CardBatch } from '../features/card-batch';
import { NumericScaler } from '../features/numeric';
import { ServingTransformer } from '../features/serving-transformer';
import { DEFAULT_CROSSES, type Cross, type UserFeatures } from '../features/transformer';
import { FeatureVector } from '../features/vector';
import { FieldAwareFM } from '../models/ffm';
import { FfmServing } from '../models/ffm-serving';
import type { Learner } from '../models/learner';
import {
  cardContextFeatures,
  cardItemFeatures,
  type CardContext,
  type CardItem,
} from '../training/features';
import type { ClickScorer } from './pipeline';

/** The hashing a warm instance keeps between requests (and between model versions). */
export class ServingFeatures {
  readonly transformer: ServingTransformer;
  readonly batch: CardBatch;

  constructor(bits: number, crosses: readonly Cross[] = DEFAULT_CROSSES) {
    this.transformer = new ServingTransformer(bits, crosses);
    this.batch = new CardBatch(this.transformer.base);
  }

  /**
   * Scales standardised fields with a model's own statistics. A change also ends the batch's
   * request (its user entries were scaled with the previous ones): its scorer begins again.
   */
  use(scaler: NumericScaler): void {
    if (this.transformer.base.scaler === scaler) return;
    this.transformer.useScaler(scaler);
    this.batch.generation++;
  }
}

/** What a card's record is cached under: its catalog object, or an ad's id (an ad with catalog facts is not cached). */
function cacheKeyOf(card: CardItem): object | string | null {
  if (card.adId === undefined) return card.meta ?? null;
  return card.meta ? null : `ad\u0001${card.adId}`;
}

/**
 * `scaler`: the statistics stored with the model (model-versions.ts); a model stored without any
 * (before standardised fields) gets empty ones, which put 0 in every standardised entry.
 */
export function servingScorer(
  version: string,
  model: Learner,
  features: ServingFeatures,
  scaler: NumericScaler = new NumericScaler(),
  examplesSeen?: number,
): ClickScorer {
  const vec = new FeatureVector();
  const ffm = model instanceof FieldAwareFM ? new FfmServing(model) : null;
  const { batch, transformer } = features;
  return {
    version,
    ...(examplesSeen !== undefined ? { examplesSeen } : {}),
    predict: (input) => {
      features.use(scaler);
      return model.predict(transformer.transform(input, vec));
    },
    scoreFor(user: UserFeatures, ctx: CardContext): (card: CardItem) => number {
      const context = cardContextFeatures(ctx);
      // The batch holds one request at a time: if another request began since, this one begins again.
      let generation = -1;
      return (card) => {
        features.use(scaler);
        if (batch.generation !== generation) {
          generation = batch.begin(user, context);
          ffm?.begin(batch);
        }
        const item = cardItemFeatures(card, ctx.at);
        const rec = batch.record(item, cacheKeyOf(card));
        return ffm
          ? ffm.score(batch, rec, item.ageHours)
          : model.predict(batch.vector(rec, item.ageHours, vec));
      };
    },
  };
}
