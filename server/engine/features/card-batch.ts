/**
 * The click features of one serving request's cards, hashed with as little per-card work as
 * possible. A request scores many cards for one user in one context, so:
 * - the user's and the context's tokens are hashed once per request (`begin`);
 * - each item's own tokens (id, ad, category, tags, merchant: everything but its age) are hashed
 *   once per item object and kept (`record`): a warm instance's catalog objects live until the
 *   catalog is reloaded, so this is a per-catalog-version cache; ads are kept by id;
 * - the crosses depend on the request and on the item fields they read (for the default crosses,
 *   category and ad), so they are hashed once per distinct value of those fields per request
 *   (`group`);
 * - only the age token is looked up per card.
 *
 * `vector` assembles, entry for entry, the vector CtrFeatureTransformer.transform gives for the
 * same card (test/server/engine/card-batch.test.ts), so every model scores it exactly alike. The
 * split into request, group and own entries is what the field-aware FM's serving path
 * (server/engine/models/ffm-serving.ts) precomputes partial scores over.
 */
import type { CtrFeatureTransformer } from './transformer';
import {
  ageToken,
  contextFields,
  itemFields,
  sideOf,
  userFields,
  type Side,
  type ContextFeatures,
  type ItemFeatures,
  type UserFeatures,
} from './transformer';
import { FeatureVector } from './vector';

const AGE = 'item.age';

/** One item's hashed tokens (all but its age), kept per item object. */
export interface ItemRecord {
  /** The item's id token value, to check a cached record still belongs to the card. */
  readonly id: string;
  /** The item's entries in the transformer's order, age excluded (it is the last item field). */
  readonly all: FeatureVector;
  /** The entries of item fields that no cross reads (the item's own part). */
  readonly own: FeatureVector;
  /** The entries of item fields some cross reads: the same for every item of its group. */
  readonly shared: FeatureVector;
  /** Group key: the values of the item fields the crosses read. */
  readonly key: string;
  /** Values of the item fields the crosses read. */
  readonly crossValues: ReadonlyMap<string, readonly string[]>;
}

/** Cards that share the item fields the crosses read: their shared item entries and cross entries. */
export interface CardGroup {
  readonly shared: FeatureVector;
  /** Cross entries, one chunk per configured cross, in order (chunks are shared within the request). */
  readonly crosses: readonly FeatureVector[];
}

/** Records kept by string key (ads have no catalog object to hang them on); the map starts over when full. */
const MAX_KEYED_RECORDS = 20_000;

export class CardBatch {
  /** Item fields some cross reads, in a fixed order (the group key is built from their values). */
  private readonly crossItemFields: string[];
  private readonly sides: ReadonlyArray<readonly [Side, Side]>;
  private readonly byObject = new WeakMap<object, ItemRecord>();
  private readonly byKey = new Map<string, ItemRecord>();
  private readonly ageField: number;
  // The request in progress.
  private userFields = new Map<string, string[]>();
  private ctxFields = new Map<string, string[]>();
  readonly user = new FeatureVector(32);
  readonly context = new FeatureVector(16);
  private groups = new Map<string, CardGroup>();
  private chunks = new Map<string, FeatureVector>();

  constructor(readonly base: CtrFeatureTransformer) {
    this.sides = base.crosses.map(([a, b]) => [sideOf(a), sideOf(b)] as const);
    const fields = new Set<string>();
    for (const [a, b] of base.crosses)
      for (const f of [a, b]) if (sideOf(f) === 'item') fields.add(f);
    // The age changes with the clock, so it is looked up per card and cannot key a group.
    if (fields.has(AGE)) throw new RangeError('CardBatch cannot batch a cross over item.age');
    this.crossItemFields = [...fields];
    this.ageField = base.hasher.fieldId(AGE);
  }

  /** Counts begin calls: a caller holding a request knows whether another one began since. */
  generation = 0;

  /** Starts a request: hashes the user's and the context's tokens; groups start over. Returns the new generation. */
  begin(user: UserFeatures, context: ContextFeatures): number {
    this.userFields = new Map();
    userFields(user, this.userFields, this.base.numeric);
    this.user.clear();
    this.base.hashFields(this.userFields, this.user);
    this.base.appendNumeric(user, this.user);
    this.ctxFields = new Map();
    contextFields(context, this.ctxFields);
    this.context.clear();
    this.base.hashFields(this.ctxFields, this.context);
    this.groups = new Map();
    this.chunks = new Map();
    return ++this.generation;
  }

