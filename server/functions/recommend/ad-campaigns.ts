/**
 * The active campaign set of a warm instance, with advertiser names: re-read at most every
 * `ttlMs` (not per request), each campaign checked on the way in — a corrupted one is left out
 * and logged once per refresh, and the rest still serve. A failed refresh keeps the last set.
 */
import type { Campaign } from '../../../typings';
import { checkCampaign } from '../../engine/ads/validate';
import type { Stores } from '../../ports';
import type { Logger } from '../../runtime/function';

/** The service's largest page; more active campaigns than this need paging (not yet). */
const MAX_ACTIVE = 1000;

export interface CampaignSet {
  campaigns: Campaign[];
  advertisers: Map<string, string>;
}

export class CampaignCache {
  private set: CampaignSet | null = null;
  private loadedAt = -Infinity;
  private inflight: Promise<void> | null = null;

  constructor(private readonly ttlMs = 30_000) {}

  async get(stores: Pick<Stores, 'ads'>, now: number, log: Logger): Promise<CampaignSet> {
    if (!this.set || now - this.loadedAt >= this.ttlMs) {
      this.inflight ??= this.refresh(stores, now, log).finally(() => (this.inflight = null));
      await this.inflight;
    }
    return this.set ?? { campaigns: [], advertisers: new Map() };
  }

  private async refresh(stores: Pick<Stores, 'ads'>, now: number, log: Logger): Promise<void> {
    try {
      const raw = await stores.ads.listCampaignsByStatus('active', MAX_ACTIVE);
      const campaigns: Campaign[] = [];
      for (const r of raw) {
        const checked = checkCampaign(r);
        if (checked.ok) campaigns.push(checked.campaign);
        else log.error('campaign excluded: corrupted', { campaignId: checked.id, reason: checked.reason });
      }
      const advertisers = new Map(this.set?.advertisers ?? []);
      for (const id of new Set(campaigns.map((c) => c.merchantId))) {
        if (advertisers.has(id)) continue;
        const m = await stores.ads.getMerchant(id);
        advertisers.set(id, m?.name?.trim() || '广告主');
      }
      this.set = { campaigns, advertisers };
      this.loadedAt = now;
    } catch (err) {
      // Keep serving the last set (or none) and try again after a short pause, not every request.
      this.loadedAt = this.set ? now - this.ttlMs + 5_000 : now - this.ttlMs + 1_000;
      log.error('campaigns not refreshed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
