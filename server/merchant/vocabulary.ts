/**
 * The interest tags a campaign may target: the categories and tags the catalog's published
 * content carries (user interests are learned from exactly these, so any other tag could never
 * match). Read once per warm instance and refreshed every few minutes.
 */
import type { Stores } from '../ports';

const TTL_MS = 10 * 60_000;
/** Newest items read for the vocabulary: enough for every live tag, bounded for the 3 s budget. */
const MAX_ITEMS = 3000;
const PAGE = 500;

const cache = new WeakMap<Stores, { at: number; tags: Set<string> }>();

export async function targetingVocabulary(stores: Stores, now: number): Promise<Set<string>> {
  const hit = cache.get(stores);
  if (hit && now - hit.at < TTL_MS) return hit.tags;
  const tags = new Set<string>();
  let after: { publishedAt: number; id: string } | undefined;
  for (let read = 0; read < MAX_ITEMS; ) {
    const page = await stores.catalog.list({ status: 'published', after, limit: PAGE });
    for (const item of page) {
      tags.add(item.category);
      for (const t of item.tags) tags.add(t);
    }
    read += page.length;
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = { publishedAt: last.publishedAt, id: last.id };
  }
  cache.set(stores, { at: now, tags });
  return tags;
}
