/** Ads port: merchants and their campaigns; and paging through every campaign in a status. */
import type { Campaign, CampaignStatus, Merchant } from '../../typings';

export interface Ads {
  upsertMerchants(merchants: Merchant[]): Promise<void>;
  getMerchant(id: string): Promise<Merchant | null>;
  /** Up to `limit` merchants, newest first (createdAt desc, id asc): the admin's pick list. */
  listMerchants(limit: number): Promise<Merchant[]>;
  /** Inserts or replaces campaigns by id, unconditionally (seeding; the merchant side uses updateCampaign). */
  upsertCampaigns(campaigns: Campaign[]): Promise<void>;
  /**
   * Replaces a campaign if its stored revision (absent: 0) is still `expectedRevision`, atomically
   * per campaign; false, with nothing changed, when another write came first or it does not exist.
   */
  updateCampaign(campaign: Campaign, expectedRevision: number): Promise<boolean>;
  getCampaign(id: string): Promise<Campaign | null>;
  /** A merchant's campaigns, newest first (createdAt desc, id desc). */
  listCampaigns(merchantId: string): Promise<Campaign[]>;
  /**
   * Up to `limit` campaigns in a status across merchants, by id ascending, strictly after
   * `afterId` when given (one page; a cloud query returns at most 1000: see allCampaignsByStatus).
   */
  listCampaignsByStatus(
    status: CampaignStatus,
    limit: number,
    afterId?: string,
  ): Promise<Campaign[]>;
}

/**
 * Campaigns per page when reading them all. A page stays well under the cloud database's 1 MB
 * per result: a campaign document is about 1 KB (more only with long city or tag lists).
 */
export const CAMPAIGN_PAGE = 250;

/** Every campaign in a status (e.g. every active one, for serving), paged by id: none twice, none skipped. */
export async function allCampaignsByStatus(
  ads: Pick<Ads, 'listCampaignsByStatus'>,
  status: CampaignStatus,
  pageSize = CAMPAIGN_PAGE,
): Promise<Campaign[]> {
  const out: Campaign[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ads.listCampaignsByStatus(status, pageSize, after);
    out.push(...page);
    if (page.length < pageSize) return out;
    const last = page[page.length - 1].id;
    // A page must move forward; a record without a usable id (corrupted) or out of order would page forever.
    if (typeof last !== 'string' || (after !== undefined && last <= after))
      throw new Error(`campaign paging stalled after ${String(after)}`);
    after = last;
  }
}
