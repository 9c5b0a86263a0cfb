/**
 * Diversity re-ranking: greedy selection by score, where an item loses `penalty` of its score
 * for every item of its category among the previous `window` picks (an MMR-style redundancy
 * term on categories, Carbonell & Goldstein 1998), and a category may fill at most `maxShare`
 * of any window, as long as other categories have candidates left. Items that came from the
 * user's close ties carry the community whose ties favoured them; one community may fill at most
 * `communityMaxShare` of any window the same way, so a screen is not one circle's favourites.
 *
 * Calibrated (Steck 2018, "Calibrated recommendations", RecSys): given the user's own share of
 * interest per category (`calibration`), a category the user has shown to care for is owed that
 * share of a window before it is penalised or capped — a user whose engagement is nine parts one
 * category gets a page of mostly that category, one with broad tastes a broad page. Without
 * evidence (shares shrunk towards 0: categoryShares) the rule is the plain one above.
 */

export interface RerankParams {
  window: number;
  /** Score lost per same-category item in the window, relative (0.1 = −10 % each). */
  penalty: number;
  /** Largest share of any window one category may take. */
  maxShare: number;
  /** Largest share of any window one community's favourites may take (default 0.3). */
  communityMaxShare?: number;
  /**
   * Calibration to the user's own category shares (categoryShares' prior, in interest units);
   * absent: not calibrated (the cold-start re-rank, which has no interests to calibrate to).
   */
  calibrationPrior?: number;
}

export const DEFAULT_COMMUNITY_MAX_SHARE = 0.3;

export const DEFAULT_RERANK: RerankParams = {
  window: 10,
  penalty: 0.08,
  maxShare: 0.5,
  calibrationPrior: 3,
};

export interface Ranked {
  index: number;
  score: number;
  category: string;
  /** The community whose ties favoured the item (social candidates only). */
  community?: string;
}

/** The first `n` picks, in order. `items` need not be sorted. */
export function diversify(
  items: readonly Ranked[],
  n: number,
  params: RerankParams = DEFAULT_RERANK,
  calibration?: ReadonlyMap<string, number>,
): Ranked[] {
  const left = [...items].sort((a, b) => b.score - a.score || a.index - b.index);
  const out: Ranked[] = [];
  const plainCap = Math.max(1, Math.floor(params.window * params.maxShare));
  // Items of a category owed to the user in a window (their calibrated share), free of penalty and cap.
  const owed = (category: string): number =>
    Math.floor(params.window * Math.min(1, calibration?.get(category) ?? 0));
  const capOf = (category: string): number => Math.max(plainCap, owed(category));
  const communityCap = Math.max(
    1,
    Math.floor(params.window * (params.communityMaxShare ?? DEFAULT_COMMUNITY_MAX_SHARE)),
  );
  while (out.length < n && left.length) {
    const recent = new Map<string, number>();
    const circles = new Map<string, number>();
    for (const r of out.slice(-params.window + 1)) {
      recent.set(r.category, (recent.get(r.category) ?? 0) + 1);
      if (r.community !== undefined) circles.set(r.community, (circles.get(r.community) ?? 0) + 1);
    }
    let best = -1;
    let bestScore = -Infinity;
    let fallback = -1;
    // Sorted by score, so once the raw score cannot beat the best adjusted one, stop looking.
    for (let j = 0; j < left.length; j++) {
      const c = left[j];
      if (c.score <= bestScore && best >= 0) break;
      const same = recent.get(c.category) ?? 0;
      const full = c.community !== undefined && (circles.get(c.community) ?? 0) >= communityCap;
      if (same >= capOf(c.category) || full) {
        if (fallback < 0) fallback = j;
        continue;
      }
      const adj = c.score * (1 - params.penalty * Math.max(0, same - owed(c.category)));
      if (adj > bestScore) {
        bestScore = adj;
        best = j;
      }
    }
    const take = best >= 0 ? best : fallback;
    out.push(left[take]);
    left.splice(take, 1);
  }
  return out;
}

/**
 * The user's share of interest per category, shrunk towards none by `prior` (in the profile's
 * interest units: a click counts 1, a like 3): share(c) = I(c) ÷ (Σ I + prior), so a user with
 * little evidence keeps the plain diversity rule and one with much gets a calibrated page.
 * `interests` holds "cat:<category>" and "tag:<tag>" keys (profile.ts); tags are ignored.
 */
export function categoryShares(
  interests: ReadonlyArray<{ tag: string; score: number }>,
  prior: number,
): Map<string, number> {
  const cats = interests.filter((x) => x.tag.startsWith('cat:') && x.score > 0);
  const total = cats.reduce((s, x) => s + x.score, 0) + Math.max(0, prior);
  const out = new Map<string, number>();
  if (!(total > 0)) return out;
  for (const x of cats) out.set(x.tag.slice(4), x.score / total);
  return out;
}
