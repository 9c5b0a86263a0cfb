/** Merchants port: who belongs to which merchant, one-time invitation codes, and the campaign and experiment audit logs. */
import type {
  AuditEntry,
  ExperimentAuditEntry,
  Membership,
  MerchantAuditEntry,
} from '../../typings';

export interface Invitation {
  /** Hash of the code (the code itself is a secret shown once to its creator and never stored). */
  codeHash: string;
  merchantId: string;
  role: Membership['role'];
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}

export interface MerchantDirectory {
  membership(openid: string): Promise<Membership | null>;
  /** Adds a member; false (nothing changed) when the openid already belongs to a merchant. */
  addMember(openid: string, member: Membership): Promise<boolean>;
  /** Removes a member (e.g. undoing a join that lost a race); harmless when absent. */
  removeMember(openid: string): Promise<void>;
  createInvitation(invitation: Invitation): Promise<void>;
  /**
   * Marks an invitation used by `openid`, atomically: of concurrent redeemers exactly one gets
   * it. Null when the code is unknown, already used or expired at `now` (nothing changed).
   */
  redeemInvitation(codeHash: string, openid: string, now: number): Promise<Invitation | null>;
  /** Gives a redeemed invitation back (the join it was for did not happen). */
  releaseInvitation(codeHash: string, openid: string): Promise<void>;
  /** A merchant's members, at most `limit`. */
  listMembers(
    merchantId: string,
    limit: number,
  ): Promise<{ openid: string; membership: Membership }[]>;
  /** A merchant's invitations not redeemed and not expired at `now`, at most `limit`. */
  listInvitations(merchantId: string, now: number, limit: number): Promise<Invitation[]>;
  /** Deletes an unredeemed invitation of the merchant; false when there is none (redeemed, unknown, another's). */
  revokeInvitation(codeHash: string, merchantId: string): Promise<boolean>;
  /** Removals and revocations go to the same append-only log as campaign changes (same erasure rule). */
  appendMerchantAudit(entry: MerchantAuditEntry): Promise<void>;
  listMerchantAudit(merchantId: string, limit: number): Promise<MerchantAuditEntry[]>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** A campaign's audit entries, oldest first, at most `limit`. */
  listAudit(campaignId: string, limit: number): Promise<AuditEntry[]>;
  /** Experiment changes go to the same append-only log (and so under the same erasure rule: the actor replaced, the entry kept). */
  appendExperimentAudit(entry: ExperimentAuditEntry): Promise<void>;
  /** An experiment's audit entries, oldest first, at most `limit`. */
  listExperimentAudit(experimentId: string, limit: number): Promise<ExperimentAuditEntry[]>;
}

/**
 * The key an experiment's entries are stored under in the audit log it shares with campaigns:
 * a colon never occurs in an id, so it cannot name a campaign.
 */
export const experimentAuditKey = (experimentId: string): string => `experiment:${experimentId}`;
/** The key a merchant's membership changes are stored under in the same log. */
export const merchantAuditKey = (merchantId: string): string => `merchant:${merchantId}`;
