/** The search page's pure helpers: the local history (newest first, no repeats, bounded) and the 热门搜索 chips. */

/** wx storage key of the search history (this device only; never sent anywhere). */
export const HISTORY_KEY = 'rs_search_history';
export const MAX_HISTORY = 10;
/** Mirrors MAX_QUERY_CHARS of server/content/search.ts. */
export const MAX_QUERY = 50;

/** The history with `query` on top (trimmed, a repeat moved up, at most MAX_HISTORY). */
export function remember(history: readonly string[], query: string): string[] {
  const q = query.trim();
  if (!q) return [...history];
  return [q, ...history.filter((h) => h !== q)].slice(0, MAX_HISTORY);
}

/** What storage held, as a history (anything else, such as an old or broken value, is none). */
export function readHistory(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
    .slice(0, MAX_HISTORY);
}

/** Chips shown under 热门搜索 at most (the server sends at most 10). */
export const MAX_HOT = 10;

/** The server's hot list as chips: non-empty strings, no repeats, at most MAX_HOT, each at most MAX_QUERY long. */
export function hotChips(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const x of raw)
    if (typeof x === 'string' && x.trim() !== '' && x.length <= MAX_QUERY && !out.includes(x))
      out.push(x);
  return out.slice(0, MAX_HOT);
}
