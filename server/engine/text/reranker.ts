/**
 * The learned re-ranker of question pairs: logistic regression (FTRL-Proximal, McMahan et al.
 * 2013) over pair features, learned from labelled pairs (same meaning or not) and, online, from
 * users' feedback on answers (有用 = 1; 没用, a rephrased next question or a hand-off = 0).
 */
import { FeatureVector } from '../features/vector';
import type { FtrlParams } from '../models/ftrl';
import { LogisticRegression } from '../models/logistic';
import { mulberry32 } from '../models/rng';
import type { Corpus } from './corpus';
import { DEFAULT_PAIR_FEATURES, pairFeatures, type PairFeatureOptions } from './pair-features';

export interface RerankerParams {
  features: PairFeatureOptions;
  ftrl: FtrlParams;
  /** Passes over the labelled pairs in batch training (shuffled each pass, seeded). */
  epochs: number;
  seed: number;
}

export const DEFAULT_RERANKER: RerankerParams = {
  features: DEFAULT_PAIR_FEATURES,
  ftrl: { alpha: 0.05, beta: 1, l1: 0.5, l2: 1 },
  epochs: 3,
  seed: 1,
};

export interface LabelledPair {
  a: string;
  b: string;
  label: 0 | 1;
}

export class PairReranker {
  private readonly x = new FeatureVector(128);

  constructor(
    readonly corpus: Corpus,
    readonly params: RerankerParams = DEFAULT_RERANKER,
    readonly model: LogisticRegression = LogisticRegression.create(
      params.features.bits,
      params.ftrl,
    ),
  ) {
    if (model.bits !== params.features.bits)
      throw new RangeError('the model and the pair features differ in hash bits');
  }

  /** Probability that a and b ask the same thing. */
  score(a: string, b: string): number {
    const c = this.corpus;
    return this.model.predict(
      pairFeatures(c.analyse(a), c.analyse(b), c, this.params.features, this.x),
    );
  }

  /** Learns one labelled pair (online: feedback); returns the prediction before the update. */
  learn(a: string, b: string, label: 0 | 1): number | null {
    const c = this.corpus;
    return this.model.learn(
      pairFeatures(c.analyse(a), c.analyse(b), c, this.params.features, this.x),
      label,
    );
  }

  /** Batch training: `epochs` shuffled passes (the features are symmetric, so one order suffices). */
  fit(pairs: readonly LabelledPair[]): this {
    const rnd = mulberry32(this.params.seed);
    const order = pairs.map((_, i) => i);
    for (let e = 0; e < this.params.epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const i of order) this.learn(pairs[i].a, pairs[i].b, pairs[i].label);
    }
    return this;
  }
}
