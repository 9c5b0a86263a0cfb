/** MerchantDirectory over SQLite: members by openid, invitations by code hash, an append-only audit table (campaign and experiment entries). */
import type {
  AuditEntry,
  ExperimentAuditEntry,
  Membership,
  MerchantAuditEntry,
} from '../../../typings';
import {
  experimentAuditKey,
  merchantAuditKey,
  type Invitation,
  type MerchantDirectory,
} from '../../ports/merchants';
import type { Db } from './db';

export class SqliteMerchantDirectory implements MerchantDirectory {
  constructor(private readonly db: Db) {}

  async membership(openid: string): Promise<Membership | null> {
    const doc = this.db
      .prepare('SELECT doc FROM merchant_members WHERE openid = ?')
      .pluck()
      .get(openid) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as Membership);
  }

  async addMember(openid: string, member: Membership): Promise<boolean> {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO merchant_members (openid, merchant_id, doc) VALUES (?, ?, ?)')
      .run(openid, member.merchantId, JSON.stringify(member));
    return res.changes === 1;
  }

  async removeMember(openid: string): Promise<void> {
    this.db.prepare('DELETE FROM merchant_members WHERE openid = ?').run(openid);
  }

  async createInvitation(inv: Invitation): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO merchant_invitations (code_hash, expires_at, redeemed_by, redeemed_at, doc) VALUES (?, ?, NULL, NULL, ?)',
      )
      .run(inv.codeHash, inv.expiresAt, JSON.stringify(inv));
  }

  async redeemInvitation(
    codeHash: string,
    openid: string,
    now: number,
  ): Promise<Invitation | null> {
    // One conditional UPDATE: SQLite serialises writers, so exactly one redeemer sees changes = 1.
    const res = this.db
      .prepare(
        'UPDATE merchant_invitations SET redeemed_by = ?, redeemed_at = ? WHERE code_hash = ? AND redeemed_by IS NULL AND expires_at > ?',
      )
      .run(openid, now, codeHash, now);
    if (res.changes !== 1) return null;
    const doc = this.db
      .prepare('SELECT doc FROM merchant_invitations WHERE code_hash = ?')
      .pluck()
      .get(codeHash) as string;
    return JSON.parse(doc) as Invitation;
  }

  async releaseInvitation(codeHash: string, openid: string): Promise<void> {
    this.db
      .prepare(
        'UPDATE merchant_invitations SET redeemed_by = NULL, redeemed_at = NULL WHERE code_hash = ? AND redeemed_by = ?',
      )
      .run(codeHash, openid);
  }

  async listMembers(
    merchantId: string,
    limit: number,
  ): Promise<{ openid: string; membership: Membership }[]> {
    const rows = this.db
      .prepare(
        'SELECT openid, doc FROM merchant_members WHERE merchant_id = ? ORDER BY openid LIMIT ?',
      )
      .all(merchantId, limit) as { openid: string; doc: string }[];
    return rows.map((r) => ({ openid: r.openid, membership: JSON.parse(r.doc) as Membership }));
  }

  async listInvitations(merchantId: string, now: number, limit: number): Promise<Invitation[]> {
    const docs = this.db
      .prepare(
        "SELECT doc FROM merchant_invitations WHERE json_extract(doc, '$.merchantId') = ? AND redeemed_by IS NULL AND expires_at > ? ORDER BY code_hash LIMIT ?",
      )
      .pluck()
      .all(merchantId, now, limit) as string[];
    return docs.map((d) => JSON.parse(d) as Invitation);
  }

  async revokeInvitation(codeHash: string, merchantId: string): Promise<boolean> {
    const res = this.db
      .prepare(
        "DELETE FROM merchant_invitations WHERE code_hash = ? AND json_extract(doc, '$.merchantId') = ? AND redeemed_by IS NULL",
      )
      .run(codeHash, merchantId);
    return res.changes === 1;
  }

  async appendMerchantAudit(entry: MerchantAuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO campaign_audit (campaign_id, doc) VALUES (?, ?)')
      .run(merchantAuditKey(entry.merchantId), JSON.stringify(entry));
  }

  async listMerchantAudit(merchantId: string, limit: number): Promise<MerchantAuditEntry[]> {
    const docs = this.db
      .prepare('SELECT doc FROM campaign_audit WHERE campaign_id = ? ORDER BY seq LIMIT ?')
      .pluck()
      .all(merchantAuditKey(merchantId), limit) as string[];
    return docs.map((d) => JSON.parse(d) as MerchantAuditEntry);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO campaign_audit (campaign_id, doc) VALUES (?, ?)')
      .run(entry.campaignId, JSON.stringify(entry));
  }

  async listAudit(campaignId: string, limit: number): Promise<AuditEntry[]> {
    const docs = this.db
      .prepare('SELECT doc FROM campaign_audit WHERE campaign_id = ? ORDER BY seq LIMIT ?')
      .pluck()
      .all(campaignId, limit) as string[];
    return docs.map((d) => JSON.parse(d) as AuditEntry);
  }

  async appendExperimentAudit(entry: ExperimentAuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO campaign_audit (campaign_id, doc) VALUES (?, ?)')
      .run(experimentAuditKey(entry.experimentId), JSON.stringify(entry));
  }

  async listExperimentAudit(experimentId: string, limit: number): Promise<ExperimentAuditEntry[]> {
    const docs = this.db
      .prepare('SELECT doc FROM campaign_audit WHERE campaign_id = ? ORDER BY seq LIMIT ?')
      .pluck()
      .all(experimentAuditKey(experimentId), limit) as string[];
    return docs.map((d) => JSON.parse(d) as ExperimentAuditEntry);
  }
}
