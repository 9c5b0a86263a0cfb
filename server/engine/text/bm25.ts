/**
 * Okapi BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
 * 2009) over pre-tokenised documents, with the Lucene idf ln(1 + (N − df + 0.5) / (df + 0.5)),
 * which stays positive. Each distinct query term counts once, as in the FAQ anchors.
 */

export interface Bm25Params {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

export interface Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly vocab = new Map<string, number>();
  private readonly idfs: number[] = [];
  /** Per term: the documents holding it and the term's BM25 weight in each. */
  private readonly postDocs: number[][] = [];
  private readonly postWeights: number[][] = [];
  /** Per document: its distinct term ids and their weights (for scoring one given pair). */
  private readonly docTerms: Int32Array[] = [];
  private readonly docWeights: Float64Array[] = [];
  private scratch: Float64Array;

  constructor(
    docs: readonly (readonly string[])[],
    readonly params: Bm25Params = DEFAULT_BM25,
  ) {
    const n = docs.length;
    const counts: Map<number, number>[] = [];
    let totalLength = 0;
    for (const doc of docs) {
      const c = new Map<number, number>();
      for (const t of doc) {
        let id = this.vocab.get(t);
        if (id === undefined) {
          id = this.vocab.size;
          this.vocab.set(t, id);
          this.postDocs.push([]);
          this.postWeights.push([]);
        }
        c.set(id, (c.get(id) ?? 0) + 1);
      }
      counts.push(c);
      totalLength += doc.length;
    }
    const avgLength = n > 0 ? totalLength / n : 0;
    for (let d = 0; d < n; d++) for (const id of counts[d].keys()) this.postDocs[id].push(d);
    for (let id = 0; id < this.postDocs.length; id++) {
      const df = this.postDocs[id].length;
      this.idfs.push(Math.log1p((n - df + 0.5) / (df + 0.5)));
      this.postDocs[id] = [];
    }
    const { k1, b } = params;
    for (let d = 0; d < n; d++) {
      const norm = k1 * (1 - b + (avgLength > 0 ? (b * docs[d].length) / avgLength : 0));
      const ids = new Int32Array(counts[d].size);
      const ws = new Float64Array(counts[d].size);
      let j = 0;
      for (const [id, tf] of counts[d]) {
        const w = (this.idfs[id] * tf * (k1 + 1)) / (tf + norm);
        ids[j] = id;
        ws[j++] = w;
        this.postDocs[id].push(d);
        this.postWeights[id].push(w);
      }
      this.docTerms.push(ids);
      this.docWeights.push(ws);
    }
    this.scratch = new Float64Array(n);
  }

  get size(): number {
    return this.docTerms.length;
  }

  /** idf of a term (0 for a term no document holds). */
  idf(term: string): number {
    const id = this.vocab.get(term);
    return id === undefined ? 0 : this.idfs[id];
  }

  private termIds(query: readonly string[]): number[] {
    const ids = new Set<number>();
    for (const t of query) {
      const id = this.vocab.get(t);
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  }

  /** BM25 score of document `doc` for the query. */
  score(query: readonly string[], doc: number): number {
    const ids = this.docTerms[doc];
    const ws = this.docWeights[doc];
    let s = 0;
    for (const q of this.termIds(query)) {
      for (let j = 0; j < ids.length; j++) {
        if (ids[j] === q) {
          s += ws[j];
          break;
        }
      }
    }
    return s;
  }

  /** The k best documents with a score > 0, score descending, ties by document id; `exclude` is left out. */
  search(query: readonly string[], k: number, exclude = -1): Hit[] {
    const acc = this.scratch;
    const touched: number[] = [];
    for (const id of this.termIds(query)) {
      const docs = this.postDocs[id];
      const ws = this.postWeights[id];
      for (let j = 0; j < docs.length; j++) {
        if (acc[docs[j]] === 0) touched.push(docs[j]);
        acc[docs[j]] += ws[j];
      }
    }
    const hits: Hit[] = [];
    for (const d of touched) {
      if (d !== exclude && acc[d] > 0) hits.push({ doc: d, score: acc[d] });
      acc[d] = 0;
    }
    hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
    return hits.length > k ? hits.slice(0, k) : hits;
  }
}
