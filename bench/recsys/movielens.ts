/**
 * MovieLens-100k as the ranking pipeline's inputs, split by ../shared/BENCHMARKS.md §2: per
 * user the 10 most recent interactions (timestamp, ties by item id) are held out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemFacts } from '../../server/engine/ranking/item-index';

export interface Rating {
  user: number;
  item: number;
  at: number;
}

export interface MovieLens {
  items: ItemFacts[];
  /** Per user (0-based), interactions sorted by (time, item id). */
  byUser: Rating[][];
}

export const HOLD_OUT = 10;

export function missing(dir: string): string[] {
  return ['u.data', 'u.item', 'u.genre'].filter((f) => !existsSync(join(dir, f)));
}

export function loadMovieLens(dir: string): MovieLens {
  const genres = readFileSync(join(dir, 'u.genre'), 'latin1')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('|')[0]);
  const items: ItemFacts[] = [];
  for (const line of readFileSync(join(dir, 'u.item'), 'latin1').split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    const flags = f.slice(5).map(Number);
    const tags = genres.filter((_, g) => flags[g] === 1);
    const released = Date.parse(f[2]);
    items[Number(f[0]) - 1] = {
      id: f[0],
      category: tags[0] ?? 'unknown',
      tags,
      publishedAt: Number.isFinite(released) ? released : 0,
    };
  }
  const byUser: Rating[][] = [];
  for (const line of readFileSync(join(dir, 'u.data'), 'latin1').split('\n')) {
    if (!line.trim()) continue;
    const [u, i, , t] = line.split('\t').map(Number);
    (byUser[u - 1] ??= []).push({ user: u - 1, item: i - 1, at: t * 1000 });
  }
  for (const rs of byUser) rs.sort((a, b) => a.at - b.at || a.item - b.item);
  return { items, byUser };
}

/** Splits each user's history: the last `h` interactions are held out. */
export function splitLast(
  byUser: readonly Rating[][],
  h: number,
): { train: Rating[][]; test: Rating[][] } {
  return {
    train: byUser.map((rs) => rs.slice(0, rs.length - h)),
    test: byUser.map((rs) => rs.slice(rs.length - h)),
  };
}
