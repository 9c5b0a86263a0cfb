/**
 * The product's click features: user (id, interest tags, behaviour statistics), item or ad
 * (id, category, tags, merchant, age) and context (position, hour, weekday, scene, platform),
 * as namespaced hashed tokens, with numeric statistics log-bucketed and configurable crosses.
 */
import { FeatureHasher } from './hasher';
import { logBucket } from './numeric';
import { FeatureVector } from './vector';

export interface UserFeatures {
  id: string;
  /** Interest tags, strongest first. */
  interests?: readonly string[];
  /** Behaviour statistics (counts over the profile's window); absurd or missing values become "NA". */
  browseCount?: number;
  likeCount?: number;
  commentCount?: number;
  shareCount?: number;
  /** Hours since the user's last activity. */
  recencyHours?: number;
}

export interface ItemFeatures {
  id: string;
  /** Set for ads: the creative's campaign id, so that user × ad crosses can be asked for. */
  adId?: string;
  category?: string;
  tags?: readonly string[];
  merchantId?: string;
  ageHours?: number;
}

export interface ContextFeatures {
  position?: number;
  hour?: number;
  weekday?: number;
  scene?: string;
  platform?: string;
}

export interface CtrInput {
  user: UserFeatures;
  item: ItemFeatures;
  context: ContextFeatures;
}

/** A cross of two single-valued or multi-valued fields, e.g. ['user.interest', 'item.category']. */
export type Cross = readonly [string, string];

export const DEFAULT_CROSSES: readonly Cross[] = [
  ['user.interest', 'item.category'],
  ['user.id', 'item.ad'],
  ['item.category', 'ctx.position'],
];

/** Multi-valued fields (interest tags, item tags) are capped so that one example stays small. */
export const MAX_TAGS = 8;

/** Counts and hours above this are treated as garbage ("NA"), not as huge buckets. */
const ABSURD = 1e9;

const num = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) || v < 0 || v > ABSURD ? 'NA' : logBucket(v));
const small = (v: number | undefined, max: number): string =>
  v === undefined || !Number.isInteger(v) || v < 0 || v > max ? 'NA' : String(v);

export class CtrFeatureTransformer {
  readonly hasher: FeatureHasher;

  constructor(
    bits: number,
    readonly crosses: readonly Cross[] = DEFAULT_CROSSES,
  ) {
    this.hasher = new FeatureHasher(bits);
  }

  /** The raw field → values map of one input (exposed for tests and for explaining a score). */
  fields(input: CtrInput): Map<string, string[]> {
    const { user: u, item: i, context: c } = input;
    const m = new Map<string, string[]>();
    const put = (f: string, vs: Array<string | undefined>): void => {
      const kept = vs.filter((v): v is string => typeof v === 'string' && v.length > 0).slice(0, MAX_TAGS);
      if (kept.length) m.set(f, kept);
    };
    put('user.id', [u.id]);
    put('user.interest', [...(u.interests ?? [])]);
    put('user.browse', [num(u.browseCount)]);
    put('user.likes', [num(u.likeCount)]);
    put('user.comments', [num(u.commentCount)]);
    put('user.shares', [num(u.shareCount)]);
    put('user.recency', [num(u.recencyHours)]);
    put('item.id', [i.id]);
    put('item.ad', [i.adId ?? 'none']);
    put('item.category', [i.category ?? 'NA']);
    put('item.tag', [...(i.tags ?? [])]);
    put('item.merchant', [i.merchantId ?? 'NA']);
    put('item.age', [num(i.ageHours)]);
    put('ctx.position', [small(c.position, 1000)]);
    put('ctx.hour', [small(c.hour, 23)]);
    put('ctx.weekday', [small(c.weekday, 6)]);
    put('ctx.scene', [c.scene ?? 'NA']);
    put('ctx.platform', [c.platform ?? 'NA']);
    return m;
  }

  /** Hashes one input into vec (cleared first); multi-valued fields share weight 1/√count. */
  transform(input: CtrInput, vec: FeatureVector = new FeatureVector()): FeatureVector {
    vec.clear();
    const m = this.fields(input);
    for (const [field, values] of m) {
      const x = 1 / Math.sqrt(values.length);
      for (const v of values) this.hasher.add(vec, field, v, x);
    }
    for (const [a, b] of this.crosses) {
      const va = m.get(a);
      const vb = m.get(b);
      if (!va || !vb) continue;
      for (const x of va) for (const y of vb) this.hasher.addCross(vec, a, x, b, y);
    }
    return vec;
  }
}
