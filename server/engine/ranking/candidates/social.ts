/**
 * Social candidates: what the user's close ties engaged with (server/engine/social/proof.ts
 * computes them from ties the privacy rules allow), mapped onto the index, excluded items
 * dropped. Deterministic given its input, so the cards it brings carry exact propensities under
 * the pipeline's ε mixture like every other source's.
 */
import type { SocialCandidate } from '../../social/proof';
import type { ItemIndex, Scored } from '../item-index';

export function socialSource(
  index: ItemIndex,
  candidates: readonly SocialCandidate[],
  k: number,
  allowed: (i: number) => boolean,
): Scored {
  const out: Scored = new Map();
  // Candidates come best first (socialCandidates), so the first k allowed are the best k.
  for (const c of candidates) {
    if (out.size >= k) break;
    const i = index.pos.get(c.itemId);
    if (i !== undefined && allowed(i) && c.score > 0) out.set(i, c.score);
  }
  return out;
}

/** Item id → community label for the re-ranking ("c<id>"), for candidates with a community. */
export function communityOf(candidates: readonly SocialCandidate[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of candidates) if (c.community !== null) out.set(c.itemId, `c${c.community}`);
  return out;
}
