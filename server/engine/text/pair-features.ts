/**
 * Features of a question pair for the learned re-ranker: lexical similarities (BM25 both ways,
 * character TF-IDF cosine, idf-weighted coverage, overlaps), each as a value and as a one-hot
 * bucket so a linear model can bend them, plus sparse word features: the words only one side
 * has, the words both share, and crosses of unmatched words across the sides (which is how
 * the model learns synonyms such as 还钱 ~ 还款 from labelled pairs). Symmetric in the pair.
 */
import { hashToken } from '../features/hash';
import { FeatureVector } from '../features/vector';
import { bm25Pair, type Analysed, type Corpus } from './corpus';
import { dot } from './tfidf';

/** Field ids (the linear model ignores fields; they label the features for inspection). */
const DENSE = 0;
const SPARSE = 1;

/** Cap on unmatched words per side taken into crosses (questions are short; this bounds the work). */
const MAX_CROSS = 6;

export interface PairSimilarity {
  bm25Words: number;
  bm25Bigrams: number;
  charCosine: number;
  coverageMin: number;
  coverageMax: number;
  wordJaccard: number;
  charJaccard: number;
  lengthGap: number;
}

function coverage(a: readonly string[], b: ReadonlySet<string>, c: Corpus): number {
  let all = 0;
  let hit = 0;
  for (const t of new Set(a)) {
    const w = c.words.idf(t);
    all += w;
    if (b.has(t)) hit += w;
  }
  return all > 0 ? hit / all : 0;
}

function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union > 0 ? inter / union : 0;
}

/** The lexical similarities of a pair (also what a caller without a trained model can rank by). */
export function similarity(a: Analysed, b: Analysed, c: Corpus): PairSimilarity {
  const wa = new Set(a.words);
  const wb = new Set(b.words);
  const ca = coverage(a.words, wb, c);
  const cb = coverage(b.words, wa, c);
  const la = a.norm.length;
  const lb = b.norm.length;
  return {
    bm25Words:
      0.5 *
      (bm25Pair(a.words, b.words, c.words, c.bm25) + bm25Pair(b.words, a.words, c.words, c.bm25)),
    bm25Bigrams:
      0.5 *
      (bm25Pair(a.bigrams, b.bigrams, c.bigrams, c.bm25) +
        bm25Pair(b.bigrams, a.bigrams, c.bigrams, c.bm25)),
    charCosine: dot(a.chars, b.chars),
    coverageMin: Math.min(ca, cb),
    coverageMax: Math.max(ca, cb),
    wordJaccard: jaccard(wa, wb),
    charJaccard: jaccard(new Set(a.norm), new Set(b.norm)),
    lengthGap: Math.max(la, lb) > 0 ? Math.abs(la - lb) / Math.max(la, lb) : 0,
  };
}

export interface PairFeatureOptions {
  bits: number;
  /** Buckets per similarity in [0, 1] (BM25 scores are bucketed on a log scale). */
  bins: number;
  /** Word features (unmatched, shared, crosses); off gives a purely dense model. */
  words: boolean;
  crosses: boolean;
}

export const DEFAULT_PAIR_FEATURES: PairFeatureOptions = {
  bits: 20,
  bins: 10,
  words: true,
  crosses: true,
};

/** Writes the features of the pair (a, b) into x (cleared first). */
export function pairFeatures(
  a: Analysed,
  b: Analysed,
  c: Corpus,
  opts: PairFeatureOptions,
  x: FeatureVector = new FeatureVector(),
): FeatureVector {
  x.clear();
  const mask = 2 ** opts.bits - 1;
  const put = (name: string, field: number, value = 1): void => {
    x.push(hashToken(name) & mask, field, value);
  };
  const s = similarity(a, b, c);
  const unit: [string, number][] = [
    ['cos', s.charCosine],
    ['covmin', s.coverageMin],
    ['covmax', s.coverageMax],
    ['wjac', s.wordJaccard],
    ['cjac', s.charJaccard],
    ['gap', s.lengthGap],
  ];
  for (const [name, v] of unit) {
    put(`d:${name}`, DENSE, v);
    put(`b:${name}:${Math.min(opts.bins - 1, Math.floor(v * opts.bins))}`, DENSE);
  }
  // BM25 scores are unbounded: log1p compresses them into a few units.
  for (const [name, v] of [
    ['bm25w', s.bm25Words],
    ['bm25b', s.bm25Bigrams],
  ] as const) {
    const l = Math.log1p(v);
    put(`d:${name}`, DENSE, l / 4);
    put(`b:${name}:${Math.min(2 * opts.bins - 1, Math.floor(l * 4))}`, DENSE);
  }
  if (!opts.words) return x;
  const wa = new Set(a.words);
  const wb = new Set(b.words);
  const onlyA = [...wa].filter((t) => !wb.has(t));
  const onlyB = [...wb].filter((t) => !wa.has(t));
  for (const t of wa) if (wb.has(t)) put(`s:${t}`, SPARSE);
  for (const t of onlyA) put(`u:${t}`, SPARSE);
  for (const t of onlyB) put(`u:${t}`, SPARSE);
  const [fewer, more] = [onlyA.length, onlyB.length].sort((m, n) => m - n);
  put(`n:${Math.min(fewer, 5)}:${Math.min(more, 5)}`, DENSE);
  if (opts.crosses) {
    for (const p of onlyA.slice(0, MAX_CROSS))
      for (const q of onlyB.slice(0, MAX_CROSS)) put(p < q ? `x:${p}|${q}` : `x:${q}|${p}`, SPARSE);
  }
  return x;
}
