/** A generated click stream with a known signal: item and context main effects plus a user-group × item-group interaction. */
import { FeatureHasher } from '../../../server/engine/features/hasher';
import { FeatureVector } from '../../../server/engine/features/vector';
import type { Learner } from '../../../server/engine/models/learner';
import { mulberry32 } from '../../../server/engine/models/rng';

export interface SyntheticRow {
  x: FeatureVector;
  y: number;
  /** The true click probability. */
  p: number;
}

export function syntheticStream(
  n: number,
  seed: number,
  bits = 16,
  interaction = 0,
): SyntheticRow[] {
  const rand = mulberry32(seed);
  const h = new FeatureHasher(bits);
  const rows: SyntheticRow[] = [];
  for (let r = 0; r < n; r++) {
    const user = Math.floor(rand() * 200);
    const item = Math.floor(rand() * 50);
    const pos = Math.floor(rand() * 5);
    // Known effects: items 0-9 are attractive, position 0 gets clicks, users and items of the same parity like each other.
    let t = -1.5 + (item < 10 ? 1.5 : 0) + (pos === 0 ? 1 : 0) - 0.3 * pos;
    t += (user % 2 === item % 2 ? 1 : -1) * interaction;
    const p = 1 / (1 + Math.exp(-t));
    const x = new FeatureVector();
    h.add(x, 'user', String(user));
    h.add(x, 'item', String(item));
    h.add(x, 'pos', String(pos));
    rows.push({ x, y: rand() < p ? 1 : 0, p });
  }
  return rows;
}

export const hashed = (field: string, value: string, bits = 16): number =>
  new FeatureHasher(bits).bucket(field, value);

/** Each model learns every row, `passes` times over (the models are independent). */
export function learnAll(
  rows: readonly SyntheticRow[],
  passes: number,
  ...models: Learner[]
): void {
  for (let e = 0; e < passes; e++) for (const r of rows) for (const m of models) m.learn(r.x, r.y);
}
