/**
 * What a warm instance keeps between requests: the catalog index, decayed popularity and the
 * serving click model, each refreshed by a cheap version check on a timer rather than per
 * request (catalog: count and newest item; model: the serving pointer; popularity: re-read).
 * Concurrent requests share one refresh in flight.
 */
import { DEFAULT_CTR_CONFIG } from '../../engine/models/defaults';
import { servingScorer, ServingFeatures } from '../../engine/ranking/click-scorer';
import { popularityFromDaily, popularOrder, type DailyCounts } from '../../engine/ranking/candidates/popular';
import { ItemIndex } from '../../engine/ranking/item-index';
import type { ClickScorer } from '../../engine/ranking/pipeline';
import { dayBucket } from '../../engine/time';
import type { ContentItem } from '../../../typings';
import type { Stores } from '../../ports';
import type { Logger } from '../../runtime/function';
import { ServingModelCache } from '../train/models';

export interface WarmOptions {
  /** How often the catalog's version is checked, and the longest a snapshot is kept regardless. */
  catalogCheckMs: number;
  catalogMaxAgeMs: number;
  popularityTtlMs: number;
  popularityDays: number;
  popularityHalfLifeDays: number;
  modelCheckMs: number;
}

export const DEFAULT_WARM: WarmOptions = {
  catalogCheckMs: 30_000, catalogMaxAgeMs: 10 * 60_000, popularityTtlMs: 5 * 60_000, popularityDays: 3, popularityHalfLifeDays: 1, modelCheckMs: 10_000,
};

const PAGE = 1000;
const DAY = 86_400_000;

export interface CatalogSnapshot {
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

  constructor(private readonly opts: WarmOptions = DEFAULT_WARM) {
    this.models = new ServingModelCache(opts.modelCheckMs);
  }

  async catalog(stores: Stores, now: number): Promise<CatalogSnapshot> {
    const due = !this.snapshot || now - this.checkedAt >= this.opts.catalogCheckMs || now - this.popularAt >= this.opts.popularityTtlMs;
    if (due) {
      this.inflight ??= this.refresh(stores, now).finally(() => (this.inflight = null));
      await this.inflight;
    }
    return this.snapshot!;
  }

  /** The serving model bound to the feature transformer, or null (cold start: no model yet). */
  async scorer(stores: Stores, now: number, log: Logger): Promise<ClickScorer | null> {
    const loaded = await this.models.get(stores, now, log);
    if (!loaded) return null;
    if (this.bound?.model !== loaded.model) this.bound = { model: loaded.model, scorer: servingScorer(loaded.meta.version, loaded.model, this.features) };
    return this.bound.scorer;
  }

  private async refresh(stores: Stores, now: number): Promise<void> {
    if (!this.snapshot || now - this.checkedAt >= this.opts.catalogCheckMs) {
      this.checkedAt = now;
      const [count, newest] = await Promise.all([stores.catalog.count(), stores.catalog.list({ limit: 1 })]);
      const sig = `${count}:${newest[0]?.id ?? ''}:${newest[0]?.publishedAt ?? ''}`;
      if (!this.snapshot || sig !== this.signature || now - this.loadedAt >= this.opts.catalogMaxAgeMs) {
        const items = await loadPublished(stores);
        this.snapshot = { index: new ItemIndex(items), items: new Map(items.map((it) => [it.id, it])), popularity: new Float64Array(items.length), popularOrder: new Int32Array(0) };
        this.signature = sig;
        this.loadedAt = now;
        this.popularAt = -Infinity;
      }
    }
    if (now - this.popularAt >= this.opts.popularityTtlMs) {
      this.popularAt = now;
      const snap = this.snapshot!;
      const ids = snap.index.items.map((it) => it.id);
      const days: DailyCounts[] = [];
      for (let d = 0; d < this.opts.popularityDays; d++) {
        days.push({ ageDays: d, counters: ids.length ? await stores.counters.read('item', ids, dayBucket(now - d * DAY)) : {} });
      }
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
