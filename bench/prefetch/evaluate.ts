/**
 * Scores prefetch policies on served pages and what users opened from them: for each page, each
 * policy's plan (server/serving/prefetch.ts, the serving code itself, same budget), then per
 * opened card whether its payload was there in time (fetched, and done before the tap), and the
 * time-to-content that saved under the latency model (latency.ts).
 */
import type { PrefetchPolicy, RecommendResponse } from '../../typings';
import { mulberry32 } from '../../server/engine/models/rng';
import type { PrefetchBudget } from '../../server/engine/prefetch/policy';
import { DEFAULT_PREFETCH_BUDGET } from '../../server/engine/prefetch/policy';
import { prefetchPlanOf } from '../../server/serving/prefetch';
import { detailMs, LATENCY, tapMs, type LatencyModel } from './latency';

export interface ObservedPage {
  slate: RecommendResponse;
  opened: string[];
  /** P(next = detail | feed) from the transition model learned on the pages before, or null. */
  pDetailFromFeed: number | null;
}

export interface PolicyScore {
  policy: string;
  pages: number;
  opens: number;
  prefetched: number;
  /** Opens whose payload was prefetched and ready before the tap. */
  hits: number;
  /** Opens whose payload was prefetched but still on its way at the tap (the page fetched it again). */
  late: number;
  hitRate: number;
  wastedPerOpen: number;
  /** Median time to content saved per hit, ms. */
  medianSavedMs: number;
  /** Mean saved over every open (misses save nothing), ms. */
  meanSavedPerOpenMs: number;
  /** Calls and bytes the policy spent per page. */
  callsPerPage: number;
  bytesPerPage: number;
}

const median = (xs: number[]): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Every policy sees the same draws (network, latencies, tap times) on the same page: the seed
 * depends on the page's index, not on the policy.
 */
export function scorePolicy(
  policy: PrefetchPolicy,
  pages: readonly ObservedPage[],
  budget: PrefetchBudget = DEFAULT_PREFETCH_BUDGET,
  seed = 20261206,
  m: LatencyModel = LATENCY,
  /**
   * 0: one plan per page when it renders (the product today). S > 0: per-screen planning, the
   * page cut into screens of S places; screen j is planned on its own cards with the same budget
   * when it comes within a screen of the viewport, i.e. when the user reaches screen j − 1
   * ((j − 1) × S places × msPerPlace after render; screens 0 and 1 at render).
   */
  screenPlaces = 0,
): PolicyScore {
  let opens = 0;
  let prefetched = 0;
  let hits = 0;
  let late = 0;
  let calls = 0;
  let bytes = 0;
  const saved: number[] = [];
  pages.forEach((page, i) => {
    const rand = mulberry32((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    const wifi = rand() < m.wifiShare;
    const first = page.slate.cards[0]?.position ?? 0;
    const screenOf = (position: number): number =>
      screenPlaces > 0 ? Math.floor((position - first) / screenPlaces) : 0;
    const screens = new Set(page.slate.cards.map((c) => screenOf(c.position)));
    const plans = [...screens].map((j) => ({
      startMs: Math.max(0, (j - 1) * screenPlaces * m.msPerPlace),
      plan: prefetchPlanOf(
        page.slate.cards.filter((c) => screenOf(c.position) === j),
        policy,
        page.pDetailFromFeed,
        budget,
      ),
    }));
    // Draws per card in page order, so every policy meets the same ones.
    const draws = new Map<string, { fetch: number; live: number; tap: number }>();
    for (const c of page.slate.cards) {
      if (c.kind !== 'content') continue;
      const fetch = detailMs(rand, wifi, m);
      const live = detailMs(rand, wifi, m);
      draws.set(c.item.id, { fetch, live, tap: tapMs(rand, c.position - first, m) });
    }
    // Each chosen card with the time its fetch starts.
    const chosen = new Map<string, number>();
    for (const { startMs, plan } of plans) {
      for (const id of plan?.itemIds ?? []) chosen.set(id, startMs);
      calls += (plan?.itemIds.length ?? 0) * budget.callsPerItem;
      bytes += (plan?.bytes ?? []).reduce((s, b) => s + b, 0);
    }
    prefetched += chosen.size;
    for (const id of page.opened) {
      opens++;
      const d = draws.get(id);
      const start = chosen.get(id);
      if (!d || start === undefined) continue;
      if (start + d.fetch <= d.tap) {
        hits++;
        saved.push(d.live);
      } else late++;
    }
  });
  return {
    policy,
    pages: pages.length,
    opens,
    prefetched,
    hits,
    late,
    hitRate: hits / Math.max(1, opens),
    // A late payload was not used either: the page fetched it again.
    wastedPerOpen: (prefetched - hits) / Math.max(1, opens),
    medianSavedMs: median(saved),
    meanSavedPerOpenMs: saved.reduce((s, x) => s + x, 0) / Math.max(1, opens),
    callsPerPage: calls / Math.max(1, pages.length),
    bytesPerPage: bytes / Math.max(1, pages.length),
  };
}
