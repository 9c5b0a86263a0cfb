/**
 * Communities of the social graph: Louvain (Blondel, Guillaume, Lambiotte & Lefebvre 2008, "Fast
 * unfolding of communities in large networks") through graphology-communities-louvain, seeded
 * so a result repeats, best modularity over a few seeds (the same protocol as the networkx anchor).
 */
import type { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import modularity from 'graphology-metrics/graph/modularity';
import { mulberry32 } from '../models/rng';

export interface Communities {
  /** Community id per node, 0-based and dense. */
  of: Map<string, number>;
  count: number;
  /** Newman–Girvan modularity of this partition (weighted when the graph has weights). */
  modularity: number;
  /** The seed that produced it. */
  seed: number;
}

export interface CommunityOptions {
  /** Seeds tried (the best modularity wins; ties go to the earlier seed). */
  seeds?: readonly number[];
  resolution?: number;
  /** Edge attribute holding the weight, or null to count every edge as 1. */
  weight?: string | null;
}

export function detectCommunities(g: UndirectedGraph, options: CommunityOptions = {}): Communities {
  const seeds = options.seeds ?? [0, 1, 2, 3, 4];
  const weight = options.weight === undefined ? 'weight' : options.weight;
  let best: Communities | null = null;
  if (g.size === 0) {
    const of = new Map<string, number>();
    g.forEachNode((n) => of.set(n, of.size));
    return { of, count: of.size, modularity: 0, seed: seeds[0] ?? 0 };
  }
  for (const seed of seeds) {
    const found = louvain.detailed(g, {
      rng: mulberry32(seed),
      resolution: options.resolution ?? 1,
      getEdgeWeight: weight,
    });
    const of = new Map(Object.entries(found.communities));
    const q = modularity(g, {
      getNodeCommunity: (n: string) => of.get(n) as number,
      getEdgeWeight: weight,
      resolution: options.resolution ?? 1,
    });
    if (!best || q > best.modularity) best = { of, count: found.count, modularity: q, seed };
  }
  return best as Communities;
}
