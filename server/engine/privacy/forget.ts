/**
 * Forgetting a user in a hashed click model (erasure under PIPL): find the hashed buckets that
 * exist only because of the user's identity (the user-id token and every cross that involves
 * it), then reset those buckets' weights in the model to "never seen".
 *
 * What this can and cannot remove, honestly: a bucket is a hash, so another token may share it
 * (a collision); resetting it also drops that token's weight (a small, bounded loss), and a
 * bucket that the user shares with a token of the same input is left alone. Weights of shared
 * features (item, category, interest × category) learned partly from the user's clicks stay:
 * they are aggregates over many users and hold no identity. In a factorization model the
 * partners' latent vectors were nudged by pairs with the user's bucket; those nudges stay too.
 */
import type { CtrFeatureTransformer, CtrInput } from '../features/transformer';
import { FeatureVector } from '../features/vector';
import { FieldAwareFM } from '../models/ffm';
import { FactorizationMachine } from '../models/fm';
import type { FtrlProximal } from '../models/ftrl';
import type { Learner } from '../models/learner';
import { LogisticRegression } from '../models/logistic';

/** An identity no real openid can be (openids are [A-Za-z0-9_-]). */
const PROBE = '\u0000probe';

/**
 * Buckets that the user's id adds to an input, over every ad the user may have been shown
 * (undefined = a content card, whose ad field is "none"): the buckets of an input with the
 * user's id, minus those of the same input with another id.
 */
export function userBuckets(
  transformer: CtrFeatureTransformer,
  openid: string,
  adIds: readonly (string | undefined)[],
): number[] {
  const out = new Set<number>();
  const a = new FeatureVector();
  const b = new FeatureVector();
  for (const adId of new Set([undefined, ...adIds])) {
    const input = (id: string): CtrInput => ({
      user: { id },
      item: { id: PROBE, ...(adId !== undefined ? { adId } : {}) },
      context: {},
    });
    transformer.transform(input(openid), a);
    transformer.transform(input(PROBE), b);
    const shared = new Set(b.idx.subarray(0, b.n));
    for (const i of a.idx.subarray(0, a.n)) if (!shared.has(i)) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

function resetLinear(opt: FtrlProximal, i: number): boolean {
  const had = opt.n(i) !== 0 || opt.z(i) !== 0;
  opt.set(i, 0, 0);
  return had;
}

/** Resets the buckets to "never learned" in place; returns how many held anything. Unknown kinds throw. */
export function forgetBuckets(model: Learner, buckets: readonly number[]): number {
  let reset = 0;
  if (model instanceof LogisticRegression) {
    for (const i of buckets) if (i < model.buckets && resetLinear(model.opt, i)) reset++;
    return reset;
  }
  if (model instanceof FactorizationMachine) {
    for (const i of buckets) {
      if (i >= model.buckets) continue;
      if (resetLinear(model.linear, i)) reset++;
      // An untouched bucket's factors are not serialised: they load back as the seeded start values.
      model.clearFactors(i);
    }
    return reset;
  }
  if (model instanceof FieldAwareFM) {
    const { k, fields } = model.p;
    const stride = fields * 2 * k;
    for (const i of buckets) {
      if (i >= model.buckets) continue;
      let had = resetLinear(model.linear, i);
      had = model.counts[i] !== 0 || had;
      model.counts[i] = 0;
      const row = model.slot[i];
      if (row >= 0) {
        // The row stays allocated (rows are packed), with no learned value left: vectors 0, AdaGrad sums at their start.
        for (let f = 0; f < fields; f++) {
          const o = row * stride + f * 2 * k;
          model.table.fill(0, o, o + k);
          model.table.fill(1, o + k, o + 2 * k);
        }
      }
      if (had) reset++;
    }
    return reset;
  }
  throw new Error('forgetBuckets: unknown model kind');
}
