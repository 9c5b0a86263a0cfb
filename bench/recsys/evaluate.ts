/**
 * Runs the production ranking pipeline for every user of a split and scores its first 20
 * cards: Recall@20 = hits ÷ held-out count, NDCG@20 with binary gains (as the anchor computes).
 * The pipeline sees only training data: the item model and popularity are learned from it,
 * "now" is the user's last training interaction, and everything the user interacted with in
 * training is excluded, so the ranking is over all other items (full ranking).
 */
import {
  learnItemModel,
  type ItemModelParams,
  type SimilarityList,
} from '../../server/engine/ranking/item-model';
import { ItemIndex } from '../../server/engine/ranking/item-index';
import { rankFeed, type FeedParams, type FeedState } from '../../server/engine/ranking/pipeline';
import { mulberry32 } from '../../server/engine/models/rng';
import { applySignal, emptyProfile, type UserProfile } from '../../server/engine/profiles/profile';
import type { MovieLens, Rating } from './movielens';

export const K = 20;

export interface Metrics {
  recall20: number;
  ndcg20: number;
}

export interface EvalOptions {
  itemModel: ItemModelParams;
  feed: FeedParams;
  /** Half-life of popularity, days. */
  popHalfLifeDays: number;
}

export function itemModelFor(
  ml: MovieLens,
  train: readonly Rating[][],
  p: ItemModelParams,
): Map<string, SimilarityList> {
  const rows = train.flat().map((r) => ({ user: r.user, item: r.item, weight: 1 }));
  return new Map(
    learnItemModel(
      rows,
      ml.items.map((it) => it.id),
      p,
    ).map((l) => [l.itemId, l]),
  );
}

/** Profiles built by the production profile builder, one click per training interaction. */
function profileOf(ml: MovieLens, rs: readonly Rating[]): UserProfile | null {
  if (!rs.length) return null;
  const p = emptyProfile(`u${rs[0].user}`, rs[0].at);
  for (const r of rs)
    applySignal(p, 'click', r.at, ml.items[r.item], ml.items[r.item].id, undefined);
  return p;
}

export function evaluate(
  ml: MovieLens,
  train: readonly Rating[][],
  test: readonly Rating[][],
  neighbours: Map<string, SimilarityList>,
  opts: EvalOptions,
): Metrics {
  const index = new ItemIndex(ml.items);
  const disc = Array.from({ length: K }, (_, r) => 1 / Math.log2(r + 2));
  // Popularity as of each user's "now", from training interactions only: one sweep in time order,
  // kept in growing units (2^(t/H)) so no decay pass is needed; sources normalise by the max.
  const events = train.flat().sort((a, b) => a.at - b.at);
  const users = train
    .map((rs, u) => ({ u, now: rs.length ? rs[rs.length - 1].at : 0 }))
    .sort((a, b) => a.now - b.now || a.u - b.u);
  const popularity = new Float64Array(index.size);
  const h = opts.popHalfLifeDays * 86_400_000;
  const t0 = events.length ? events[0].at : 0;
  const state: FeedState = { index, popularity, neighbours, scorer: null };
  let e = 0;
  let recall = 0;
  let ndcg = 0;
  let n = 0;
  for (const { u, now } of users) {
    while (e < events.length && events[e].at <= now) {
      popularity[events[e].item] += Math.pow(2, (events[e].at - t0) / h);
      e++;
    }
    const rs = train[u];
    const held = new Set(test[u].map((r) => ml.items[r.item].id));
    if (!held.size) continue;
    const history = [...rs].reverse().map((r) => ({ itemId: ml.items[r.item].id, at: r.at }));
    const res = rankFeed(
      state,
      {
        openid: `u${u}`,
        personalised: true,
        profile: profileOf(ml, rs),
        history,
        exclude: { engaged: history.map((x) => x.itemId) },
      },
      { now, scene: null, category: null, count: K, offset: 0, rand: mulberry32(u + 1) },
      opts.feed,
    );
    let hits = 0;
    let dcg = 0;
    res.cards.slice(0, K).forEach((c, r) => {
      if (held.has(c.itemId)) {
        hits++;
        dcg += disc[r];
      }
    });
    const idcg = disc.slice(0, Math.min(K, held.size)).reduce((a, b) => a + b, 0);
    recall += hits / held.size;
    ndcg += dcg / idcg;
    n++;
  }
  return { recall20: recall / n, ndcg20: ndcg / n };
}
