/**
 * Two-stage retrieval over a small collection (FAQ questions and their phrasings): BM25 over
 * words and over character bigrams each propose candidates, the learned pair re-ranker orders
 * them (BM25 order when there is no re-ranker yet).
 */
import { Bm25Index, type Hit } from './bm25';
import type { Corpus } from './corpus';
import type { PairReranker } from './reranker';

export interface RetrieverOptions {
  /** Candidates each BM25 stage proposes to the re-ranker. */
  candidates: number;
}

/**
 * 10 per stage: on the validation split of ATEC's training rows (`npm run bench:faq -- --tune`)
 * it ranked as well as 30 (R@1 0.321 vs 0.316, MRR@10 0.462 vs 0.459) at a third of the time.
 */
export const DEFAULT_RETRIEVER: RetrieverOptions = { candidates: 10 };

export class Retriever {
  private readonly words: Bm25Index;
  private readonly bigrams: Bm25Index;

  constructor(
    private readonly corpus: Corpus,
    readonly docs: readonly string[],
    private readonly reranker: PairReranker | null,
    private readonly opts: RetrieverOptions = DEFAULT_RETRIEVER,
  ) {
    const analysed = docs.map((d) => corpus.analyse(d));
    this.words = new Bm25Index(
      analysed.map((a) => a.words),
      corpus.bm25,
    );
    this.bigrams = new Bm25Index(
      analysed.map((a) => a.bigrams),
      corpus.bm25,
    );
  }

  /** The k best documents for the query (score descending, ties by document id); `exclude` is left out. */
  search(query: string, k: number, exclude = -1): Hit[] {
    const q = this.corpus.analyse(query);
    const n = this.opts.candidates;
    const byWords = this.words.search(q.words, Math.max(n, k), exclude);
    if (!this.reranker) return byWords.slice(0, k);
    const pool = new Set<number>(byWords.map((h) => h.doc));
    for (const h of this.bigrams.search(q.bigrams, n, exclude)) pool.add(h.doc);
    const hits: Hit[] = [];
    for (const doc of pool) hits.push({ doc, score: this.reranker.score(query, this.docs[doc]) });
    hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
    return hits.slice(0, k);
  }
}