  /**
   * The hashed record of an item without its age (`item.ageHours` is ignored), kept under
   * `cacheKey`: the catalog object the item's fields come from (kept as long as that object
   * lives, i.e. per catalog version), a string for items with no such object (an ad: its id; a
   * bounded map), or null for no caching. The key must determine every field but the age.
   */
  record(item: ItemFeatures, cacheKey: object | string | null): ItemRecord {
    const cached =
      cacheKey === null
        ? undefined
        : typeof cacheKey === 'string'
          ? this.byKey.get(cacheKey)
          : this.byObject.get(cacheKey);
    if (cached && cached.id === item.id) return cached;
    const rec = this.build(item);
    if (typeof cacheKey === 'string') {
      if (this.byKey.size >= MAX_KEYED_RECORDS) this.byKey.clear();
      this.byKey.set(cacheKey, rec);
    } else if (cacheKey !== null) this.byObject.set(cacheKey, rec);
    return rec;
  }

  private build(item: ItemFeatures): ItemRecord {
    const m = new Map<string, string[]>();
    itemFields({ ...item, ageHours: undefined }, m);
    const keys = [...m.keys()];
    if (keys[keys.length - 1] !== AGE)
      throw new Error('CardBatch expects item.age to be the last item field');
    m.delete(AGE);
    const all = new FeatureVector(16);
    const own = new FeatureVector(16);
    const shared = new FeatureVector(4);
    const crossed = new Set(this.crossItemFields);
    for (const [field, values] of m) {
      const one = new Map([[field, values]]);
      this.base.hashFields(one, all);
      this.base.hashFields(one, crossed.has(field) ? shared : own);
    }
    const crossValues = new Map<string, string[]>();
    for (const f of this.crossItemFields) {
      const v = m.get(f);
      if (v) crossValues.set(f, v);
    }
    const key = this.crossItemFields
      .map((f) => m.get(f)?.join('\u0002') ?? '\u0003')
      .join('\u0001');
    return { id: item.id, all, own, shared, key, crossValues };
  }

  /** The group of a record in this request: its shared item entries and the crosses, hashed once per group. */
  group(rec: ItemRecord): CardGroup {
    let g = this.groups.get(rec.key);
    if (g) return g;
    const crosses: FeatureVector[] = [];
    for (let c = 0; c < this.base.crosses.length; c++) crosses.push(this.crossChunk(c, rec));
    g = { shared: rec.shared, crosses };
    this.groups.set(rec.key, g);
    return g;
  }

  /** Entries of cross c for a record, hashed once per request and value of the cross's own item fields (an ad's id, a category). */
  private crossChunk(c: number, rec: ItemRecord): FeatureVector {
    const [a, b] = this.base.crosses[c];
    const [sa, sb] = this.sides[c];
    const va =
      sa === 'user'
        ? this.userFields.get(a)
        : sa === 'ctx'
          ? this.ctxFields.get(a)
          : rec.crossValues.get(a);
    const vb =
      sb === 'user'
        ? this.userFields.get(b)
        : sb === 'ctx'
          ? this.ctxFields.get(b)
          : rec.crossValues.get(b);
    let key = String(c);
    if (sa === 'item') key += `\u0001${va?.join('\u0002') ?? '\u0003'}`;
    if (sb === 'item') key += `\u0001${vb?.join('\u0002') ?? '\u0003'}`;
    let chunk = this.chunks.get(key);
    if (!chunk) {
      chunk = new FeatureVector(8);
      this.base.hashCross(c, va, vb, chunk);
      this.chunks.set(key, chunk);
    }
    return chunk;
  }

  /** Bucket of the age token (`item.age`, weight 1: one value). */
  ageBucket(ageHours: number | undefined): number {
    return this.base.hasher.bucket(AGE, ageToken(ageHours));
  }

  /** Field id of the age token. */
  get ageFieldId(): number {
    return this.ageField;
  }

  /** The card's vector, entry for entry CtrFeatureTransformer.transform's (user, item, context, crosses). */
  vector(rec: ItemRecord, ageHours: number | undefined, vec: FeatureVector): FeatureVector {
    vec.clear();
    vec.append(this.user);
    vec.append(rec.all);
    vec.push(this.ageBucket(ageHours), this.ageField, 1);
    vec.append(this.context);
    for (const chunk of this.group(rec).crosses) vec.append(chunk);
    return vec;
  }
}
