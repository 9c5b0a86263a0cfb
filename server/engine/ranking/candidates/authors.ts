/**
 * Followed-author candidates: the newest allowed items of the authors the user follows (关注作者),
 * each scored like the fresh source (halving every `halfLifeMs`), so a followed author's new item
 * leads and an old one fades. Deterministic: exact propensities under the ε mixture.
 */
import { bestK, type ItemIndex, type Scored } from '../item-index';

/** Items read per author, newest first: an author's back catalog is not a feed. */
const PER_AUTHOR = 20;

export function authorSource(
  index: ItemIndex,
  authors: readonly string[],
  now: number,
  halfLifeMs: number,
  k: number,
  allowed: (i: number) => boolean,
): Scored {
  const ids: number[] = [];
  const score = new Float64Array(index.size);
  for (const a of new Set(authors)) {
    let n = 0;
    for (const i of index.byAuthor.get(a) ?? []) {
      if (n >= PER_AUTHOR) break;
      if (!allowed(i)) continue;
      n++;
      const age = Math.max(0, now - index.items[i].publishedAt);
      // Never quite zero, so an author's only (old) item still counts against the other sources.
      score[i] = Math.max(Math.pow(2, -age / halfLifeMs), 1e-6);
      ids.push(i);
    }
  }
  const out: Scored = new Map();
  for (const i of bestK(ids, score, k)) out.set(i, score[i]);
  return out;
}
