/** The two figures of the FAQ protocol for our engine: pair AUC over rows, retrieval over a collection. */
import { auc } from '../../server/engine/metrics/auc';
import type { Analyzer } from '../../server/engine/text/analyzer';
import { Corpus } from '../../server/engine/text/corpus';
import { PairReranker, type RerankerParams } from '../../server/engine/text/reranker';
import { Retriever, type RetrieverOptions } from '../../server/engine/text/retrieve';
import { distinctQuestions, retrievalTask, type Row } from './data';

export interface FaqFigures {
  pairAuc: number;
  recall1: number;
  recall5: number;
  mrr10: number;
  msPerQuery: number;
  fitSeconds: number;
}

export interface EngineConfig {
  reranker: RerankerParams;
  retriever: RetrieverOptions;
}

/**
 * Fits the label-free statistics on `indexRows` (every distinct question), the re-ranker on
 * `trainRows`, and measures on `evalRows` (pair AUC over all of them, retrieval over the
 * collection of their positive rows).
 */
export function evaluate(
  analyzer: Analyzer,
  indexRows: readonly Row[],
  trainRows: readonly Row[],
  evalRows: readonly Row[],
  cfg: EngineConfig,
): FaqFigures {
  const t0 = performance.now();
  const corpus = new Corpus(analyzer, distinctQuestions(indexRows));
  const reranker = new PairReranker(corpus, cfg.reranker).fit(
    trainRows.map((r) => ({ a: r.q1, b: r.q2, label: r.label })),
  );
  const fitSeconds = (performance.now() - t0) / 1000;
  const labels = evalRows.map((r) => r.label);
  const scores = evalRows.map((r) => reranker.score(r.q1, r.q2));
  const pairAuc = auc(labels, scores);

  const task = retrievalTask(evalRows);
  corpus.clearCache(); // the queries were analysed for pair AUC; their time belongs to each query
  const retriever = new Retriever(corpus, task.docs, reranker, cfg.retriever);
  let r1 = 0;
  let r5 = 0;
  let rr = 0;
  const started = performance.now();
  for (const q of task.queries) {
    const ranked = retriever.search(q, 10, task.docId.get(q) ?? -1);
    const rel = task.relevant.get(q)!;
    const rank = ranked.findIndex((h) => rel.has(h.doc)) + 1;
    if (rank > 0) {
      rr += 1 / rank;
      if (rank <= 5) r5++;
      if (rank === 1) r1++;
    }
  }
  const n = task.queries.length;
  return {
    pairAuc,
    recall1: r1 / n,
    recall5: r5 / n,
    mrr10: rr / n,
    msPerQuery: (performance.now() - started) / n,
    fitSeconds,
  };
}
