/** bestK (partial selection) keeps what a full sort's first k would, in the same order. */
import { bestK } from '../../../server/engine/ranking/item-index';
import { mulberry32 } from '../../../server/engine/models/rng';

describe('bestK', () => {
  it('equals sort-by-score-then-index, sliced, on random scores with many ties', () => {
    const r = mulberry32(42);
    for (let trial = 0; trial < 300; trial++) {
      const size = 1 + Math.floor(r() * 400);
      const score = new Float64Array(size + 10);
      // Few distinct values (ties), some negative, some equal to zero.
      for (let i = 0; i < score.length; i++)
        score[i] = Math.floor(r() * (trial % 3 === 0 ? 4 : 50)) - 5;
      const ids = Array.from({ length: size }, (_, j) => j + (j % 2));
      const unique = [...new Set(ids)];
      const k = Math.floor(r() * (size + 5));
      const want = [...unique].sort((a, b) => score[b] - score[a] || a - b).slice(0, k);
      expect(bestK([...unique].reverse(), score, k)).toEqual(want);
    }
  });

  it('gives nothing for k ≤ 0 and everything, sorted, for k ≥ n', () => {
    const score = Float64Array.from([3, 1, 2]);
    expect(bestK([0, 1, 2], score, 0)).toEqual([]);
    expect(bestK([1, 2, 0], score, 10)).toEqual([0, 2, 1]);
  });
});
