/** Social proof counts and the social candidate source, on hand-made ties. */
import { socialCandidates, socialProof } from '../../../../server/engine/social/proof';

const ties = [
  { weight: 3, items: ['a', 'b', 'a'] },
  { weight: 2, items: ['a', 'c'] },
  { weight: 1, items: ['a', 'b'] },
];

describe('social proof', () => {
  it('counts distinct ties per item and shows only counts of at least 3', () => {
    expect([...socialProof(ties, ['a', 'b', 'c', 'z'])]).toEqual([['a', 3]]);
    expect([...socialProof(ties, ['a', 'b'], 2)].sort()).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    expect(socialProof(ties.slice(0, 2), ['a']).size).toBe(0);
  });
});

describe('social candidates', () => {
  it('ranks by summed tie weight, leaves out what the user engaged with', () => {
    expect(socialCandidates(ties, new Set(), 10)).toEqual([
      { itemId: 'a', score: 6, community: null },
      { itemId: 'b', score: 4, community: null },
      { itemId: 'c', score: 2, community: null },
    ]);
    expect(socialCandidates(ties, new Set(['a']), 1)).toEqual([
      { itemId: 'b', score: 4, community: null },
    ]);
  });
});
