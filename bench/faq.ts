/**
 * `npm run bench:faq`: the Chinese text engine (jieba words, BM25, learned pair re-ranker) on
 * FAQ question pairs with the protocol of ../shared/datasets/faq/README.md (BENCHMARKS.md §5).
 *   --json                 print {"pairAuc", "recall1", "recall5", "mrr10", "msPerQuery"}
 *   --anchors              also run ../shared/anchors/faq_anchor.py on the same file in the same run
 *   --pairs FILE           another pair file (default ../shared/datasets/faq), --format atec|lcqmc|afqmc
 *   --tune                 grid over the re-ranker on a validation split carved from the training
 *                          rows (training row t is validation if t % 5 == 0); test rows unused
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Analyzer } from '../server/engine/text/analyzer';
import { DEFAULT_RERANKER } from '../server/engine/text/reranker';
import { DEFAULT_RETRIEVER } from '../server/engine/text/retrieve';
import { jiebaSegmenter } from '../server/text/segmenter';
import { findFile, readPairs, splitRows, type PairFormat, type Row } from './faq/data';
import { evaluate, type EngineConfig, type FaqFigures } from './faq/evaluate';
import { FINANCE_DICTIONARY } from '../server/support/dictionary';

const repoRoot = resolve(__dirname, '..');
const shared = resolve(repoRoot, '../shared');
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    anchors: { type: 'boolean', default: false },
    tune: { type: 'boolean', default: false },
    pairs: { type: 'string' },
    format: { type: 'string', default: 'atec' },
  },
});

/** The configuration the support function serves with (chosen with --tune on training rows). */
export const BENCH_CONFIG: EngineConfig = {
  reranker: DEFAULT_RERANKER,
  retriever: DEFAULT_RETRIEVER,
};

const f4 = (x: number): string => x.toFixed(4);
const row = (name: string, m: Omit<FaqFigures, 'fitSeconds'> & { fitSeconds?: number }): string =>
  `  ${name.padEnd(22)} ${f4(m.pairAuc)}   ${f4(m.recall1)}  ${f4(m.recall5)}  ${f4(m.mrr10)}  ${m.msPerQuery.toFixed(3).padStart(8)}` +
  (m.fitSeconds !== undefined ? `  ${m.fitSeconds.toFixed(1).padStart(6)}` : '');

function main(): void {
  const format = args.format as PairFormat;
  if (!['atec', 'lcqmc', 'afqmc'].includes(format))
    throw new Error(`--format ${format}: atec, lcqmc or afqmc`);
  const path = args.pairs ? resolve(args.pairs) : resolve(shared, 'datasets/faq');
  const file = findFile(path, format);
  if (!file) {
    console.log(`bench:faq: no ${format} pair file in ${path}; nothing measured.`);
    return;
  }
  const { sha256, rows } = readPairs(file, format);
  const { kept, train, test } = splitRows(rows);
  const analyzer = new Analyzer(jiebaSegmenter, { dictionary: FINANCE_DICTIONARY });
  if (args.tune) {
    tune(analyzer, kept, train);
    return;
  }
  const m = evaluate(analyzer, kept, train, test, BENCH_CONFIG);
  if (args.json) {
    console.log(
      JSON.stringify({
        pairAuc: round(m.pairAuc, 6),
        recall1: round(m.recall1, 6),
        recall5: round(m.recall5, 6),
        mrr10: round(m.mrr10, 6),
        msPerQuery: round(m.msPerQuery, 3),
      }),
    );
  } else {
    console.log(`${file} (${format}, sha256 ${sha256.slice(0, 16)}...): ${rows.length} rows`);
    console.log(
      `  split: ${kept.length} kept, ${test.length} test rows (${test.filter((r) => r.label).length} label 1), ${train.length} training rows`,
    );
    console.log('  method                 pairAUC  R@1     R@5     MRR@10  ms/query  fit s');
    console.log(row('engine (jieba+rerank)', m));
  }
  if (args.anchors) {
    const out = execFileSync(
      '/usr/bin/python3',
      [resolve(shared, 'anchors/faq_anchor.py'), file, '--format', format],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const a = JSON.parse(line);
      if (args.json) console.log(line);
      else console.log(row(`anchor ${a.method}`, a));
    }
  }
}

/** A small grid on a validation split carved from the training rows; prints each setting's figures. */
function tune(analyzer: Analyzer, kept: Row[], train: Row[]): void {
  const fit = train.filter((_, t) => t % 5 !== 0);
  const valid = train.filter((_, t) => t % 5 === 0);
  console.log(
    `tune: ${fit.length} fitting rows, ${valid.length} validation rows (from training rows only)`,
  );
  const grid: [string, EngineConfig][] = [];
  const base = BENCH_CONFIG;
  grid.push(['default', base]);
  for (const alpha of [0.02, 0.1])
    grid.push([
      `alpha ${alpha}`,
      { ...base, reranker: { ...base.reranker, ftrl: { ...base.reranker.ftrl, alpha } } },
    ]);
  for (const l1 of [0, 2])
    grid.push([
      `l1 ${l1}`,
      { ...base, reranker: { ...base.reranker, ftrl: { ...base.reranker.ftrl, l1 } } },
    ]);
  for (const epochs of [1, 5])
    grid.push([`epochs ${epochs}`, { ...base, reranker: { ...base.reranker, epochs } }]);
  grid.push([
    'no crosses',
    {
      ...base,
      reranker: { ...base.reranker, features: { ...base.reranker.features, crosses: false } },
    },
  ]);
  grid.push([
    'dense only',
    {
      ...base,
      reranker: { ...base.reranker, features: { ...base.reranker.features, words: false } },
    },
  ]);
  for (const candidates of [10, 60])
    grid.push([`candidates ${candidates}`, { ...base, retriever: { candidates } }]);
  console.log('  setting                pairAUC  R@1     R@5     MRR@10  ms/query  fit s');
  for (const [name, cfg] of grid) console.log(row(name, evaluate(analyzer, kept, fit, valid, cfg)));
}

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

main();
