/**
 * The product's click features: user (id, interest tags, behaviour statistics), item or ad
 * (id, category, tags, merchant, age) and context (position, hour, weekday, scene, platform),
 * as namespaced hashed tokens, with the user's behaviour statistics log-bucketed or standardised
 * (per field, NUMERIC_MODES) and configurable crosses.
 */
import { FeatureHasher } from './hasher';
import { logBucket, NumericScaler } from './numeric';
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
  /** Time spent on detail pages (the profile's decayed dwell weight). */
  dwellCount?: number;
  /** The user's place in the share graph (the social step's record, issue 16); absent: no tokens. */
  graph?: GraphFeatures;
}

/** Graph features of a user as the social step computes them (server/engine/social/round.ts). */
export interface GraphFeatures {
  degree: number;
  activity: number;
  /** PageRank, scaled so the mean node has 1. */
  influence: number;
  clustering: number;
  community: number | null;
  sharedInterest: number;
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

/** Which side of a request a field name belongs to (its prefix). */
export type Side = 'user' | 'item' | 'ctx';
export const sideOf = (field: string): Side =>
  field.startsWith('user.') ? 'user' : field.startsWith('item.') ? 'item' : 'ctx';

export const DEFAULT_CROSSES: readonly Cross[] = [
  ['user.interest', 'item.category'],
  ['user.id', 'item.ad'],
  ['item.category', 'ctx.position'],
  // Homophily: a share-graph community's taste (issue 16); nothing is emitted for a user without one.
  ['user.community', 'item.category'],
];

/** Every field the product transformer emits, in the order their ids are assigned. */
export const PRODUCT_FIELDS: readonly string[] = [
  'user.id',
  'user.interest',
  'user.browse',
  'user.likes',
  'user.comments',
  'user.shares',
  'user.recency',
  'item.id',
  'item.ad',
  'item.category',
  'item.tag',
  'item.merchant',
  'item.age',
  'ctx.position',
  'ctx.hour',
  'ctx.weekday',
  'ctx.scene',
  'ctx.platform',
];

/**
 * Fields added since, pinned after the crosses' ids: the ids of the fields and crosses above stay
 * what stored models were trained with.
 */
export const LATER_FIELDS: readonly string[] = ['user.dwell', 'user.graph', 'user.community'];

/**
 * Crosses added since: their ids come after LATER_FIELDS (and in this order), so a transformer
 * with them numbers every earlier field and cross as before.
 */
export const LATER_CROSSES: readonly string[] = ['user.community×item.category'];

/** The user's numeric behaviour fields and where each value comes from. */
export const NUMERIC_FIELDS = {
  'user.browse': (u: UserFeatures) => u.browseCount,
  'user.likes': (u: UserFeatures) => u.likeCount,
  'user.comments': (u: UserFeatures) => u.commentCount,
  'user.shares': (u: UserFeatures) => u.shareCount,
  'user.recency': (u: UserFeatures) => u.recencyHours,
  'user.dwell': (u: UserFeatures) => u.dwellCount,
} as const;
export type NumericField = keyof typeof NUMERIC_FIELDS;

/**
 * How a numeric field reaches the model: `bucket`, one token of its log bucket (logBucket);
 * `z`, one entry of value (v − μ)/σ over v = ln(1 + x) (the counts and hours are heavy-tailed;
 * μ, σ running, NumericScaler); `both`.
 */
export type NumericMode = 'bucket' | 'z' | 'both';

/**
 * Chosen on the product's simulated users (`npm run simulate -- --json --compare`, figures in
 * docs/benchmarks.md, issue 15): see there which measured better.
 */
export const NUMERIC_MODES: Readonly<Record<NumericField, NumericMode>> = {
  'user.browse': 'both',
  'user.likes': 'both',
  'user.comments': 'both',
  'user.shares': 'both',
  'user.recency': 'both',
  'user.dwell': 'z',
};

/** A numeric field's value fit for a feature, or undefined (missing, negative or absurd). */
const numericValue = (v: number | undefined): number | undefined =>
  v === undefined || !Number.isFinite(v) || v < 0 || v > ABSURD ? undefined : v;

/** Multi-valued fields (interest tags, item tags) are capped so that one example stays small. */
export const MAX_TAGS = 8;

/** Counts and hours above this are treated as garbage ("NA"), not as huge buckets. */
const ABSURD = 1e9;

const num = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) || v < 0 || v > ABSURD ? 'NA' : logBucket(v);
/** The `item.age` token of an age in hours (log-bucketed; "NA" when missing or absurd). */
export const ageToken = (ageHours: number | undefined): string => num(ageHours);
const small = (v: number | undefined, max: number): string =>
  v === undefined || !Number.isInteger(v) || v < 0 || v > max ? 'NA' : String(v);

