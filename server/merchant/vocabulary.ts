/**
 * The interest tags a campaign may target: the categories and tags the catalog's published
 * content carries (user interests are learned from exactly these, so any other tag could never
 * match). Read once per warm instance and refreshed every few minutes; the editor's targeting
 * picker shows the same vocabulary, most used first.
 */
import type { TargetingOptions } from '../../typings';
import type { Stores } from '../ports';

const TTL_MS = 10 * 60_000;
/** Newest items read for the vocabulary: enough for every live tag, bounded for the 3 s budget. */
const MAX_ITEMS = 3000;
const PAGE = 500;
/** Tags offered to the picker: the most used ones (every tag stays valid for the rules). */
export const MAX_OFFERED_TAGS = 300;

interface Vocabulary {
  at: number;
  /** Every category and tag, for the campaign rules. */
  all: Set<string>;
  options: TargetingOptions;
}

const cache = new WeakMap<Stores, Vocabulary>();
/** The scan in flight: calls arriving while the vocabulary is being (re)read share it. */
const scanning = new WeakMap<Stores, Promise<Vocabulary>>();

/** Keys by count, most first, ties in code-point order (stable across adapters). */
const byUse = (counts: Map<string, number>): string[] =>
  [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k]) => k);

function vocabulary(stores: Stores, now: number): Promise<Vocabulary> {
  const hit = cache.get(stores);
  if (hit && now - hit.at < TTL_MS) return Promise.resolve(hit);
  let scan = scanning.get(stores);
  if (!scan) {
    scan = readVocabulary(stores, now).finally(() => scanning.delete(stores));
    scanning.set(stores, scan);
  }
  return scan;
}

async function readVocabulary(stores: Stores, now: number): Promise<Vocabulary> {
  const categories = new Map<string, number>();
  const tags = new Map<string, number>();
  let after: { publishedAt: number; id: string } | undefined;
  for (let read = 0; read < MAX_ITEMS;) {
    const page = await stores.catalog.list({ status: 'published', after, limit: PAGE });
    for (const item of page) {
      categories.set(item.category, (categories.get(item.category) ?? 0) + 1);
      for (const t of item.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
    }
    read += page.length;
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = { publishedAt: last.publishedAt, id: last.id };
  }
  const categoryList = byUse(categories);
  const vocab: Vocabulary = {
    at: now,
    all: new Set([...categories.keys(), ...tags.keys()]),
    options: {
      categories: categoryList,
      tags: byUse(tags)
        .filter((t) => !categories.has(t))
        .slice(0, MAX_OFFERED_TAGS),
    },
  };
  cache.set(stores, vocab);
  return vocab;
}

export async function targetingVocabulary(stores: Stores, now: number): Promise<Set<string>> {
  return (await vocabulary(stores, now)).all;
}

export async function targetingOptions(stores: Stores, now: number): Promise<TargetingOptions> {
  return (await vocabulary(stores, now)).options;
}
