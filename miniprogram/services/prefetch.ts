/**
 * Detail payloads fetched ahead of a tap (issue 18): when the feed renders a page, the items
 * the server's prefetch plan names (its policy: the user's feed.prefetch variant) are fetched —
 * `content` item.get and the first comment page — and kept in memory for a few minutes, so the
 * detail page opened on one renders at once, without waiting for the network. Fetched on Wi-Fi;
 * on 4G/5G only while this launch's cellular allowance lasts; never on 2G/3G, offline or unknown.
 */
import type { ContentResponse, PrefetchPlan } from '../../typings';
import { getApi } from './api';
import type { ApiClient } from './api';

/** Comments per page (the detail page pages on with the prefetched page's cursor). */
export const COMMENT_PAGE = 20;
/** A prefetched payload older than this is fetched again by the detail page (likes and comments move on). */
export const PREFETCH_TTL_MS = 5 * 60_000;
/** Payloads kept at most, oldest dropped first. */
const MAX_ENTRIES = 30;
/** Bytes a launch may prefetch over a cellular network (the user's data plan). */
export const CELLULAR_BYTES = 256 * 1024;

type ItemAnswer = Extract<ContentResponse, { action: 'item.get' }>;
type CommentsAnswer = Extract<ContentResponse, { action: 'comment.list' }>;

export interface Prefetched {
  item: ItemAnswer;
  comments: CommentsAnswer;
  at: number;
}

/** What this launch prefetched: the A/B test's cost side (calls, bytes) and its use (hits). */
export interface PrefetchStats {
  calls: number;
  bytes: number;
  hits: number;
}

const cache = new Map<string, Prefetched>();
const inflight = new Set<string>();
let stats: PrefetchStats = { calls: 0, bytes: 0, hits: 0 };
let cellularBytes = 0;

async function networkType(): Promise<string> {
  try {
    return (await wx.getNetworkType()).networkType;
  } catch {
    return 'unknown';
  }
}

/** Fetches what the plan names (not already held) if the network allows; failures are silent (the detail page fetches as before). */
export async function prefetchPlan(
  plan: PrefetchPlan | undefined,
  api: ApiClient = getApi(),
  now: () => number = Date.now,
): Promise<void> {
  if (!plan || plan.itemIds.length === 0) return;
  const net = await networkType();
  const cellular = net === '4g' || net === '5g';
  if (net !== 'wifi' && !cellular) return;
  const jobs: Promise<void>[] = [];
  plan.itemIds.forEach((itemId, i) => {
    const held = cache.get(itemId);
    if (inflight.has(itemId) || (held && now() - held.at < PREFETCH_TTL_MS)) return;
    const bytes = plan.bytes[i] ?? 0;
    if (cellular) {
      if (cellularBytes + bytes > CELLULAR_BYTES) return;
      cellularBytes += bytes;
    }
    inflight.add(itemId);
    stats.calls += 2;
    jobs.push(
      Promise.all([
        api.call('content', { action: 'item.get', itemId }),
        api.call('content', { action: 'comment.list', itemId, limit: COMMENT_PAGE }),
      ])
        .then(([item, comments]) => {
          if (item.action !== 'item.get' || comments.action !== 'comment.list') return;
          stats.bytes += JSON.stringify(item).length + JSON.stringify(comments).length;
          cache.delete(itemId);
          cache.set(itemId, { item, comments, at: now() });
          if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
        })
        .catch(() => undefined)
        .finally(() => inflight.delete(itemId)),
    );
  });
  await Promise.all(jobs);
}

/** The item's prefetched payload if it is fresh; taken once (the page then owns it: a like changes it). */
export function takePrefetched(itemId: string, now: number = Date.now()): Prefetched | undefined {
  const p = cache.get(itemId);
  if (!p) return undefined;
  cache.delete(itemId);
  if (now - p.at >= PREFETCH_TTL_MS) return undefined;
  stats.hits++;
  return p;
}

export function prefetchStats(): PrefetchStats {
  return { ...stats };
}

/** What was prefetched and used since the last report, then counted afresh (the `prefetch` event). */
export function takePrefetchReport(): PrefetchStats | null {
  const { calls, bytes, hits } = stats;
  if (calls === 0 && hits === 0) return null;
  stats = { calls: 0, bytes: 0, hits: 0 };
  return { calls, bytes, hits };
}

/** Empties the cache and the counters (tests). */
export function forgetPrefetched(): void {
  cache.clear();
  inflight.clear();
  stats = { calls: 0, bytes: 0, hits: 0 };
  cellularBytes = 0;
}
