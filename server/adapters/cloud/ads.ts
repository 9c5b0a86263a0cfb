/** Ads over the cloud database: merchants and campaigns, one document each, keyed by a hash of their id. */
import type { Campaign, CampaignStatus, Merchant } from '../../../typings';
import type { Ads } from '../../ports';
import { docId, mapLimit, MAX_GET, MAX_IN_FLIGHT, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const MERCHANTS = COLLECTIONS.merchants.name;
export const CAMPAIGNS = COLLECTIONS.campaigns.name;

/** Drops the _id the service adds, so documents read back equal what was written. */
function strip<T>(doc: T & { _id?: string }): T {
  const { _id, ...rest } = doc;
  void _id;
  return rest as T;
}

export class CloudAds implements Ads {
  constructor(private readonly db: Database) {}

  async upsertMerchants(merchants: Merchant[]): Promise<void> {
    await mapLimit(merchants, MAX_IN_FLIGHT, (m) =>
      settle(
        this.db
          .collection(MERCHANTS)
          .doc(docId(scalar(m.id, 'merchant id')))
          .set({ data: { ...m } }),
      ),
    );
  }

  async getMerchant(id: string): Promise<Merchant | null> {
    const res = await settle(
      this.db
        .collection(MERCHANTS)
        .where({ _id: docId(scalar(id, 'merchant id')) })
        .limit(1)
        .get(),
    );
    const doc = (res.data as (Merchant & { _id: string })[])[0];
    return doc ? strip(doc) : null;
  }
  async listMerchants(limit: number): Promise<Merchant[]> {
    const res = await settle(
      this.db
        .collection(MERCHANTS)
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as (Merchant & { _id: string })[]).map(({ _id, ...m }) => m as Merchant);
  }

  async upsertCampaigns(campaigns: Campaign[]): Promise<void> {
    await mapLimit(campaigns, MAX_IN_FLIGHT, (c) =>
      settle(
        this.db
          .collection(CAMPAIGNS)
          .doc(docId(scalar(c.id, 'campaign id')))
          .set({ data: { ...c } }),
      ),
    );
  }

  async updateCampaign(c: Campaign, expectedRevision: number): Promise<boolean> {
    const { id, ...rest } = c;
    const _ = this.db.command;
    // Objects in an update are merged field by field; _.set replaces them whole (creative, targeting).
    const data = Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [k, v !== null && typeof v === 'object' ? _.set(v) : v]),
    );
    const revision = scalar(expectedRevision, 'revision');
    // A conditional update is atomic per document: of two writers holding one revision, one matches.
    // Campaigns stored before revisions have none, which counts as 0.
    const res = await settle(
      this.db
        .collection(CAMPAIGNS)
        .where({
          _id: docId(scalar(id, 'campaign id')),
          revision: revision === 0 ? _.or(_.eq(0), _.exists(false)) : revision,
        })
        .update({ data }),
    );
    return res.stats.updated === 1;
  }

  async getCampaign(id: string): Promise<Campaign | null> {
    const res = await settle(
      this.db
        .collection(CAMPAIGNS)
        .where({ _id: docId(scalar(id, 'campaign id')) })
        .limit(1)
        .get(),
    );
    const doc = (res.data as (Campaign & { _id: string })[])[0];
    return doc ? strip(doc) : null;
  }

  /** Newest first, every one: pages of at most 1000 (one query's limit) continued after the last (createdAt, id). */
  async listCampaigns(merchantId: string): Promise<Campaign[]> {
    const _ = this.db.command;
    const mine = { merchantId: scalar(merchantId, 'merchant id') };
    const out: Campaign[] = [];
    for (let last: Campaign | undefined; ;) {
      const where = last
        ? _.and([
            mine,
            _.or([
              { createdAt: _.lt(last.createdAt) },
              { createdAt: last.createdAt, id: _.lt(last.id) },
            ]),
          ])
        : mine;
      const res = await settle(
        this.db
          .collection(CAMPAIGNS)
          .where(where)
          .orderBy('createdAt', 'desc')
          .orderBy('id', 'desc')
          .limit(MAX_GET)
          .get(),
      );
      const page = (res.data as (Campaign & { _id: string })[]).map(strip);
      out.push(...page);
      if (page.length < MAX_GET) return out;
      last = page[page.length - 1];
    }
  }

  async listCampaignsByStatus(
    status: CampaignStatus,
    limit: number,
    afterId?: string,
  ): Promise<Campaign[]> {
    const cond =
      afterId === undefined
        ? { status: scalar(status, 'status') }
        : {
            status: scalar(status, 'status'),
            id: this.db.command.gt(scalar(afterId, 'campaign id')),
          };
    const res = await settle(
      this.db
        .collection(CAMPAIGNS)
        .where(cond)
        .orderBy('id', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as (Campaign & { _id: string })[]).map(strip);
  }
}
