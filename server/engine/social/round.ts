/**
 * One round of social analysis on the current ties: per user, graph features (degree, weighted
 * activity, PageRank influence — Brin & Page 1998 —, local clustering, Louvain community, shared
 * interest with ties), the strongest ties, people to suggest (link prediction) and groups to
 * suggest (real groups the user's ties are in, and communities the user is close to but not in).
 */
import type { UndirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { detectCommunities } from './communities';
import { buildGraph, neighbourIndex, type WeightedEdge } from './graph';
import { PairScratch, recommend, type PairModel, type Scorer } from './link-prediction';

export interface SocialRoundParams {
  /** Ties kept per user (the social candidate source and social proof read these). */
  ties: number;
  people: number;
  groups: number;
  seed: number;
}

export const DEFAULT_ROUND_PARAMS: SocialRoundParams = { ties: 50, people: 10, groups: 5, seed: 0 };

export interface UserSocial {
  openid: string;
  features: {
    degree: number;
    activity: number;
    influence: number;
    clustering: number;
    community: number | null;
    sharedInterest: number;
  };
  ties: { other: string; weight: number }[];
  people: { other: string; weight: number }[];
  /** "group:<openGId>" for a real WeChat group, "community:<id>" for a Louvain community. */
  groups: { other: string; weight: number }[];
}

export interface SocialRoundResult {
  users: UserSocial[];
  modularity: number;
  communities: number;
}

/** Cosine similarity of two sparse interest vectors (0 when either is empty). */
export function cosine(a: Record<string, number>, b: Record<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of Object.entries(a)) {
    na += v * v;
    const w = b[k];
    if (w !== undefined) dot += v * w;
  }
  for (const v of Object.values(b)) nb += v * v;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Local clustering coefficient of every node (unweighted: triangles over possible pairs). */
export function localClustering(g: UndirectedGraph): Map<string, number> {
  const out = new Map<string, number>();
  g.forEachNode((n) => {
    const nb = g.neighbors(n);
    const k = nb.length;
    if (k < 2) return out.set(n, 0);
    let links = 0;
    for (let i = 0; i < k; i++)
      for (let j = i + 1; j < k; j++) if (g.hasEdge(nb[i], nb[j])) links++;
    out.set(n, (2 * links) / (k * (k - 1)));
  });
  return out;
}

export function socialRound(
  edges: readonly WeightedEdge[],
  memberships: readonly WeightedEdge[],
  interests: ReadonlyMap<string, Record<string, number>>,
  predictor: { scorer: Scorer; model: PairModel | null } = { scorer: 'adamic-adar', model: null },
  params: SocialRoundParams = DEFAULT_ROUND_PARAMS,
): SocialRoundResult {
  const g = buildGraph(edges);
  const users = g.nodes().sort();
  if (!users.length) return { users: [], modularity: 0, communities: 0 };
  const comm = detectCommunities(g, { seeds: [params.seed] });
  const rank = g.size ? pagerank(g, { getEdgeWeight: 'weight' }) : {};
  const clustering = localClustering(g);
  const idx = neighbourIndex(g);
  const scratch = new PairScratch(idx.ids.length);
  const community = Int32Array.from(idx.ids, (id) => comm.of.get(id) ?? -1);
  const groupsOf = new Map<string, Map<string, number>>();
  for (const m of memberships) {
    if (!groupsOf.has(m.a)) groupsOf.set(m.a, new Map());
    const mine = groupsOf.get(m.a) as Map<string, number>;
    mine.set(m.b, (mine.get(m.b) ?? 0) + m.weight);
  }
  const byWeight = (a: { other: string; weight: number }, b: { other: string; weight: number }) =>
    b.weight - a.weight || (a.other < b.other ? -1 : a.other > b.other ? 1 : 0);
  const n = users.length;
  const out: UserSocial[] = users.map((u) => {
    const ties: { other: string; weight: number }[] = [];
    g.forEachNeighbor(u, (v) =>
      ties.push({ other: v, weight: g.getEdgeAttribute(u, v, 'weight') }),
    );
    ties.sort(byWeight);
    const activity = ties.reduce((s, t) => s + t.weight, 0);
    const mine = interests.get(u);
    const sims = mine ? ties.map((t) => cosine(mine, interests.get(t.other) ?? {})) : [];
    const ui = idx.index.get(u) as number;
    const people = recommend(
      idx,
      ui,
      params.people,
      predictor.scorer,
      scratch,
      predictor.model,
      community,
    ).map((c) => ({ other: idx.ids[c.node], weight: c.score }));
    // Groups: real groups the ties are in and the user is not, by tie weight; then communities
    // the user's ties belong to other than the user's own, by the weight of ties into them.
    const own = groupsOf.get(u) ?? new Map<string, number>();
    const ownCommunity = comm.of.get(u);
    const cand = new Map<string, number>();
    for (const t of ties) {
      for (const gid of groupsOf.get(t.other)?.keys() ?? []) {
        if (!own.has(gid)) cand.set(`group:${gid}`, (cand.get(`group:${gid}`) ?? 0) + t.weight);
      }
      const c = comm.of.get(t.other);
      if (c !== undefined && c !== ownCommunity)
        cand.set(`community:${c}`, (cand.get(`community:${c}`) ?? 0) + t.weight);
    }
    const groups = [...cand].map(([other, weight]) => ({ other, weight })).sort(byWeight);
    return {
      openid: u,
      features: {
        degree: ties.length,
        activity,
        influence: (rank[u] ?? 0) * n,
        clustering: clustering.get(u) ?? 0,
        community: ownCommunity ?? null,
        sharedInterest: sims.length ? sims.reduce((s, x) => s + x, 0) / sims.length : 0,
      },
      ties: ties.slice(0, params.ties),
      people,
      groups: groups.slice(0, params.groups),
    };
  });
  return { users: out, modularity: comm.modularity, communities: comm.count };
}
