/** Trains a learner over a batch for a few passes, with progressive validation on the first pass. */
import type { ExampleBatch } from '../features/examples';
import { FeatureVector } from '../features/vector';
import { ProgressiveValidation } from '../metrics/progressive';
import type { Learner } from './learner';

export interface TrainReport {
  /** Examples learned (all passes) and examples refused (first pass). */
  learned: number;
  refused: number;
  /** Progressive validation over the first pass: every example scored before it is learned. */
  progressive: ProgressiveValidation;
}

export function train(learner: Learner, data: ExampleBatch, epochs = 1): TrainReport {
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError('epochs must be a positive integer');
  const vec = new FeatureVector();
  const progressive = new ProgressiveValidation();
  let learned = 0;
  let refused = 0;
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < data.size; i++) {
      const y = data.load(i, vec);
      const p = learner.learn(vec, y);
      if (p === null) {
        if (e === 0) refused++;
        continue;
      }
      learned++;
      if (e === 0) progressive.add(y, p);
    }
  }
  return { learned, refused, progressive };
}

/** Predictions of the learner for every row of the batch. */
export function predictAll(learner: Learner, data: ExampleBatch): Float64Array {
  const vec = new FeatureVector();
  const out = new Float64Array(data.size);
  for (let i = 0; i < data.size; i++) {
    data.load(i, vec);
    out[i] = learner.predict(vec);
  }
  return out;
}