export class CtrFeatureTransformer {
  readonly hasher: FeatureHasher;
  /** Each cross's field name (`a×b`) and id. */
  private readonly crossFields: string[];
  private readonly crossIds: number[];

  /**
   * The statistics standardised fields are scaled with: the trainer's running ones while it
   * learns, the model's own (stored with it) when serving.
   */
  scaler = new NumericScaler();

  /** `memoLimit`: tokens whose buckets the hasher remembers (FeatureHasher); serving sets it, training need not. */
  constructor(
    bits: number,
    readonly crosses: readonly Cross[] = DEFAULT_CROSSES,
    memoLimit = 0,
    readonly numeric: Readonly<Record<NumericField, NumericMode>> = NUMERIC_MODES,
  ) {
    this.hasher = new FeatureHasher(bits, memoLimit);
    // Field ids are pinned here, not left to first use: a field-aware model trained by one
    // transformer is scored by another (serving), and both must number the fields alike even
    // when the first input either sees lacks some field (no interests, an item without tags).
    for (const f of PRODUCT_FIELDS) this.hasher.fieldId(f);
    this.crossFields = crosses.map(([a, b]) => `${a}×${b}`);
    const later = (f: string) => LATER_CROSSES.includes(f);
    for (const f of this.crossFields) if (!later(f)) this.hasher.fieldId(f);
    for (const f of LATER_FIELDS) this.hasher.fieldId(f);
    for (const f of LATER_CROSSES) if (this.crossFields.includes(f)) this.hasher.fieldId(f);
    this.crossIds = this.crossFields.map((f) => this.hasher.fieldId(f));
  }

  /** The raw field → values map of one input's tokens (exposed for tests and for explaining a score). */
  fields(input: CtrInput): Map<string, string[]> {
    const m = new Map<string, string[]>();
    userFields(input.user, m, this.numeric);
    itemFields(input.item, m);
    contextFields(input.context, m);
    return m;
  }

  /**
   * Hashes one input into vec (cleared first): the user's tokens, then their standardised values,
   * then the item's and the context's tokens, then the crosses (the order serving keeps too);
   * multi-valued fields share weight 1/√count.
   */
  transform(input: CtrInput, vec: FeatureVector = new FeatureVector()): FeatureVector {
    vec.clear();
    const u = new Map<string, string[]>();
    userFields(input.user, u, this.numeric);
    this.hashFields(u, vec);
    this.appendNumeric(input.user, vec);
    const m = new Map<string, string[]>();
    itemFields(input.item, m);
    contextFields(input.context, m);
    this.hashFields(m, vec);
    this.hashCrosses((f) => u.get(f) ?? m.get(f), vec);
    return vec;
  }

  /** Appends one entry per standardised field the user has a value of: token `field=z`, value (v − μ)/σ. */
  appendNumeric(user: UserFeatures, vec: FeatureVector): void {
    for (const f of Object.keys(NUMERIC_FIELDS) as NumericField[]) {
      if (this.numeric[f] === 'bucket') continue;
      const v = numericValue(NUMERIC_FIELDS[f](user));
      if (v !== undefined) this.hasher.add(vec, f, 'z', this.scaler.z(f, Math.log1p(v)));
    }
  }

  /** Folds the user's standardised values into the running statistics (the trainer, after learning from them). */
  observeNumeric(user: UserFeatures): void {
    for (const f of Object.keys(NUMERIC_FIELDS) as NumericField[]) {
      if (this.numeric[f] === 'bucket') continue;
      const v = numericValue(NUMERIC_FIELDS[f](user));
      if (v !== undefined) this.scaler.observe(f, Math.log1p(v));
    }
  }

