/**
 * Item-to-item neighbours from co-engagement: two items engaged by the same user within a day
 * of each other co-occur once. Counts are time-decayed; a neighbour's score is the cosine
 * co(a,b) / √((mass(a)+s)(mass(b)+s)), shrunk by s so one coincidence does not score 1.
 */
import { DAY_MS, decayFactor } from './decay';

export interface Neighbour {
  itemId: string;
  /** Decayed co-engagement count, as of the list's updatedAt. */
  co: number;
  /** Cosine score when last updated. */
  score: number;
}

export interface NeighbourList {
  itemId: string;
  updatedAt: number;
  /** Decayed engagement count of the item itself. */
  mass: number;
  /** Kept candidates (more than are served, so that rising ones can climb), strongest first. */
  neighbours: Neighbour[];
}

export interface NeighbourParams {
  halfLifeMs: number;
  /** Items engaged further apart than this do not co-occur. */
  coWindowMs: number;
  shrink: number;
  /** Candidates kept per item. */
  keep: number;
}

export const DEFAULT_NEIGHBOUR_PARAMS: NeighbourParams = {
  halfLifeMs: 30 * DAY_MS,
  coWindowMs: DAY_MS,
  shrink: 1,
  keep: 50,
};

/** Accumulates engagement and co-engagement over loaded lists; `lists()` gives the changed ones. */
export class NeighbourBuilder {
  private readonly byId = new Map<string, NeighbourList>();
  private readonly changed = new Set<string>();

  constructor(private readonly params: NeighbourParams = DEFAULT_NEIGHBOUR_PARAMS) {}

  /** Whether a list for the item is loaded or built already. */
  has(itemId: string): boolean {
    return this.byId.has(itemId);
  }

  /** Adds stored lists (copied); items already held are kept as they are. */
  load(lists: readonly NeighbourList[]): void {
    for (const l of lists) {
      if (!this.byId.has(l.itemId))
        this.byId.set(l.itemId, { ...l, neighbours: l.neighbours.map((n) => ({ ...n })) });
    }
  }

  private list(itemId: string, at: number): NeighbourList {
    let l = this.byId.get(itemId);
    if (!l) this.byId.set(itemId, (l = { itemId, updatedAt: at, mass: 0, neighbours: [] }));
    return l;
  }

  /** One engagement of `itemId` at `at`, after the user's earlier engagements `recent` (pairs within the window). */
  engage(itemId: string, at: number, recent: readonly { itemId: string; at: number }[]): void {
    const a = this.list(itemId, at);
    this.addMass(a, at);
    for (const r of recent) {
      if (r.itemId === itemId || Math.abs(at - r.at) > this.params.coWindowMs) continue;
      const b = this.list(r.itemId, at);
      this.addCo(a, r.itemId, at);
      this.addCo(b, itemId, at);
    }
  }

  /** Carries the list's decayed values forward to `at` (never backwards). */
  private advance(l: NeighbourList, at: number): void {
    if (at <= l.updatedAt) return;
    const f = decayFactor(l.updatedAt, at, this.params.halfLifeMs);
    l.mass *= f;
    for (const n of l.neighbours) n.co *= f;
    l.updatedAt = at;
  }

  /** Weight of an observation at `at` on the list's clock: late ones are decayed to it. */
  private weightAt(l: NeighbourList, at: number): number {
    return decayFactor(at, l.updatedAt, this.params.halfLifeMs);
  }

  private addMass(l: NeighbourList, at: number): void {
    this.advance(l, at);
    l.mass += this.weightAt(l, at);
    this.changed.add(l.itemId);
  }

  private addCo(l: NeighbourList, other: string, at: number): void {
    this.advance(l, at);
    let n = l.neighbours.find((x) => x.itemId === other);
    if (!n) l.neighbours.push((n = { itemId: other, co: 0, score: 0 }));
    n.co += this.weightAt(l, at);
    this.changed.add(l.itemId);
  }

  /** Changed lists with scores recomputed from current masses and trimmed to `keep`, strongest first. */
  lists(): NeighbourList[] {
    const s = this.params.shrink;
    const out: NeighbourList[] = [];
    for (const id of this.changed) {
      const l = this.byId.get(id)!;
      for (const n of l.neighbours) {
        const other = this.byId.get(n.itemId);
        if (other) n.score = n.co / Math.sqrt((l.mass + s) * (other.mass + s));
      }
      l.neighbours.sort(
        (x, y) => y.score - x.score || y.co - x.co || (x.itemId < y.itemId ? -1 : 1),
      );
      l.neighbours = l.neighbours.slice(0, this.params.keep);
      out.push(l);
    }
    return out;
  }
}

/** The k best neighbours of a list. */
export function topNeighbours(l: NeighbourList, k: number): Neighbour[] {
  return l.neighbours.slice(0, k);
}
