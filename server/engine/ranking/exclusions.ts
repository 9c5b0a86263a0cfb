/**
 * What a user must not be shown: items already served in this session, hidden ("not
 * interested"), seen recently, or engaged with already, and financial products above the user's
 * risk tolerance (suitability, a hard rule). Unpublished items never enter the ItemIndex, so
 * they cannot be candidates at all.
 */
import { suitable } from '../suitability';
import type { ItemIndex } from './item-index';

export interface ExclusionInput {
  served?: Iterable<string>;
  hidden?: Iterable<string>;
  seen?: Iterable<string>;
  engaged?: Iterable<string>;
  /** The user's risk tolerance C1–C5; absent or null (not assessed) excludes every risk-rated item. */
  riskTolerance?: number | null;
}

/** A mask over the index (1 = excluded) and the predicate sources filter with. */
export function exclusionMask(
  index: ItemIndex,
  x: ExclusionInput,
): { mask: Uint8Array; allowed: (i: number) => boolean } {
  const mask = new Uint8Array(index.size);
  for (const ids of [x.served, x.hidden, x.seen, x.engaged]) {
    if (!ids) continue;
    for (const id of ids) {
      const i = index.pos.get(id);
      if (i !== undefined) mask[i] = 1;
    }
  }
  for (let i = 0; i < index.size; i++)
    if (!suitable(index.items[i].riskLevel, x.riskTolerance)) mask[i] = 1;
  return { mask, allowed: (i) => mask[i] === 0 };
}
