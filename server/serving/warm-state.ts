/**
 * What a warm instance keeps between requests: the catalog index, decayed popularity and the
 * serving click model, each refreshed by a cheap version check on a timer rather than per
 * request (catalog: its revision, which every write bumps; model: the serving pointer;
 * popularity: re-read).
 * Concurrent requests share one refresh in flight.
 */
import { DEFAULT_CTR_CONFIG } from '../engine/models/defaults';
import { servingScorer, ServingFeatures } from '../engine/ranking/click-scorer';
import {
  popularityFromDaily,
  popularOrder,
  type DailyCounts,
} from '../engine/ranking/candidates/popular';
import { ItemIndex } from '../engine/ranking/item-index';
import type { ClickScorer } from '../engine/ranking/pipeline';
import { dayBucket } from '../engine/time';
import type { ContentItem } from '../../typings';
import type { NeighbourList, Stores } from '../ports';
import type { Logger } from '../runtime/function';
import { Continuations } from './continuation';
import { ServingModelCache } from '../learning/model-versions';

export interface WarmOptions {
  /** How often the catalog's version is checked, and the longest a snapshot is kept regardless. */
  catalogCheckMs: number;
  catalogMaxAgeMs: number;
  popularityTtlMs: number;
  popularityDays: number;
  popularityHalfLifeDays: number;
  modelCheckMs: number;
  /**
   * How long an item's neighbour list (or its absence) is kept: `train` rewrites the lists each
   * round (every few minutes), so a list served is at most this much older than the stored one.
   */
  neighbourTtlMs: number;
  /** Lists kept at most (the cache starts over when full). */
  neighbourMax: number;
}

export const DEFAULT_WARM: WarmOptions = {
  catalogCheckMs: 30_000,
  catalogMaxAgeMs: 10 * 60_000,
  popularityTtlMs: 5 * 60_000,
  popularityDays: 3,
  popularityHalfLifeDays: 1,
  modelCheckMs: 10_000,
  neighbourTtlMs: 60_000,
  neighbourMax: 50_000,
};

const PAGE = 1000;
const DAY = 86_400_000;

export interface CatalogSnapshot {
  /** Which load of the catalog this is (a continuation ranked on another is not used). */
  serial: number;
  index: ItemIndex;
  /** Card fields by id, for the response. */
  items: Map<string, ContentItem>;
  popularity: Float64Array;
  /** Popularity order (popularOrder), computed with each popularity refresh rather than per request. */
  popularOrder: Int32Array;
}

export class WarmState {
  private snapshot: CatalogSnapshot | null = null;
  private signature = '';
  private loadedAt = -Infinity;
  private checkedAt = -Infinity;
  private popularAt = -Infinity;
  private inflight: Promise<void> | null = null;
  private readonly models: ServingModelCache;
  /** Hashes a request's user and context once, not once per card scored; keeps items' tokens per catalog object. */
  private readonly features = new ServingFeatures(DEFAULT_CTR_CONFIG.bits);
  /** The scorer of the loaded model (its precomputed item parts live as long as it). */
  private bound: { model: object; scorer: ClickScorer } | null = null;

  private readonly lists = new Map<string, { list: NeighbourList | null; at: number }>();
  private loads = 0;
  /** Sessions' next pages, ranked with their current one (continuation.ts). */
  readonly continuations = new Continuations();

  constructor(private readonly opts: WarmOptions = DEFAULT_WARM) {
    this.models = new ServingModelCache(opts.modelCheckMs);
  }

  async catalog(stores: Stores, now: number): Promise<CatalogSnapshot> {
    const due =
      !this.snapshot ||
      now - this.checkedAt >= this.opts.catalogCheckMs ||
      now - this.popularAt >= this.opts.popularityTtlMs;
    if (due) {
      this.inflight ??= this.refresh(stores, now).finally(() => (this.inflight = null));
      await this.inflight;
    }
    return this.snapshot!;
  }

  /**
   * Neighbour lists of these items (item-level model data, shared by every user who engaged
   * with them): from the warm cache while younger than neighbourTtlMs, the rest in one read.
   */
  async neighbours(
    stores: Stores,
    itemIds: readonly string[],
    now: number,
  ): Promise<Map<string, NeighbourList>> {
    const out = new Map<string, NeighbourList>();
    const missing: string[] = [];
    for (const id of itemIds) {
      const e = this.lists.get(id);
      if (e && now - e.at < this.opts.neighbourTtlMs && now >= e.at) {
        if (e.list) out.set(id, e.list);
      } else missing.push(id);
    }
    if (missing.length === 0) return out;
    const read = new Map((await stores.neighbours.get(missing)).map((l) => [l.itemId, l]));
    if (this.lists.size + missing.length > this.opts.neighbourMax) this.lists.clear();
    for (const id of missing) {
      const list = read.get(id) ?? null;
      this.lists.set(id, { list, at: now });
      if (list) out.set(id, list);
    }
    return out;
  }

  /** The serving model bound to the feature transformer, or null (cold start: no model yet). */
  async scorer(stores: Stores, now: number, log: Logger): Promise<ClickScorer | null> {
    const loaded = await this.models.get(stores, now, log);
    if (!loaded) return null;
    if (this.bound?.model !== loaded.model)
      this.bound = {
        model: loaded.model,
        scorer: servingScorer(
          loaded.meta.version,
          loaded.model,
          this.features,
          loaded.scaler,
          loaded.meta.examplesSeen,
        ),
      };
    return this.bound.scorer;
  }

  private async refresh(stores: Stores, now: number): Promise<void> {
    if (!this.snapshot || now - this.checkedAt >= this.opts.catalogCheckMs) {
      this.checkedAt = now;
      // Every write bumps the revision, an unpublished item's too: it stops within one check.
      const sig = String(await stores.catalog.revision());
      if (
        !this.snapshot ||
        sig !== this.signature ||
        now - this.loadedAt >= this.opts.catalogMaxAgeMs
      ) {
        const items = await loadPublished(stores);
        this.snapshot = {
          serial: ++this.loads,
          index: new ItemIndex(items),
          items: new Map(items.map((it) => [it.id, it])),
          popularity: new Float64Array(items.length),
          popularOrder: new Int32Array(0),
        };
        this.signature = sig;
        this.loadedAt = now;
        this.popularAt = -Infinity;
      }
    }
    if (now - this.popularAt >= this.opts.popularityTtlMs) {
      this.popularAt = now;
      const snap = this.snapshot!;
      const ids = snap.index.items.map((it) => it.id);
      // The days are read together (the adapter bounds the requests in flight).
      const days: DailyCounts[] = await Promise.all(
        Array.from({ length: this.opts.popularityDays }, async (_, d) => ({
          ageDays: d,
          counters: ids.length
            ? await stores.counters.read('item', ids, dayBucket(now - d * DAY))
            : {},
        })),
      );
      snap.popularity = popularityFromDaily(snap.index, days, this.opts.popularityHalfLifeDays);
      snap.popularOrder = popularOrder(snap.popularity);
    }
  }
}

async function loadPublished(stores: Stores): Promise<ContentItem[]> {
  const out: ContentItem[] = [];
  let after: { publishedAt: number; id: string } | undefined;
  for (;;) {
    const page = await stores.catalog.list({ status: 'published', after, limit: PAGE });
    out.push(...page);
    if (page.length < PAGE) return out;
    const last = page[page.length - 1];
    after = { publishedAt: last.publishedAt, id: last.id };
  }
}
