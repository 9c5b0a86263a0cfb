/**
 * The active campaign set of a warm instance, with advertiser names: re-read at most every
 * `ttlMs` (not per request), paged through every active campaign (a cloud query returns at
 * most 1000), each campaign checked on the way in — a corrupted one is left out
 * and logged once per refresh, and the rest still serve. A failed refresh keeps the last set.
 */
import type { Campaign } from '../../typings';
import { checkCampaign } from '../engine/ads/validate';
import type { Stores } from '../ports';
import { allCampaignsByStatus, CAMPAIGN_PAGE } from '../ports/ads';
import type { Logger } from '../runtime/function';

/** Advertiser names read at once when many merchants are new to the instance. */
const MERCHANT_READS = 16;

export interface CampaignSet {
  campaigns: Campaign[];
  advertisers: Map<string, string>;
}

export class CampaignCache {
  private set: CampaignSet | null = null;
  private loadedAt = -Infinity;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly ttlMs = 30_000,
    private readonly pageSize = CAMPAIGN_PAGE,
  ) {}

  async get(stores: Pick<Stores, 'ads'>, now: number, log: Logger): Promise<CampaignSet> {
    if (!this.set || now - this.loadedAt >= this.ttlMs) {
      this.inflight ??= this.refresh(stores, now, log).finally(() => (this.inflight = null));
      await this.inflight;
    }
    return this.set ?? { campaigns: [], advertisers: new Map() };
  }

  private async refresh(stores: Pick<Stores, 'ads'>, now: number, log: Logger): Promise<void> {
    try {
      const raw = await allCampaignsByStatus(stores.ads, 'active', this.pageSize);
      const campaigns: Campaign[] = [];
      for (const r of raw) {
        const checked = checkCampaign(r);
        if (checked.ok) campaigns.push(checked.campaign);
        else
          log.error('campaign excluded: corrupted', {
            campaignId: checked.id,
            reason: checked.reason,
          });
      }
      const advertisers = new Map(this.set?.advertisers ?? []);
      const missing = [...new Set(campaigns.map((c) => c.merchantId))].filter(
        (id) => !advertisers.has(id),
      );
      for (let i = 0; i < missing.length; i += MERCHANT_READS) {
        const part = missing.slice(i, i + MERCHANT_READS);
        const found = await Promise.all(part.map((id) => stores.ads.getMerchant(id)));
        part.forEach((id, k) => advertisers.set(id, found[k]?.name?.trim() || '广告主'));
      }
      this.set = { campaigns, advertisers };
      this.loadedAt = now;
    } catch (err) {
      // Keep serving the last set (or none) and try again after a short pause, not every request.
      this.loadedAt = this.set ? now - this.ttlMs + 5_000 : now - this.ttlMs + 1_000;
      log.error('campaigns not refreshed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
