/**
 * Validation-only selection for bench:recsys: from the training split, each user's last 10
 * training interactions are held out again, and configurations are compared on those. The
 * benchmark's test items never enter this.
 */
import { evaluate, itemModelFor, type EvalOptions } from './evaluate';
import { HOLD_OUT, splitLast, type MovieLens } from './movielens';

export function tune(ml: MovieLens, base: EvalOptions): void {
  const { train: outer } = splitLast(ml.byUser, HOLD_OUT);
  const { train, test: valid } = splitLast(outer, HOLD_OUT);
  const show = (name: string, o: EvalOptions, nb: ReturnType<typeof itemModelFor>) => {
    const m = evaluate(ml, train, valid, nb, o);
    console.log(`${name.padEnd(60)} R@20=${m.recall20.toFixed(4)} N@20=${m.ndcg20.toFixed(4)}`);
  };
  for (const lambda of [300, 600]) {
    const nb = itemModelFor(ml, train, { ...base.itemModel, lambda });
    for (const rankDecay of [0.9, 0.85, 0.8]) {
      for (const pop of [0, 0.1]) {
        const o: EvalOptions = {
          ...base,
          itemModel: { ...base.itemModel, lambda },
          feed: {
            ...base.feed,
            neighbour: { ...base.feed.neighbour, rankDecay },
            warm: { ...base.feed.warm, popular: pop },
          },
        };
        show(`lambda=${lambda} rankDecay=${rankDecay} popular=${pop}`, o, nb);
      }
    }
  }
}
