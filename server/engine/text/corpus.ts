/**
 * Label-free statistics of a text collection (word and bigram idf, lengths, character TF-IDF),
 * and the analysed form of a text against them, cached per text: what pair features read.
 */
import type { Analyzer } from './analyzer';
import { DEFAULT_BM25, type Bm25Params } from './bm25';
import { charBigrams, charNgrams12, normalize } from './normalize';
import { TfIdf, type SparseVector } from './tfidf';

/** idf and average length of one tokenisation (words or bigrams) over the collection. */
export class TermStats {
  readonly idfs = new Map<string, number>();
  readonly avgLength: number;
  readonly docs: number;

  constructor(docs: readonly (readonly string[])[]) {
    const df = new Map<string, number>();
    let total = 0;
    for (const d of docs) {
      total += d.length;
      for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
    }
    this.docs = docs.length;
    this.avgLength = docs.length > 0 ? total / docs.length : 1;
    for (const [t, f] of df) this.idfs.set(t, Math.log1p((this.docs - f + 0.5) / (f + 0.5)));
  }

  /** idf of a term; an unseen term gets the idf of a term in no document (rarest). */
  idf(term: string): number {
    return this.idfs.get(term) ?? Math.log1p((this.docs + 0.5) / 0.5);
  }
}

/** A text analysed once: its words, bigrams and normalised character TF-IDF vector. */
export interface Analysed {
  text: string;
  /** Normalised characters (for length and character overlap). */
  norm: string;
  words: string[];
  bigrams: string[];
  chars: SparseVector;
}

/** Statistics of a collection plus a cache of analysed texts (bounded, so a warm instance cannot grow without end). */
export class Corpus {
  readonly words: TermStats;
  readonly bigrams: TermStats;
  readonly chars: TfIdf;
  private readonly cache = new Map<string, Analysed>();

  constructor(
    readonly analyzer: Analyzer,
    texts: readonly string[],
    readonly bm25: Bm25Params = DEFAULT_BM25,
    private readonly cacheLimit = 200_000,
  ) {
    this.words = new TermStats(texts.map((t) => analyzer.tokens(t)));
    this.bigrams = new TermStats(texts.map(charBigrams));
    this.chars = new TfIdf(texts.map(charNgrams12));
  }

  analyse(text: string): Analysed {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const a: Analysed = {
      text,
      norm: normalize(text),
      words: this.analyzer.tokens(text),
      bigrams: charBigrams(text),
      chars: this.chars.vector(charNgrams12(text)),
    };
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    this.cache.set(text, a);
    return a;
  }

  /** Forgets every analysed text (a benchmark times queries without their earlier analyses). */
  clearCache(): void {
    this.cache.clear();
  }
}

/** BM25 of `doc` for `query` under the collection's statistics (equal to an index's score when doc is in it). */
export function bm25Pair(
  query: readonly string[],
  doc: readonly string[],
  stats: TermStats,
  p: Bm25Params,
): number {
  if (query.length === 0 || doc.length === 0) return 0;
  const tf = new Map<string, number>();
  for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
  const norm = p.k1 * (1 - p.b + (p.b * doc.length) / stats.avgLength);
  let s = 0;
  for (const t of new Set(query)) {
    const f = tf.get(t);
    if (f !== undefined) s += (stats.idf(t) * f * (p.k1 + 1)) / (f + norm);
  }
  return s;
}
