/**
 * Choosing and fitting the friend recommender on training edges only: a validation split is
 * carved from the edges it is given (every `fold`-th edge), the pair model is fitted on half of
 * the validation users and every scorer is compared on the other half, then the winner is refitted
 * on the whole validation split. Test edges never reach this module.
 */
import type { UndirectedGraph } from 'graphology';
import { detectCommunities } from './communities';
import { buildGraph, neighbourIndex, type NeighbourIndex, type WeightedEdge } from './graph';
import {
  fitPairModel,
  PairScratch,
  recommend,
  type PairModel,
  type Scorer,
} from './link-prediction';

export interface LinkPredictor {
  scorer: Scorer;
  model: PairModel | null;
  /** Recall@k of each scorer on the validation users the model was not fitted on. */
  validation: Record<Scorer, number>;
}

export interface SelectionOptions {
  /** Every `fold`-th edge (0-based position % fold === 0) is a validation edge. */
  fold?: number;
  k?: number;
  shortlist?: number;
  seed?: number;
  order?: (a: string, b: string) => number;
}

/** Held-out neighbours per node index, minus pairs the graph still links (duplicates). */
export function heldOutByNode(
  idx: NeighbourIndex,
  held: readonly WeightedEdge[],
): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const { a, b } of held) {
    const ia = idx.index.get(a);
    const ib = idx.index.get(b);
    if (ia === undefined || ib === undefined || ia === ib) continue;
    if (!out.has(ia)) out.set(ia, new Set());
    if (!out.has(ib)) out.set(ib, new Set());
    out.get(ia)?.add(ib);
    out.get(ib)?.add(ia);
  }
  for (const [u, set] of out) for (const v of idx.nbrs[u]) set.delete(v);
  return out;
}

/** Community id per node index (−1 when none), from Louvain on the graph. */
export function communityArray(g: UndirectedGraph, idx: NeighbourIndex, seed = 0): Int32Array {
  const c = detectCommunities(g, { seeds: [seed], weight: null });
  return Int32Array.from(idx.ids, (id) => c.of.get(id) ?? -1);
}

/** Recall@k and precision@k of one scorer over the given users. */
export function recallAt(
  idx: NeighbourIndex,
  held: Map<number, Set<number>>,
  k: number,
  scorer: Scorer,
  model: PairModel | null,
  community: Int32Array | null,
  users?: (u: number) => boolean,
): { recall: number; precision: number; users: number } {
  const s = new PairScratch(idx.ids.length);
  let hits = 0;
  let total = 0;
  let recs = 0;
  let n = 0;
  for (const [u, truth] of held) {
    if (!truth.size || (users && !users(u))) continue;
    for (const c of recommend(idx, u, k, scorer, s, model, community))
      if (truth.has(c.node)) hits++;
    total += truth.size;
    recs += k;
    n++;
  }
  return { recall: total ? hits / total : 0, precision: recs ? hits / recs : 0, users: n };
}

export function selectLinkPredictor(
  nodes: readonly string[],
  edges: readonly WeightedEdge[],
  options: SelectionOptions = {},
): LinkPredictor {
  const fold = options.fold ?? 9;
  const k = options.k ?? 10;
  const inner: WeightedEdge[] = [];
  const val: WeightedEdge[] = [];
  edges.forEach((e, i) => (i % fold === 0 ? val : inner).push(e));
  const g = buildGraph(inner, nodes);
  const idx = neighbourIndex(g, options.order);
  const held = heldOutByNode(idx, val);
  const community = communityArray(g, idx, options.seed ?? 0);
  // Two halves of the validation users by index parity: fit on one, compare on the other.
  const half = (u: number): boolean => u % 2 === 0;
  const fitHalf = new Map([...held].filter(([u]) => half(u)));
  const model = fitPairModel(idx, fitHalf, community, { shortlist: options.shortlist });
  const validation = {} as Record<Scorer, number>;
  const scorers: Scorer[] = ['adamic-adar', 'resource-allocation', 'common-neighbours', 'learned'];
  for (const scorer of scorers) {
    validation[scorer] = recallAt(idx, held, k, scorer, model, community, (u) => !half(u)).recall;
  }
  const scorer = scorers.reduce((best, s) => (validation[s] > validation[best] ? s : best));
  return {
    scorer,
    model:
      scorer === 'learned'
        ? fitPairModel(idx, held, community, { shortlist: options.shortlist })
        : null,
    validation,
  };
}
