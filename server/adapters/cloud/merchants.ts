/**
 * MerchantDirectory over the cloud database: a member document per openid and an invitation
 * per code hash (both keyed by hashes, so concurrent inserts collide on _id), and audit entries
 * as JSON text (their field names and values come from merchants) with the actor in a field of
 * its own, so that erasure can find and replace it.
 */
import { randomUUID } from 'node:crypto';
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
import { docId, isDuplicateKey, MAX_GET, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const MEMBERS = COLLECTIONS.merchantMembers.name;
export const INVITATIONS = COLLECTIONS.merchantInvitations.name;
export const AUDIT = COLLECTIONS.campaignAudit.name;

interface MemberDoc extends Membership {
  _id: string;
  openid: string;
}

interface InvitationDoc extends Invitation {
  _id: string;
  redeemedBy: string | null;
  redeemedAt: number | null;
}

/** Orders audit entries written in the same millisecond by this instance. */
let tick = 0;

export class CloudMerchantDirectory implements MerchantDirectory {
  constructor(private readonly db: Database) {}

  async membership(openid: string): Promise<Membership | null> {
    const res = await settle(
      this.db
        .collection(MEMBERS)
        .where({ _id: docId(scalar(openid, 'openid')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as MemberDoc[])[0];
    return d ? { merchantId: d.merchantId, role: d.role, joinedAt: d.joinedAt } : null;
  }

  async addMember(openid: string, member: Membership): Promise<boolean> {
    try {
      const data: MemberDoc = { _id: docId(scalar(openid, 'openid')), openid, ...member };
      await settle(this.db.collection(MEMBERS).add({ data }));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async removeMember(openid: string): Promise<void> {
    await settle(
      this.db
        .collection(MEMBERS)
        .where({ _id: docId(scalar(openid, 'openid')) })
        .remove(),
    );
  }

  async createInvitation(inv: Invitation): Promise<void> {
    const data: InvitationDoc = {
      _id: docId(scalar(inv.codeHash, 'code')),
      ...inv,
      redeemedBy: null,
      redeemedAt: null,
    };
    await settle(this.db.collection(INVITATIONS).add({ data }));
  }

  async redeemInvitation(
    codeHash: string,
    openid: string,
    now: number,
  ): Promise<Invitation | null> {
    const _ = this.db.command;
    const _id = docId(scalar(codeHash, 'code'));
    // A conditional update is atomic per document: of concurrent redeemers only one matches.
    const res = await settle(
      this.db
        .collection(INVITATIONS)
        .where({ _id, redeemedBy: null, expiresAt: _.gt(scalar(now, 'now')) })
        .update({ data: { redeemedBy: scalar(openid, 'openid'), redeemedAt: now } }),
    );
    if (res.stats.updated !== 1) return null;
    const got = await settle(this.db.collection(INVITATIONS).where({ _id }).limit(1).get());
    const d = (got.data as InvitationDoc[])[0];
    return {
      codeHash: d.codeHash,
      merchantId: d.merchantId,
      role: d.role,
      createdBy: d.createdBy,
      createdAt: d.createdAt,
      expiresAt: d.expiresAt,
    };
  }

  async releaseInvitation(codeHash: string, openid: string): Promise<void> {
    await settle(
      this.db
        .collection(INVITATIONS)
        .where({ _id: docId(scalar(codeHash, 'code')), redeemedBy: scalar(openid, 'openid') })
        .update({ data: { redeemedBy: null, redeemedAt: null } }),
    );
  }

  async listMembers(
    merchantId: string,
    limit: number,
  ): Promise<{ openid: string; membership: Membership }[]> {
    const res = await settle(
      this.db
        .collection(MEMBERS)
        .where({ merchantId: scalar(merchantId, 'merchant id') })
        .orderBy('_id', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as MemberDoc[]).map((d) => ({
      openid: d.openid,
      membership: { merchantId: d.merchantId, role: d.role, joinedAt: d.joinedAt },
    }));
  }

  async listInvitations(merchantId: string, now: number, limit: number): Promise<Invitation[]> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(INVITATIONS)
        .where({
          merchantId: scalar(merchantId, 'merchant id'),
          redeemedBy: null,
          expiresAt: _.gt(scalar(now, 'now')),
        })
        .orderBy('_id', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as InvitationDoc[]).map((d) => ({
      codeHash: d.codeHash,
      merchantId: d.merchantId,
      role: d.role,
      createdBy: d.createdBy,
      createdAt: d.createdAt,
      expiresAt: d.expiresAt,
    }));
  }

  async revokeInvitation(codeHash: string, merchantId: string): Promise<boolean> {
    const res = await settle(
      this.db
        .collection(INVITATIONS)
        .where({
          _id: docId(scalar(codeHash, 'code')),
          merchantId: scalar(merchantId, 'merchant id'),
          redeemedBy: null,
        })
        .remove(),
    );
    return res.stats.removed === 1;
  }

  async appendMerchantAudit(entry: MerchantAuditEntry): Promise<void> {
    const { actor, ...rest } = entry;
    await this.append(merchantAuditKey(entry.merchantId), actor, entry.at, rest);
  }

  async listMerchantAudit(merchantId: string, limit: number): Promise<MerchantAuditEntry[]> {
    return this.list<MerchantAuditEntry>(merchantAuditKey(merchantId), limit);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const { actor, ...rest } = entry;
    await this.append(entry.campaignId, actor, entry.at, rest);
  }

  async listAudit(campaignId: string, limit: number): Promise<AuditEntry[]> {
    return this.list<AuditEntry>(campaignId, limit);
  }

  async appendExperimentAudit(entry: ExperimentAuditEntry): Promise<void> {
    const { actor, ...rest } = entry;
    await this.append(experimentAuditKey(entry.experimentId), actor, entry.at, rest);
  }

  async listExperimentAudit(experimentId: string, limit: number): Promise<ExperimentAuditEntry[]> {
    return this.list<ExperimentAuditEntry>(experimentAuditKey(experimentId), limit);
  }

  /** One audit document; `key` is the campaign id or an experiment's audit key (the field keeps its old name). */
  private async append(key: string, actor: string, at: number, rest: object): Promise<void> {
    tick = (tick + 1) % 1000;
    const data = {
      _id: docId(key, randomUUID()),
      campaignId: scalar(key, 'audit key'),
      actor: scalar(actor, 'actor'),
      ord: at * 1000 + tick,
      doc: JSON.stringify(rest),
    };
    await settle(this.db.collection(AUDIT).add({ data }));
  }

  private async list<T extends { actor: string }>(key: string, limit: number): Promise<T[]> {
    const res = await settle(
      this.db
        .collection(AUDIT)
        .where({ campaignId: scalar(key, 'audit key') })
        .orderBy('ord', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as { actor: string; doc: string }[]).map(
      (d) => ({ ...(JSON.parse(d.doc) as Omit<T, 'actor'>), actor: d.actor }) as T,
    );
  }
}
