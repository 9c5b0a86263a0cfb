/**
 * `npm run bench:recsys`: top-N quality of the production content ranking (candidate sources,
 * blend, re-ranking) on MovieLens-100k with the protocol of ../shared/BENCHMARKS.md §2.
 *   --json      print {"recall20", "ndcg20", "seconds"}
 *   --anchors   also run ../shared/anchors/ml100k_anchor.py in the same run and print its lines
 *   --tune      grid search on a validation split carved from training (each user's last 10
 *               training interactions); the test items are never looked at
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ITEM_MODEL_PARAMS } from '../server/engine/ranking/item-model';
import { DEFAULT_FEED_PARAMS } from '../server/engine/ranking/pipeline';
import { evaluate, itemModelFor, type EvalOptions } from './recsys/evaluate';
import { HOLD_OUT, loadMovieLens, missing, splitLast } from './recsys/movielens';
import { tune } from './recsys/tune';

const dir = resolve(__dirname, '..', '..', 'shared', 'datasets', 'movielens-100k');
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    anchors: { type: 'boolean', default: false },
    tune: { type: 'boolean', default: false },
  },
});

/** The configuration production serves with (chosen on the validation split, see --tune). */
export const BENCH_OPTIONS: EvalOptions = {
  itemModel: DEFAULT_ITEM_MODEL_PARAMS,
  feed: DEFAULT_FEED_PARAMS,
  popHalfLifeDays: 7,
};

function main(): void {
  const gone = missing(dir);
  if (gone.length) {
    console.log(
      `bench:recsys: MovieLens-100k not found in ${dir} (missing ${gone.join(', ')}); nothing measured.`,
    );
    return;
  }
  const ml = loadMovieLens(dir);
  if (args.tune) {
    tune(ml, BENCH_OPTIONS);
    return;
  }
  const started = performance.now();
  const { train, test } = splitLast(ml.byUser, HOLD_OUT);
  const m = evaluate(
    ml,
    train,
    test,
    itemModelFor(ml, train, BENCH_OPTIONS.itemModel),
    BENCH_OPTIONS,
  );
  const seconds = (performance.now() - started) / 1000;
  if (args.json) {
    console.log(
      JSON.stringify({
        recall20: round(m.recall20),
        ndcg20: round(m.ndcg20),
        seconds: Math.round(seconds * 100) / 100,
      }),
    );
  } else {
    console.log(
      `${'ranking pipeline (this project)'.padEnd(32)} Recall@20=${m.recall20.toFixed(4)} NDCG@20=${m.ndcg20.toFixed(4)} fit+score=${seconds.toFixed(2)}s`,
    );
  }
  if (args.anchors) {
    const out = execFileSync(
      '/usr/bin/python3',
      [join(dir, '..', '..', 'anchors', 'ml100k_anchor.py'), dir],
      { encoding: 'utf8' },
    );
    process.stdout.write(args.json ? '' : out);
    if (args.json) console.error(out);
  }
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

main();
