/**
 * Sticky, deterministic assignment (layered design after Tang et al., "Overlapping Experiment
 * Infrastructure", KDD 2010): each parameter is a layer (ad.creative: each campaign is one,
 * "ad.creative:<campaign id>", layerOf); a user's layer bucket,
 * hash(openid, layer) mod 10,000, picks at most one experiment of the layer (running
 * experiments hold disjoint bucket ranges); then hash(openid, experiment salt) mod 10,000 picks
 * the variant by cumulative weight, independently of the layer bucket.
 */
import { hashToken } from '../features/hash';
import {
  BUCKETS,
  layerOf,
  ownerMayVary,
  variantLabel,
  type Experiment,
  type ExperimentParameter,
  type ParameterValue,
  type PrefetchPolicy,
  type Variant,
} from './definition';

/** The user's bucket in a layer: a parameter's name, or "ad.creative:<campaign id>" (layerOf). */
export const layerBucket = (openid: string, layer: string): number =>
  hashToken(`${openid}|layer:${layer}`) % BUCKETS;
export const variantBucket = (openid: string, salt: string): number =>
  hashToken(`${openid}|${salt}`) % BUCKETS;

/** The variant owning `bucket`: variant i takes the buckets below round(cumulative weight share × BUCKETS). */
export function variantAt(variants: readonly Variant[], bucket: number): Variant {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let cum = 0;
  for (const v of variants) {
    cum += v.weight;
    if (bucket < Math.round((cum / total) * BUCKETS)) return v;
  }
  return variants[variants.length - 1];
}

export interface Assignment {
  experimentId: string;
  parameter: ExperimentParameter;
  variant: string;
  value: ParameterValue;
  /** Campaign-scoped parameters (ad.creative): the campaign, and the merchant owning the experiment. */
  campaignId?: string;
  merchantId?: string | null;
}

/**
 * The user's variant of each running experiment whose range holds the user's layer bucket. A
 * merchant's experiment on a platform parameter (started before merchants were kept to their
 * own parameters) is ignored: a merchant never changes everyone's ranking.
 */
export function assign(openid: string, running: readonly Experiment[]): Assignment[] {
  const out: Assignment[] = [];
  const buckets = new Map<string, number>();
  const set = new Set<string>();
  for (const e of running) {
    if (e.status !== 'running' || !e.range || !ownerMayVary(e.merchantId, e.parameter)) continue;
    const layer = layerOf(e);
    let b = buckets.get(layer);
    if (b === undefined) buckets.set(layer, (b = layerBucket(openid, layer)));
    if (b < e.range[0] || b >= e.range[1]) continue;
    // Ranges are disjoint by construction; should two ever overlap, the first one listed wins, so a layer sets a parameter once.
    if (set.has(layer)) continue;
    set.add(layer);
    const v = variantAt(e.variants, variantBucket(openid, e.salt));
    const a: Assignment = {
      experimentId: e.id,
      parameter: e.parameter,
      variant: v.name,
      value: v.value,
    };
    if (e.campaignId) Object.assign(a, { campaignId: e.campaignId, merchantId: e.merchantId });
    out.push(a);
  }
  return out;
}

/**
 * What the slate log records: "experiment:variant" labels, comma-separated, or null. Pass the
 * feed-wide assignments and the campaign-scoped ones the slate exposed (an ad.creative
 * assignment counts only on slates where its campaign was shown: serveAds' `exposures`).
 */
export const slateVariant = (as: readonly Assignment[]): string | null =>
  as.length ? as.map((a) => variantLabel(a.experimentId, a.variant)).join(',') : null;

/** Parameter overrides for serving. */
export interface ParameterOverrides {
  diversityPenalty?: number;
  exploreEpsilon?: number;
  adSlots?: number[];
  prefetchPolicy?: PrefetchPolicy;
}

export function overridesOf(as: readonly Assignment[]): ParameterOverrides {
  const o: ParameterOverrides = {};
  for (const a of as) {
    if (a.parameter === 'feed.diversity' && typeof a.value === 'number')
      o.diversityPenalty = a.value;
    else if (a.parameter === 'feed.explore' && typeof a.value === 'number')
      o.exploreEpsilon = a.value;
    else if (a.parameter === 'ads.slots' && Array.isArray(a.value)) o.adSlots = a.value;
    else if (a.parameter === 'feed.prefetch' && typeof a.value === 'string')
      o.prefetchPolicy = a.value;
  }
  return o;
}

/**
 * A free range of `size` buckets in a layer, given the ranges its running experiments hold:
 * the lowest gap that fits, or null when the layer has no room.
 */
export function allocateRange(
  taken: ReadonlyArray<readonly [number, number]>,
  size: number,
): [number, number] | null {
  const sorted = [...taken].sort((a, b) => a[0] - b[0]);
  let start = 0;
  for (const [s, e] of sorted) {
    if (s - start >= size) return [start, start + size];
    start = Math.max(start, e);
  }
  return BUCKETS - start >= size ? [start, start + size] : null;
}

export const rangesOverlap = (
  a: readonly [number, number],
  b: readonly [number, number],
): boolean => a[0] < b[1] && b[0] < a[1];

/** One experiment's variant for a user. */
export interface VariantOf {
  experimentId: string;
  variant: string;
}

/**
 * The user's variant of each experiment on `parameter` that was running at `at`, replayed from the
 * deterministic assignment (the same buckets assign() uses): from the range a running experiment
 * holds, or the one a stopped experiment held (`heldRange`), so events from before the stop that
 * are read after it are still attributed.
 */
export function variantsAt(
  openid: string,
  experiments: readonly Experiment[],
  parameter: ExperimentParameter,
  at: number,
): VariantOf[] {
  const out: VariantOf[] = [];
  for (const e of experiments) {
    const range = e.range ?? e.heldRange;
    if (e.parameter !== parameter || !range || e.startedAt === null || at < e.startedAt) continue;
    if (e.stoppedAt !== null && at >= e.stoppedAt) continue;
    const b = layerBucket(openid, layerOf(e));
    if (b < range[0] || b >= range[1]) continue;
    out.push({
      experimentId: e.id,
      variant: variantAt(e.variants, variantBucket(openid, e.salt)).name,
    });
  }
  return out;
}
