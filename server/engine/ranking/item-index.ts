/**
 * The servable catalog as dense arrays (a warm instance builds it once per catalog version):
 * item facts by index, ids to index, items per interest key ("cat:…", "tag:…") and per author,
 * newest first.
 */

export interface ItemFacts {
  id: string;
  category: string;
  tags: readonly string[];
  /** Epoch ms. */
  publishedAt: number;
  /** R1–R5 of a financial product (see engine/suitability.ts); absent for other content. */
  riskLevel?: number;
  /** Where a travel item is (旅游出行): GCJ-02 coordinates and its city; absent for other content. */
  place?: { city: string; lat: number; lng: number };
  /** The catalog's author (creator) id, for the followed-authors source. */
  authorId?: string;
}

export class ItemIndex {
  readonly pos = new Map<string, number>();
  /** Item indices per interest key, the same keys user profiles use. */
  readonly byKey = new Map<string, number[]>();
  /** Item indices, newest first (publishedAt desc, id desc). */
  readonly newest: number[];
  /** Each item's share of one tag interest: 1 / its tag count (at most 8 counted, at least 1). */
  readonly tagShare: Float64Array;
  /** Indices of the items with a place (the nearby source scans only these). */
  readonly placed: number[] = [];
  /** Item indices per author id, newest first. */
  readonly byAuthor = new Map<string, number[]>();

  constructor(readonly items: readonly ItemFacts[]) {
    items.forEach((it, i) => {
      if (this.pos.has(it.id)) throw new Error(`duplicate item id in index: ${it.id}`);
      this.pos.set(it.id, i);
      if (it.place) this.placed.push(i);
      for (const key of ItemIndex.keys(it)) {
        let l = this.byKey.get(key);
        if (!l) this.byKey.set(key, (l = []));
        l.push(i);
      }
    });
    this.tagShare = Float64Array.from(items, (it) => 1 / Math.max(1, Math.min(8, it.tags.length)));
    this.newest = items
      .map((_, i) => i)
      .sort(
        (a, b) =>
          items[b].publishedAt - items[a].publishedAt || (items[a].id < items[b].id ? 1 : -1),
      );
    for (const i of this.newest) {
      const a = items[i].authorId;
      if (a === undefined) continue;
      let l = this.byAuthor.get(a);
      if (!l) this.byAuthor.set(a, (l = []));
      l.push(i);
    }
  }

  get size(): number {
    return this.items.length;
  }

  /** Interest keys of an item: its category and (up to 8) tags. */
  static keys(it: ItemFacts): string[] {
    return [`cat:${it.category}`, ...it.tags.slice(0, 8).map((t) => `tag:${t}`)];
  }
}

/** Item index → score; a source's candidates or a blend of them. */
export type Scored = Map<number, number>;

/** The k best entries of a score map, best first (ties by index, so results are deterministic). */
export function topK(scores: Scored, k: number): Array<[number, number]> {
  return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}

/**
 * The k best of the item indices `ids` by `score[i]` (descending, ties by index ascending: the
 * order topK gives), best first. Partial selection (Hoare's quickselect), then a sort of the k
 * kept: a request's sources touch thousands of items but keep a few hundred. Reorders `ids`.
 */
export function bestK(ids: number[], score: Float64Array, k: number): number[] {
  const better = (a: number, b: number): boolean =>
    score[a] > score[b] || (score[a] === score[b] && a < b);
  const n = ids.length;
  if (k <= 0) return [];
  if (n > k) {
    // After the loop ids[0..k) are the k best, in no particular order.
    const t = k - 1;
    let lo = 0;
    let hi = n - 1;
    while (hi > lo) {
      const pivot = ids[(lo + hi) >>> 1];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (better(ids[i], pivot)) i++;
        while (better(pivot, ids[j])) j--;
        if (i <= j) {
          const x = ids[i];
          ids[i] = ids[j];
          ids[j] = x;
          i++;
          j--;
        }
      }
      if (t <= j) hi = j;
      else if (t >= i) lo = i;
      else break;
    }
  }
  const top = n > k ? ids.slice(0, k) : ids.slice();
  return top.sort((a, b) => score[b] - score[a] || a - b);
}
