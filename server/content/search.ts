/**
 * 搜索: published items by title, tags, summary and body, with the project's Chinese text engine —
 * Okapi BM25 (Robertson & Zaragoza 2009) over jieba words (the engine's Analyzer) and over
 * character bigrams, the same two stages 智能客服 retrieves with (bigrams find a word jieba cut
 * differently in the item, 手机 inside 新手机), scores added — then, for a personalised caller, re-ranked by their
 * interest profile. A search by a user whose data may be kept is noted for 热门搜索 (hot-queries.ts).
 * The index is kept per warm instance and rebuilt when the catalog's revision
 * moves (checked at most every 30 s). The segmenter (a 4 MB WebAssembly dictionary) is loaded on
 * the first search only, so the content function's other actions do not pay for it.
 */
import type { ContentItem, ItemView } from '../../typings';
import { Analyzer } from '../engine/text/analyzer';
import { Bm25Index } from '../engine/text/bm25';
import { charBigrams } from '../engine/text/normalize';
import type { UserProfile } from '../engine/profiles/profile';
import { servingOf } from '../privacy/demographics';
import { servingGate } from '../privacy/gate';
import type { Stores } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { perStores } from '../runtime/per-stores';
import { itemView } from './lookups';
import { bodyText } from './rich-text';
import { noteSearch } from './hot-queries';

export const DEFAULT_SEARCH_LIMIT = 20;
/** Longest query, characters (a search box, not a document). */
export const MAX_QUERY_CHARS = 50;
const REVISION_CHECK_MS = 30_000;
/** BM25 candidates the profile may re-order. */
const CANDIDATES = 100;
/**
 * How far interest can lift a match: a candidate's BM25 score is multiplied by 1 + PROFILE_BOOST ×
 * affinity (0..1), so relevance still leads (a strong match is not buried under a favourite topic).
 */
export const PROFILE_BOOST = 0.5;
/** A title counts this many times (a word in the title says more than one in the body). */
const TITLE_WEIGHT = 3;

class SearchIndex {
  constructor(
    readonly items: readonly ContentItem[],
    private readonly analyzer: Analyzer,
    private readonly words: Bm25Index,
    private readonly bigrams: Bm25Index,
  ) {}

  static build(analyzer: Analyzer, items: ContentItem[], bodies: Map<string, string>): SearchIndex {
    const texts = items.map((it) =>
      [
        ...Array<string>(TITLE_WEIGHT).fill(it.title),
        it.tags.join(' '),
        it.category,
        it.summary,
        bodyText(bodies.get(it.id) ?? ''),
      ].join('\n'),
    );
    return new SearchIndex(
      items,
      analyzer,
      new Bm25Index(texts.map((t) => analyzer.tokens(t))),
      new Bm25Index(texts.map(charBigrams)),
    );
  }

  /** The k best items, score descending, ties by catalog order (newest first). */
  search(query: string, k: number): { item: ContentItem; score: number }[] {
    const scores = new Map<number, number>();
    for (const h of this.words.search(this.analyzer.tokens(query), k)) scores.set(h.doc, h.score);
    for (const h of this.bigrams.search(charBigrams(query), k))
      scores.set(h.doc, (scores.get(h.doc) ?? 0) + h.score);
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([doc, score]) => ({ item: this.items[doc], score }));
  }
}

interface Warm {
  index: SearchIndex | null;
  revision: number;
  checkedAt: number;
  building: Promise<SearchIndex> | null;
}
const warmOf = perStores((): Warm => ({ index: null, revision: -1, checkedAt: 0, building: null }));

async function analyzer(): Promise<Analyzer> {
  const { jiebaSegmenter } = await import('../text/segmenter');
  return new Analyzer(jiebaSegmenter);
}

async function build(stores: Stores): Promise<SearchIndex> {
  const items: ContentItem[] = [];
  let after: { publishedAt: number; id: string } | undefined;
  for (;;) {
    const page = await stores.catalog.list({ status: 'published', after, limit: 1000 });
    items.push(...page);
    if (page.length < 1000) break;
    const last = page[page.length - 1];
    after = { publishedAt: last.publishedAt, id: last.id };
  }
  const bodies = await stores.catalog.bodies(items.map((it) => it.id));
  return SearchIndex.build(await analyzer(), items, bodies);
}

/** The warm index, rebuilt when the catalog changed (one build at a time per instance). */
async function indexFor(stores: Stores, now: number): Promise<SearchIndex> {
  const warm = warmOf(stores);
  if (warm.index && now - warm.checkedAt < REVISION_CHECK_MS) return warm.index;
  const revision = await stores.catalog.revision();
  warm.checkedAt = now;
  if (warm.index && revision === warm.revision) return warm.index;
  if (!warm.building)
    warm.building = build(stores).finally(() => {
      warm.building = null;
    });
  const index = await warm.building;
  warm.index = index;
  warm.revision = revision;
  return index;
}

/** 0..1: how much of the user's strongest interest the item's category and tags carry. */
export function affinity(
  profile: UserProfile,
  item: Pick<ContentItem, 'category' | 'tags'>,
): number {
  const weights = Object.values(profile.interests);
  const top = Math.max(0, ...weights);
  if (top <= 0) return 0;
  const w =
    (profile.interests[`cat:${item.category}`] ?? 0) +
    item.tags.reduce((s, t) => s + (profile.interests[`tag:${t}`] ?? 0), 0);
  return Math.min(1, Math.max(0, w / top));
}

/** Best matches first; re-ranked by the caller's interests when their feed is personalised. */
export async function searchItems(
  ctx: FunctionContext,
  query: string,
  limit = DEFAULT_SEARCH_LIMIT,
): Promise<{ items: ItemView[]; personalised: boolean }> {
  const q = query.trim();
  const now = ctx.now();
  const [index, gate] = await Promise.all([
    indexFor(ctx.stores, now),
    servingGate(ctx.stores, ctx.openid, now, ctx.config),
  ]);
  // 热门搜索 counts the search only for a user whose data may be kept (beside the ranking; never fails it).
  const noted = gate.verdict.store ? noteSearch(ctx, q) : Promise.resolve();
  const hits = index.search(q, Math.max(limit, CANDIDATES));
  const personalised = gate.verdict.store && servingOf(gate.settings, now).personalised;
  const [profile] = personalised ? await ctx.stores.profiles.get([ctx.openid]) : [];
  const ranked = profile
    ? hits
        .map((h, i) => ({
          ...h,
          i,
          score: h.score * (1 + PROFILE_BOOST * affinity(profile, h.item)),
        }))
        .sort((a, b) => b.score - a.score || a.i - b.i)
    : hits;
  await noted;
  return { items: ranked.slice(0, limit).map((h) => itemView(h.item)), personalised: !!profile };
}
