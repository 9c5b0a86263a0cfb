/** Ads over SQLite: merchants and campaigns stored as JSON documents with indexed columns. */
import type { Campaign, CampaignStatus, Merchant } from '../../../typings';
import type { Ads } from '../../ports';
import type { Db } from './db';

export class SqliteAds implements Ads {
  private readonly putMerchants;
  private readonly putCampaigns;

  constructor(private readonly db: Db) {
    const m = db.prepare('INSERT OR REPLACE INTO merchants (id, doc) VALUES (?, ?)');
    this.putMerchants = db.transaction((ms: Merchant[]) => {
      for (const x of ms) m.run(x.id, JSON.stringify(x));
    });
    const c = db.prepare(
      'INSERT OR REPLACE INTO campaigns (id, merchant_id, status, created_at, doc) VALUES (?, ?, ?, ?, ?)',
    );
    this.putCampaigns = db.transaction((cs: Campaign[]) => {
      for (const x of cs) c.run(x.id, x.merchantId, x.status, x.createdAt, JSON.stringify(x));
    });
  }

  async upsertMerchants(merchants: Merchant[]): Promise<void> {
    this.putMerchants(merchants);
  }

  async getMerchant(id: string): Promise<Merchant | null> {
    const doc = this.db.prepare('SELECT doc FROM merchants WHERE id = ?').pluck().get(id) as
      string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as Merchant);
  }

  async listMerchants(limit: number): Promise<Merchant[]> {
    const docs = this.db
      .prepare(
        "SELECT doc FROM merchants ORDER BY json_extract(doc, '$.createdAt') DESC, id LIMIT ?",
      )
      .pluck()
      .all(limit) as string[];
    return docs.map((d) => JSON.parse(d) as Merchant);
  }

  async upsertCampaigns(campaigns: Campaign[]): Promise<void> {
    this.putCampaigns(campaigns);
  }

  async updateCampaign(c: Campaign, expectedRevision: number): Promise<boolean> {
    // One statement: SQLite's write lock makes the check and the write one step.
    const res = this.db
      .prepare(
        "UPDATE campaigns SET merchant_id = ?, status = ?, doc = ? WHERE id = ? AND COALESCE(json_extract(doc, '$.revision'), 0) = ?",
      )
      .run(c.merchantId, c.status, JSON.stringify(c), c.id, expectedRevision);
    return res.changes === 1;
  }

  async getCampaign(id: string): Promise<Campaign | null> {
    const doc = this.db.prepare('SELECT doc FROM campaigns WHERE id = ?').pluck().get(id) as
      string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as Campaign);
  }

  async listCampaigns(merchantId: string): Promise<Campaign[]> {
    const docs = this.db
      .prepare('SELECT doc FROM campaigns WHERE merchant_id = ? ORDER BY created_at DESC, id DESC')
      .pluck()
      .all(merchantId) as string[];
    return docs.map((d) => JSON.parse(d) as Campaign);
  }

  async listCampaignsByStatus(
    status: CampaignStatus,
    limit: number,
    afterId?: string,
  ): Promise<Campaign[]> {
    // The same page cap as the cloud database, so both adapters page alike.
    const n = Math.min(limit, 1000);
    const docs = (
      afterId === undefined
        ? this.db
            .prepare('SELECT doc FROM campaigns WHERE status = ? ORDER BY id LIMIT ?')
            .pluck()
            .all(status, n)
        : this.db
            .prepare('SELECT doc FROM campaigns WHERE status = ? AND id > ? ORDER BY id LIMIT ?')
            .pluck()
            .all(status, afterId, n)
    ) as string[];
    return docs.map((d) => JSON.parse(d) as Campaign);
  }
}
