/**
 * The click features of a serving request, hashed without repeating work: one request scores
 * hundreds of cards for the same user in the same context, so the user's tokens are hashed once
 * per user object, the context's once per distinct context, token buckets are remembered, and
 * only the card's own fields and the crosses are hashed per card. The vector is entry for entry
 * the one CtrFeatureTransformer.transform gives (same order, so the same score to the last bit).
 *
 * A UserFeatures object is treated as immutable once passed in (serving builds a new one per
 * request); a changed user must come as a new object.
 */
import {
  contextFields,
  CtrFeatureTransformer,
  DEFAULT_CROSSES,
  itemFields,
  sideOf,
  userFields,
  type Side,
  type ContextFeatures,
  type Cross,
  type CtrInput,
  type UserFeatures,
} from './transformer';
import type { NumericScaler } from './numeric';
import { FeatureVector } from './vector';

/** Token buckets a serving instance remembers (a few MB at most). */
export const SERVING_MEMO = 200_000;

interface Segment {
  fields: Map<string, string[]>;
  vec: FeatureVector;
  /** Cross entries of this segment with another's values, by cross and those values. */
  crosses: Map<string, FeatureVector>;
}

/** Cached cross chunks per segment, at most (a segment crossed with item ids could otherwise grow with the catalog). */
const MAX_CROSS_CHUNKS = 10_000;

const contextKey = (c: ContextFeatures): string =>
  JSON.stringify([c.position, c.hour, c.weekday, c.scene, c.platform]);

export class ServingTransformer {
  readonly base: CtrFeatureTransformer;
  private user: UserFeatures | null = null;
  private userSeg: Segment | null = null;
  private ctxKey: string | null = null;
  private ctxSeg: Segment | null = null;
  private readonly itemMap = new Map<string, string[]>();
  private readonly sides: ReadonlyArray<readonly [Side, Side]>;

  constructor(bits: number, crosses: readonly Cross[] = DEFAULT_CROSSES, memoLimit = SERVING_MEMO) {
    this.base = new CtrFeatureTransformer(bits, crosses, memoLimit);
    this.sides = crosses.map(([a, b]) => [sideOf(a), sideOf(b)] as const);
  }

  private segment(
    fill: (m: Map<string, string[]>) => void,
    more?: (vec: FeatureVector) => void,
  ): Segment {
    const fields = new Map<string, string[]>();
    fill(fields);
    const vec = new FeatureVector(16);
    this.base.hashFields(fields, vec);
    more?.(vec);
    return { fields, vec, crosses: new Map() };
  }

  /** Scales standardised fields with `scaler` (the serving model's statistics) from now on. */
  useScaler(scaler: NumericScaler): void {
    if (this.base.scaler === scaler) return;
    this.base.scaler = scaler;
    this.userSeg = null; // its standardised entries were scaled with the previous statistics
  }

  transform(input: CtrInput, vec: FeatureVector = new FeatureVector()): FeatureVector {
    vec.clear();
    // Segments in the base transformer's order (user, item, context), so field ids are assigned alike.
    if (input.user !== this.user || !this.userSeg) {
      this.userSeg = this.segment(
        (m) => userFields(input.user, m, this.base.numeric),
        (v) => this.base.appendNumeric(input.user, v),
      );
      this.user = input.user;
    }
    vec.append(this.userSeg.vec);
    const item = this.itemMap;
    item.clear();
    itemFields(input.item, item);
    this.base.hashFields(item, vec);
    const key = contextKey(input.context);
    if (key !== this.ctxKey || !this.ctxSeg) {
      this.ctxSeg = this.segment((m) => contextFields(input.context, m));
      this.ctxKey = key;
    }
    vec.append(this.ctxSeg.vec);
    this.appendCrosses(this.userSeg, item, this.ctxSeg, vec);
    return vec;
  }

  /**
   * Crosses in their configured order. One that involves the user or the context is hashed once
   * per distinct value of its other side and kept on that segment; item × item is hashed per card.
   */
  private appendCrosses(
    userSeg: Segment,
    item: Map<string, string[]>,
    ctxSeg: Segment,
    vec: FeatureVector,
  ): void {
    const crosses = this.base.crosses;
    const values = (side: Side, f: string): string[] | undefined =>
      side === 'user'
        ? userSeg.fields.get(f)
        : side === 'item'
          ? item.get(f)
          : ctxSeg.fields.get(f);
    for (let c = 0; c < crosses.length; c++) {
      const [a, b] = crosses[c];
      const [sa, sb] = this.sides[c];
      const va = values(sa, a);
      const vb = values(sb, b);
      if (sa === 'item' && sb === 'item') {
        this.base.hashCross(c, va, vb, vec);
        continue;
      }
      const ownerSide: Side = sa === 'user' || sb === 'user' ? 'user' : 'ctx';
      const owner = ownerSide === 'user' ? userSeg : ctxSeg;
      let key = String(c);
      if (sa !== ownerSide) key += `\u0001${va?.join('\u0002') ?? '\u0003'}`;
      if (sb !== ownerSide) key += `\u0001${vb?.join('\u0002') ?? '\u0003'}`;
      let chunk = owner.crosses.get(key);
      if (!chunk) {
        if (owner.crosses.size >= MAX_CROSS_CHUNKS) owner.crosses.clear();
        chunk = new FeatureVector(8);
        this.base.hashCross(c, va, vb, chunk);
        owner.crosses.set(key, chunk);
      }
      vec.append(chunk);
    }
  }
}
