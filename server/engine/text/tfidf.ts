/**
 * TF-IDF cosine similarity (Salton & Buckley 1988) with smoothed idf ln((1 + N) / (1 + df)) + 1
 * and l2-normalised vectors, as scikit-learn's TfidfVectorizer defaults; terms outside the
 * fitted vocabulary are ignored.
 */

export type SparseVector = Map<string, number>;

export class TfIdf {
  private readonly idfs = new Map<string, number>();

  constructor(docs: readonly (readonly string[])[]) {
    const df = new Map<string, number>();
    for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = docs.length;
    for (const [t, f] of df) this.idfs.set(t, Math.log((1 + n) / (1 + f)) + 1);
  }

  idf(term: string): number {
    return this.idfs.get(term) ?? 0;
  }

  /** The l2-normalised tf·idf vector of a token list (empty when no token is known). */
  vector(tokens: readonly string[]): SparseVector {
    const v: SparseVector = new Map();
    for (const t of tokens) {
      const idf = this.idfs.get(t);
      if (idf !== undefined) v.set(t, (v.get(t) ?? 0) + idf);
    }
    let norm = 0;
    for (const x of v.values()) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, x] of v) v.set(t, x / norm);
    return v;
  }
}

/** Dot product of two sparse vectors (their cosine when both are l2-normalised). */
export function dot(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, x] of small) {
    const y = large.get(t);
    if (y !== undefined) s += x * y;
  }
  return s;
}
