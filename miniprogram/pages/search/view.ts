/** The search page's pure helpers: the local history (newest first, no repeats, bounded). */

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
