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
 */
export function socialCandidates(
  ties: readonly TieEngagement[],
  exclude: ReadonlySet<string>,
  limit: number,
): { itemId: string; score: number }[] {
  const score = new Map<string, number>();
  for (const t of ties) {
    for (const item of new Set(t.items)) {
      if (!exclude.has(item)) score.set(item, (score.get(item) ?? 0) + t.weight);
    }
  }
  return [...score]
    .map(([itemId, s]) => ({ itemId, score: s }))
    .sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1))
    .slice(0, limit);
}
