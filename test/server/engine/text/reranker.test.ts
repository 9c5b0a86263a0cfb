import { Analyzer } from '../../../../server/engine/text/analyzer';
import { Corpus } from '../../../../server/engine/text/corpus';
import { PairReranker, type LabelledPair } from '../../../../server/engine/text/reranker';
import { Retriever } from '../../../../server/engine/text/retrieve';
import { jiebaSegmenter } from '../../../../server/text/segmenter';

const analyzer = new Analyzer(jiebaSegmenter, { dictionary: ['花呗', '借呗'] });

// Labelled pairs where 还钱 and 还款 mean the same and 还款 / 借款 do not, over several stems.
const stems = ['花呗怎么', '借呗如何', '花呗可以', '借呗能不能', '花呗在哪里', '借呗什么时候'];
const pairs: LabelledPair[] = stems.flatMap((s) => [
  { a: `${s}还钱`, b: `${s}还款`, label: 1 as const },
  { a: `${s}还款`, b: `${s}借款`, label: 0 as const },
  { a: `${s}还钱`, b: `${s}借款`, label: 0 as const },
]);
const texts = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];

describe('PairReranker', () => {
  it('learns from labelled pairs that 还钱 ~ 还款 but not 借款, on a stem it never saw', () => {
    const untrained = new PairReranker(new Corpus(analyzer, texts));
    const trained = new PairReranker(new Corpus(analyzer, texts)).fit(pairs);
    const same = ['花呗何时还钱', '花呗何时还款'] as const;
    const differ = ['花呗何时还钱', '花呗何时借款'] as const;
    expect(untrained.score(...same)).toBeCloseTo(untrained.score(...differ), 1);
    expect(trained.score(...same)).toBeGreaterThan(trained.score(...differ) + 0.1);
  });

  it('is symmetric in the pair and deterministic for a seed', () => {
    const a = new PairReranker(new Corpus(analyzer, texts)).fit(pairs);
    const b = new PairReranker(new Corpus(analyzer, texts)).fit(pairs);
    expect(a.score('借呗怎么还钱', '借呗怎么还款')).toBeCloseTo(
      a.score('借呗怎么还款', '借呗怎么还钱'),
      12,
    );
    expect(a.score('借呗怎么还钱', '借呗怎么还款')).toBe(b.score('借呗怎么还钱', '借呗怎么还款'));
  });

  it('learns online from feedback: a 没用 lowers that pair', () => {
    const r = new PairReranker(new Corpus(analyzer, texts)).fit(pairs);
    const before = r.score('花呗能分期吗', '花呗分期怎么取消');
    for (let i = 0; i < 20; i++) r.learn('花呗能分期吗', '花呗分期怎么取消', 0);
    expect(r.score('花呗能分期吗', '花呗分期怎么取消')).toBeLessThan(before);
  });
});

describe('Retriever', () => {
  const faq = ['花呗怎么还款', '借呗额度怎么提升', '花呗分期怎么取消', '如何开通借呗'];

  it('finds the FAQ entry by BM25 before any training, excluding nothing else', () => {
    const r = new Retriever(new Corpus(analyzer, faq), faq, null);
    expect(r.search('借呗的额度如何提升', 3)[0].doc).toBe(1);
    expect(r.search('今天天气', 3)).toEqual([]);
  });

  it('re-ranks the candidates with the learned model', () => {
    const corpus = new Corpus(analyzer, [...faq, ...texts]);
    const reranker = new PairReranker(corpus).fit(pairs);
    const r = new Retriever(corpus, faq, reranker);
    const hits = r.search('花呗怎么还钱', 4);
    expect(hits[0].doc).toBe(0);
    for (let i = 1; i < hits.length; i++)
      expect(hits[i].score).toBeLessThanOrEqual(hits[i - 1].score);
  });
});
