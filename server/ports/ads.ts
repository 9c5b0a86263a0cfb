/** Ads port: merchants and their campaigns. */
import type { Campaign, CampaignStatus, Merchant } from '../../typings';

export interface Ads {
  upsertMerchants(merchants: Merchant[]): Promise<void>;
  getMerchant(id: string): Promise<Merchant | null>;
  /** Inserts or replaces campaigns by id. */
  upsertCampaigns(campaigns: Campaign[]): Promise<void>;
  getCampaign(id: string): Promise<Campaign | null>;
  /** A merchant's campaigns, newest first (createdAt desc, id desc). */
  listCampaigns(merchantId: string): Promise<Campaign[]>;
  /** Campaigns in a status across merchants (e.g. every active one, for serving), by id. */
  listCampaignsByStatus(status: CampaignStatus, limit: number): Promise<Campaign[]>;
}
