/** The social graph as the engine computes on it: undirected, weighted, nodes by string id. */
import { UndirectedGraph } from 'graphology';

/** One undirected tie between two nodes, with its (already decayed) weight. */
export interface WeightedEdge {
  a: string;
  b: string;
  weight: number;
}

/**
 * Builds a graphology graph from edges: self-loops are dropped (a tie needs two people), a pair
 * listed twice (either direction) keeps the sum of its weights, and `nodes` adds isolated nodes.
 */
export function buildGraph(
  edges: Iterable<WeightedEdge>,
  nodes: Iterable<string> = [],
): UndirectedGraph {
  const g = new UndirectedGraph();
  for (const n of nodes) g.mergeNode(n);
  for (const { a, b, weight } of edges) {
    if (a === b || !(weight > 0)) continue;
    g.mergeNode(a);
    g.mergeNode(b);
    const key = g.edge(a, b);
    if (key === undefined) g.addEdge(a, b, { weight });
    else g.updateEdgeAttribute(key, 'weight', (w: number | undefined) => (w ?? 0) + weight);
  }
  return g;
}

/**
 * Neighbour sets by dense index, for the scoring loops of link prediction: `order` ranks nodes
 * for tie-breaking (the caller decides it, e.g. numeric ids in the benchmark).
 */
export interface NeighbourIndex {
  ids: string[];
  index: Map<string, number>;
  nbrs: Int32Array[];
}

export function neighbourIndex(
  g: UndirectedGraph,
  order?: (a: string, b: string) => number,
): NeighbourIndex {
  const ids = g.nodes();
  if (order) ids.sort(order);
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const nbrs = ids.map((id) => {
    const list = g.neighbors(id).map((n) => index.get(n) as number);
    return Int32Array.from(list).sort();
  });
  return { ids, index, nbrs };
}
