/**
 * The next-page transition model: a first-order Markov chain over Mini Program page routes,
 * P(next = b | current = a), with additive (Dirichlet) smoothing towards the overall page
 * distribution, as in the Markov prefetchers of Padmanabhan & Mogul, "Using predictive
 * prefetching to improve World Wide Web latency" (SIGCOMM CCR 1996) and Deshpande & Karypis,
 * "Selective Markov models for predicting Web page accesses" (ACM TOIT 2004).
 */

/** Counted moves from one page to the next (routes without a leading slash, e.g. "pages/feed/index"). */
export interface Transition {
  from: string;
  to: string;
  count: number;
}

export interface TransitionModel {
  /** Smoothing weight: pseudo-moves spread over the overall next-page distribution. */
  alpha: number;
  /** from → to → count. */
  counts: Record<string, Record<string, number>>;
}

/** A few pseudo-moves: a page seen a handful of times leans on the overall distribution, a busy one on its own. */
export const DEFAULT_ALPHA = 2;

/** Adds counted moves to a model (a new model when `base` is absent); self-moves are not navigation and are dropped. */
export function fitTransitions(
  moves: Iterable<Transition>,
  base?: TransitionModel,
  alpha = base?.alpha ?? DEFAULT_ALPHA,
): TransitionModel {
  const counts: Record<string, Record<string, number>> = {};
  for (const [from, row] of Object.entries(base?.counts ?? {})) counts[from] = { ...row };
  for (const m of moves) {
    if (m.from === m.to || !(m.count > 0)) continue;
    const row = (counts[m.from] ??= {});
    row[m.to] = (row[m.to] ?? 0) + m.count;
  }
  return { alpha, counts };
}

/** Moves into each page over the whole model, and their total: the smoothing prior. */
function prior(model: TransitionModel): { into: Map<string, number>; total: number } {
  const into = new Map<string, number>();
  let total = 0;
  for (const row of Object.values(model.counts))
    for (const [to, c] of Object.entries(row)) {
      into.set(to, (into.get(to) ?? 0) + c);
      total += c;
    }
  return { into, total };
}

/**
 * P(next = to | current = from): (n(from→to) + α·q(to)) / (n(from) + α), q the overall share of
 * moves into `to` among moves into pages other than `from` (staying is not a move); 0 on an
 * empty model and for to = from.
 */
export function transitionProbability(model: TransitionModel, from: string, to: string): number {
  const { into, total } = prior(model);
  const others = total - (into.get(from) ?? 0);
  if (to === from || others <= 0) return 0;
  const q = (into.get(to) ?? 0) / others;
  const row = model.counts[from] ?? {};
  const n = Object.values(row).reduce((s, c) => s + c, 0);
  return ((row[to] ?? 0) + model.alpha * q) / (n + model.alpha);
}

/** Every next page seen from `from` with its probability, likeliest first (the smoothed distribution's support: pages seen anywhere). */
export function nextPages(model: TransitionModel, from: string): { to: string; p: number }[] {
  const { into } = prior(model);
  return [...into.keys()]
    .filter((to) => to !== from)
    .map((to) => ({ to, p: transitionProbability(model, from, to) }))
    .sort((a, b) => b.p - a.p || a.to.localeCompare(b.to));
}

/** Moves counted from `from`. */
export const movesFrom = (model: TransitionModel, from: string): number =>
  Object.values(model.counts[from] ?? {}).reduce((s, c) => s + c, 0);
