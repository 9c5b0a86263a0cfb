/**
 * Merges candidate sources into one retrieval score: each source's scores are divided by its
 * best (so sources on different scales are comparable) and weighted; an item found by several
 * sources adds them up. Remembers which source contributed most, for the slate log.
 */
import type { Scored } from './item-index';

export interface Blended {
  score: number;
  source: string;
}

export function blendSources(
  sources: ReadonlyArray<{ name: string; weight: number; scores: Scored }>,
): Map<number, Blended> {
  const out = new Map<number, Blended & { best: number }>();
  for (const { name, weight, scores } of sources) {
    if (!(weight > 0) || scores.size === 0) continue;
    let max = 0;
    for (const s of scores.values()) if (s > max) max = s;
    if (!(max > 0)) continue;
    for (const [i, s] of scores) {
      const part = (weight * s) / max;
      const b = out.get(i);
      if (!b) out.set(i, { score: part, source: name, best: part });
      else {
        b.score += part;
        if (part > b.best) {
          b.best = part;
          b.source = name;
        }
      }
    }
  }
  return out;
}
