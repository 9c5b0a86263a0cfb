/**
 * Ad slots: fixed feed positions (0-based, counted across pages) that carry an ad, and the
 * weaving of ads into a page of content so that every card's position is its feed position.
 */

/** The slot positions that fall on a page starting at feed position `offset` with `size` cards in all. */
export function slotsOnPage(slots: readonly number[], offset: number, size: number): number[] {
  return [...new Set(slots)]
    .filter((s) => Number.isInteger(s) && s >= offset && s < offset + size)
    .sort((a, b) => a - b);
}

/**
 * Interleaves content and ads from feed position `offset`: an ad sits at each slot position (in
 * order) while ads last, content fills the rest; positions are renumbered consecutively. An ad
 * slot that falls after the last content card is left empty (a page never ends on an ad).
 */
export function weave<C extends { position: number }, A extends { position: number }>(
  content: readonly C[],
  ads: readonly A[],
  slots: readonly number[],
  offset: number,
): Array<C | A> {
  const wanted = new Set(slots);
  const out: Array<C | A> = [];
  let ci = 0;
  let ai = 0;
  for (let pos = offset; ci < content.length; pos++) {
    if (wanted.has(pos) && ai < ads.length) out.push({ ...ads[ai++], position: pos });
    else out.push({ ...content[ci++], position: pos });
  }
  return out;
}
