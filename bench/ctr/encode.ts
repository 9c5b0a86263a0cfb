/** Hashes a data set's raw rows into train and test batches with the engine's feature hasher. */
import { ExampleBatch } from '../../server/engine/features/examples';
import { FeatureHasher } from '../../server/engine/features/hasher';
import { FeatureVector } from '../../server/engine/features/vector';
import type { DatasetSpec } from './datasets';

export interface Encoded {
  train: ExampleBatch;
  test: ExampleBatch;
  fields: number;
}

export function encode(spec: DatasetSpec, bits: number): Encoded {
  const hasher = new FeatureHasher(bits);
  const train = new ExampleBatch();
  const test = new ExampleBatch();
  const vec = new FeatureVector();
  for (const row of spec.rows()) {
    vec.clear();
    for (const [field, value, x] of row.tokens) hasher.add(vec, field, value, x);
    (row.test ? test : train).push(vec, row.label);
  }
  return { train, test, fields: hasher.fieldCount };
}
