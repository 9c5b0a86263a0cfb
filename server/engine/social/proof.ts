/**
 * Social proof and the social candidate source, from what a user's close ties engaged with.
 * Privacy rules (issue 16), enforced here so no caller can skip them: only ties who may be shown
 * count (consented, not hidden, not erased: the caller passes only those), only counts leave this
 * module (never who), and an item gets proof only when at least `minTies` ties engaged with it.
 */

/** One tie with the items they engaged with (e.g. their current likes). */
export interface TieEngagement {
  weight: number;
  items: readonly string[];
  /** The tie's Louvain community of the last social round (null or absent: none known). */
  community?: number | null;
}

/** A social candidate: summed tie weight, and the community whose ties gave it the most weight. */
export interface SocialCandidate {
  itemId: string;
  score: number;
  /** Null when none of the ties who engaged with it has a known community. */
  community: number | null;
}

export const MIN_PROOF_TIES = 3;

/** Per item of `itemIds`, how many ties engaged with it, only where that is at least `minTies`. */
export function socialProof(
  ties: readonly TieEngagement[],
  itemIds: readonly string[],
  minTies = MIN_PROOF_TIES,
): Map<string, number> {
  const wanted = new Set(itemIds);
  const counts = new Map<string, number>();
  for (const t of ties) {
    for (const item of new Set(t.items)) {
      if (wanted.has(item)) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
  }
  for (const [item, n] of counts) if (n < minTies) counts.delete(item);
  return counts;
}

/**
 * Items close ties engaged with, by the sum of their tie weights (ties by id order on equal
 * sums), leaving out what the user has already engaged with: the feed's social candidate source.
 * Each carries the community whose ties put the most weight on it (lowest id on equal weight),
 * so the re-ranking can keep one community's favourites from filling a screen.
 */
export function socialCandidates(
  ties: readonly TieEngagement[],
  exclude: ReadonlySet<string>,
  limit: number,
): SocialCandidate[] {
  const score = new Map<string, number>();
  const byCommunity = new Map<string, Map<number, number>>();
  for (const t of ties) {
    for (const item of new Set(t.items)) {
      if (exclude.has(item)) continue;
      score.set(item, (score.get(item) ?? 0) + t.weight);
      if (t.community === null || t.community === undefined) continue;
      let m = byCommunity.get(item);
      if (!m) byCommunity.set(item, (m = new Map()));
      m.set(t.community, (m.get(t.community) ?? 0) + t.weight);
    }
  }
  const dominant = (item: string): number | null => {
    let best: number | null = null;
    let bestW = -Infinity;
    for (const [c, w] of byCommunity.get(item) ?? []) {
      if (w > bestW || (w === bestW && best !== null && c < best)) {
        best = c;
        bestW = w;
      }
    }
    return best;
  };
  return [...score]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([itemId, s]) => ({ itemId, score: s, community: dominant(itemId) }));
}
