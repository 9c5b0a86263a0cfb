/**
 * 热门搜索: what many people searched lately, never what one person did. A search by a user whose
 * data may be kept (a recorded consent, no erasure running) notes its normalised query once per
 * (scene, CST day, user) under a keyed digest of the openid (the searchQueries port), if the query
 * passes the rules comments pass (no control or direction-override characters; WeChat's
 * content-safety check, msgSecCheck v2 with the searcher's openid, must say pass) and looks like no
 * personal detail (no run of 5+ digits such as a phone, QQ, ID or order number, no @, no link);
 * a text's verdict is kept per warm instance for VERDICT_TTL_MS.
 * `train` rolls up each round: a query shows only when at least K_ANONYMITY distinct users
 * searched it within the last HOT_WINDOW_DAYS (k-anonymity after Sweeney 2002, the same K as the
 * merchant reports), most users first, at most HOT_LIMIT; rows of older days are purged. Reading
 * the list is one document read.
 */
import LRUCache from 'lru-cache';
import { K_ANONYMITY } from '../engine/ads/report';
import { dayBucket } from '../engine/time';
import type { SafetyVerdict, Stores } from '../ports';
import { perStores } from '../runtime/per-stores';
import type { FunctionContext } from '../runtime/function';
import { hasForbiddenChars } from './comment-rules';

/** Days a search counts towards the hot list (today included). */
export const HOT_WINDOW_DAYS = 7;
/** Queries the list shows at most. */
export const HOT_LIMIT = 10;
/** Longest query kept for the list, characters (a chip, not a sentence). */
export const MAX_HOT_QUERY_CHARS = 20;
/** Distinct users a query needs within the window before it shows. */
export const HOT_MIN_USERS = K_ANONYMITY;
/** msgSecCheck's scene for the text (2 评论: the scene comments are checked in). */
const SAFETY_SCENE = 2;
/** Candidates read per roll-up, so that the rules can drop some and still leave HOT_LIMIT. */
const CANDIDATES = HOT_LIMIT * 5;
/**
 * Verdicts on query texts kept per warm instance: WeChat limits msgSecCheck's rate, and a popular
 * query is searched by many people; the verdict is on the text (the openid is what the call
 * requires), so one check per text per VERDICT_TTL_MS serves them all.
 */
export const VERDICT_TTL_MS = 10 * 60_000;
const VERDICTS_MAX = 2_000;
const verdictsOf = perStores(
  () => new LRUCache<string, SafetyVerdict>({ max: VERDICTS_MAX, ttl: VERDICT_TTL_MS }),
);
/** Old rows deleted per round at most (the rest next round). */
const PURGE_PER_ROUND = 5_000;

const DAY_MS = 86_400_000;
/** A run of 5+ digits once spaces, dots and dashes are taken out: a phone, QQ, ID or order number. */
const DIGIT_RUN = /\d{5,}/;
const LINK = /@|https?:|www\.|\.(com|cn|net|org)\b/i;

/**
 * The query as the list would show it (NFKC, lower-cased, spaces collapsed, trimmed), or null
 * when it may not show: empty, longer than MAX_HOT_QUERY_CHARS, a control character, or what
 * looks like a personal detail.
 */
export function hotCandidate(query: string): string | null {
  const q = query.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const chars = [...q].length;
  if (chars === 0 || chars > MAX_HOT_QUERY_CHARS) return null;
  if (hasForbiddenChars(q)) return null;
  if (DIGIT_RUN.test(q.replace(/[\s.\-_]/g, '')) || LINK.test(q)) return null;
  return q;
}

/**
 * Notes the caller's search for the hot list, when their data may be kept and the query passes the
 * rules. Never fails the search: a failure is logged and the search answered as usual.
 */
export async function noteSearch(ctx: FunctionContext, query: string): Promise<void> {
  const q = hotCandidate(query);
  if (q === null) return;
  try {
    const verdicts = verdictsOf(ctx.stores);
    let verdict = verdicts.get(q);
    if (verdict === undefined) {
      verdict = await ctx.stores.contentSafety.check(q, ctx.openid, SAFETY_SCENE);
      verdicts.set(q, verdict);
    }
    if (verdict !== 'pass') return;
    await ctx.stores.searchQueries.record(ctx.openid, ctx.config.scene, dayBucket(ctx.now()), q);
  } catch (err) {
    ctx.log.error('search not noted for the hot list', {
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

/** The scene's hot list as `train` last rolled it up (empty before then). */
export async function hotQueries(ctx: FunctionContext): Promise<string[]> {
  return (await ctx.stores.searchQueries.hot(ctx.config.scene))?.queries ?? [];
}

/** The first day ("YYYYMMDD", CST) of the window ending on `now`'s day. */
export const windowStart = (now: number): string => dayBucket(now - (HOT_WINDOW_DAYS - 1) * DAY_MS);

export interface HotQueriesResult {
  /** Rows of days before the window deleted. */
  purged: number;
  /** Queries in the saved list. */
  shown: number;
}

/** train's step: old rows purged, the scene's list rolled up and saved. */
export async function rollUpHotQueries(
  stores: Stores,
  scene: string,
  now: number,
): Promise<HotQueriesResult> {
  const since = windowStart(now);
  const purged = await stores.searchQueries.purgeBefore(since, PURGE_PER_ROUND);
  const top = await stores.searchQueries.top(scene, since, HOT_MIN_USERS, CANDIDATES);
  // The rules again: a row stored under older rules, or written around them, never shows.
  const queries = top
    .filter((t) => t.users >= HOT_MIN_USERS && hotCandidate(t.query) === t.query)
    .slice(0, HOT_LIMIT)
    .map((t) => t.query);
  await stores.searchQueries.saveHot(scene, { queries, at: now });
  return { purged, shown: queries.length };
}
