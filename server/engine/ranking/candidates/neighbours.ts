/**
 * Item-to-item candidates: items similar to what the user engaged with, each engagement
 * weighted by recency (its rank among the user's engagements and its age), summed over the
 * neighbour lists (co-engagement cosine or the learned item model: both have this shape).
 */
import type { SimilarityList } from '../item-model';
import { bestK, type ItemIndex, type Scored } from '../item-index';

/**
 * A list's neighbours as catalog indices (those not in the catalog left out) and scores, kept
 * per list object and catalog index: a warm instance keeps both, so most requests resolve no id.
 * Lists are treated as immutable once read (a changed list comes as a new object).
 */
const resolved = new WeakMap<
  SimilarityList,
  { index: ItemIndex; idx: Int32Array; score: Float64Array }
>();
function resolve(index: ItemIndex, l: SimilarityList): { idx: Int32Array; score: Float64Array } {
  const r = resolved.get(l);
  if (r && r.index === index) return r;
  const idx: number[] = [];
  const score: number[] = [];
  for (const n of l.neighbours) {
    const i = index.pos.get(n.itemId);
    if (i === undefined) continue;
    idx.push(i);
    score.push(n.score);
  }
  const out = { index, idx: Int32Array.from(idx), score: Float64Array.from(score) };
  resolved.set(l, out);
  return out;
}

/** Dense accumulators per index, zero between calls (as the interest source keeps them). */
const scratch = new WeakMap<ItemIndex, { acc: Float64Array; hit: Uint8Array }>();

export interface Engagement {
  itemId: string;
  /** Epoch ms. */
  at: number;
}

export interface NeighbourSourceParams {
  /** Weight of the r-th most recent engagement is rankDecay^r (1: all equal). */
  rankDecay: number;
  /** Age half-life of an engagement's weight, ms (Infinity: age does not matter). */
  halfLifeMs: number;
  /** Engagements used, most recent first. */
  maxHistory: number;
}

export const DEFAULT_NEIGHBOUR_SOURCE: NeighbourSourceParams = {
  rankDecay: 0.9,
  halfLifeMs: Infinity,
  maxHistory: 200,
};

/** `history` newest first; `lists` by item id. Scores are raw sums (the blend normalises). */
export function neighbourSource(
  index: ItemIndex,
  history: readonly Engagement[],
  lists: ReadonlyMap<string, SimilarityList>,
  now: number,
  k: number,
  allowed: (i: number) => boolean,
  params: NeighbourSourceParams = DEFAULT_NEIGHBOUR_SOURCE,
): Scored {
  let s = scratch.get(index);
  if (!s)
    scratch.set(
      index,
      (s = { acc: new Float64Array(index.size), hit: new Uint8Array(index.size) }),
    );
  const { acc, hit } = s;
  const touched: number[] = [];
  try {
    let w = 1;
    for (const e of history.slice(0, params.maxHistory)) {
      const l = lists.get(e.itemId);
      const age = Math.max(0, now - e.at);
      const wt = Number.isFinite(params.halfLifeMs) ? w * Math.pow(2, -age / params.halfLifeMs) : w;
      w *= params.rankDecay;
      if (!l) continue;
      const r = resolve(index, l);
      for (let j = 0; j < r.idx.length; j++) {
        const i = r.idx[j];
        acc[i] += wt * r.score[j];
        if (hit[i] === 0) {
          hit[i] = 1;
          touched.push(i);
        }
      }
    }
    const kept = touched.filter((i) => acc[i] > 0 && allowed(i));
    const out: Scored = new Map();
    for (const i of bestK(kept, acc, k)) out.set(i, acc[i]);
    return out;
  } finally {
    for (const i of touched) {
      acc[i] = 0;
      hit[i] = 0;
    }
  }
}