  /** Appends the tokens of `m`, in its order; multi-valued fields share weight 1/√count. */
  hashFields(m: ReadonlyMap<string, readonly string[]>, vec: FeatureVector): void {
    for (const [field, values] of m) {
      const x = 1 / Math.sqrt(values.length);
      for (const v of values) this.hasher.add(vec, field, v, x);
    }
  }

  /** Appends the configured crosses of the fields `get` knows. */
  hashCrosses(get: (field: string) => readonly string[] | undefined, vec: FeatureVector): void {
    for (let c = 0; c < this.crosses.length; c++)
      this.hashCross(c, get(this.crosses[c][0]), get(this.crosses[c][1]), vec);
  }

  /** Appends cross c (an index into `crosses`) of the values va × vb, if both are present. */
  hashCross(
    c: number,
    va: readonly string[] | undefined,
    vb: readonly string[] | undefined,
    vec: FeatureVector,
  ): void {
    if (!va || !vb) return;
    const field = this.crossFields[c];
    const id = this.crossIds[c];
    for (const x of va) for (const y of vb) this.hasher.addCrossOf(vec, field, id, x, y);
  }
}

type FieldMap = Map<string, string[]>;

function put(m: FieldMap, f: string, vs: Array<string | undefined>): void {
  const kept = vs
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .slice(0, MAX_TAGS);
  if (kept.length) m.set(f, kept);
}

/** The user's token fields, added to m in their fixed order (numeric fields in a mode with a bucket token). */
export function userFields(
  u: UserFeatures,
  m: FieldMap,
  numeric: Readonly<Record<NumericField, NumericMode>> = NUMERIC_MODES,
): void {
  put(m, 'user.id', [u.id]);
  put(m, 'user.interest', [...(u.interests ?? [])]);
  for (const f of Object.keys(NUMERIC_FIELDS) as NumericField[])
    if (numeric[f] !== 'z') put(m, f, [num(NUMERIC_FIELDS[f](u))]);
  if (u.graph) {
    put(m, 'user.graph', graphTokens(u.graph));
    if (u.graph.community !== null) put(m, 'user.community', [small(u.graph.community, 1e6)]);
  }
}

/** A share in [0, 1] as one of six steps ("NA" when outside). */
const share = (v: number): string =>
  Number.isFinite(v) && v >= 0 && v <= 1 ? String(Math.round(v * 5)) : 'NA';

/**
 * The graph's numeric features as tokens of one multi-valued field: degree, activity and
 * influence (×10, so the mean node's 1 is not bucket 1) log-bucketed, clustering and shared
 * interest in fifths.
 */
export function graphTokens(g: GraphFeatures): string[] {
  return [
    `deg=${num(g.degree)}`,
    `act=${num(g.activity)}`,
    `inf=${num(g.influence * 10)}`,
    `cl=${share(g.clustering)}`,
    `si=${share(g.sharedInterest)}`,
  ];
}

/** The item's (or ad's) fields, added to m in their fixed order. */
export function itemFields(i: ItemFeatures, m: FieldMap): void {
  put(m, 'item.id', [i.id]);
  put(m, 'item.ad', [i.adId ?? 'none']);
  put(m, 'item.category', [i.category ?? 'NA']);
  put(m, 'item.tag', [...(i.tags ?? [])]);
  put(m, 'item.merchant', [i.merchantId ?? 'NA']);
  put(m, 'item.age', [ageToken(i.ageHours)]);
}

/** The context's fields, added to m in their fixed order. */
export function contextFields(c: ContextFeatures, m: FieldMap): void {
  put(m, 'ctx.position', [small(c.position, 1000)]);
  put(m, 'ctx.hour', [small(c.hour, 23)]);
  put(m, 'ctx.weekday', [small(c.weekday, 6)]);
  put(m, 'ctx.scene', [c.scene ?? 'NA']);
  put(m, 'ctx.platform', [c.platform ?? 'NA']);
}
