import { Bm25Index } from '../../../../server/engine/text/bm25';
import { bm25Pair, TermStats } from '../../../../server/engine/text/corpus';

// Three documents; N = 3, average length 7/3. idf(花呗) = idf(还款) = ln(1 + 1.5/2.5) = 0.470004,
// idf(借呗) = ln(1 + 2.5/1.5) = 0.980829. Document 0 (length 2): norm = 1.2·(0.25 + 0.75·2/(7/3))
// = 1.071429, so a term with tf 1 weighs idf·2.2/2.071429 = idf·1.062069. Document 1 (length 3):
// norm = 1.457143, 还款 with tf 2 weighs idf·2·2.2/3.457143 = idf·1.272727.
const docs = [
  ['花呗', '还款'],
  ['借呗', '还款', '还款'],
  ['花呗', '额度'],
];

describe('Bm25Index (hand-checked)', () => {
  const index = new Bm25Index(docs);

  it('scores like the worked example', () => {
    expect(index.idf('花呗')).toBeCloseTo(0.470004, 5);
    expect(index.idf('借呗')).toBeCloseTo(0.980829, 5);
    expect(index.score(['花呗', '还款'], 0)).toBeCloseTo(0.998353, 5);
    expect(index.score(['花呗', '还款'], 1)).toBeCloseTo(0.598187, 5);
    expect(index.score(['花呗', '还款'], 2)).toBeCloseTo(0.499176, 5);
  });

  it('counts a repeated query term once', () => {
    expect(index.score(['花呗', '花呗', '还款'], 0)).toBeCloseTo(0.998353, 5);
  });

  it('ranks by score, drops zero scores and the excluded document', () => {
    expect(index.search(['花呗', '还款'], 10).map((h) => h.doc)).toEqual([0, 1, 2]);
    expect(index.search(['花呗', '还款'], 2).map((h) => h.doc)).toEqual([0, 1]);
    expect(index.search(['借呗'], 10).map((h) => h.doc)).toEqual([1]);
    expect(index.search(['花呗', '还款'], 10, 0).map((h) => h.doc)).toEqual([1, 2]);
    expect(index.search(['余额宝'], 10)).toEqual([]);
    expect(index.search([], 10)).toEqual([]);
  });

  it('breaks ties by document id', () => {
    const tied = new Bm25Index([['额度'], ['花呗'], ['花呗']]);
    expect(tied.search(['花呗'], 10).map((h) => h.doc)).toEqual([1, 2]);
  });

  it('bm25Pair gives the index score for a document of the collection', () => {
    const stats = new TermStats(docs);
    for (let d = 0; d < docs.length; d++)
      expect(bm25Pair(['花呗', '还款'], docs[d], stats, index.params)).toBeCloseTo(
        index.score(['花呗', '还款'], d),
        10,
      );
  });
});
