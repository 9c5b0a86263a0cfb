/**
 * Taking access back: a merchant's owners (and platform admins) list its members and open
 * invitations, remove a member and revoke an invitation, each written to the merchant's audit
 * log. Members are shown by role and a display name derived from a keyed HMAC (never an
 * openid), and removal applies at the member's next call (roles are read on every call).
 */
import { createHmac } from 'node:crypto';
import type {
  AuditActorView,
  InvitationView,
  MemberView,
  MerchantAuditEntry,
  MerchantRole,
} from '../../typings';
import { identifierKeyBytes } from '../config';
import { ERASED_USER } from '../ports/personal-data';
import { AppError, forbidden, notFound } from '../errors';
import type { FunctionContext } from '../runtime/function';
import type { Actor } from './access';

/** Members and invitations a merchant may have listed at once. */
export const MAX_LISTED = 200;
const ROLE_ZH: Record<MerchantRole, string> = { owner: '所有者', staff: '员工' };

type Ctx = Pick<FunctionContext, 'stores' | 'now' | 'config'>;

/** A member's id within one merchant: keyed, so nobody can tell it from an openid or join it across merchants. */
export function memberIdOf(ctx: Pick<Ctx, 'config'>, merchantId: string, openid: string): string {
  return createHmac('sha256', identifierKeyBytes(ctx.config))
    .update(`merchant-member\u0000${merchantId}\u0000${openid}`)
    .digest('hex')
    .slice(0, 20);
}

export const displayName = (role: MerchantRole, memberId: string): string =>
  `${ROLE_ZH[role]} ${memberId.slice(0, 6).toUpperCase()}`;

/** An invitation's public id: the start of its code hash (the code itself stays secret). */
export const inviteIdOf = (codeHash: string): string => codeHash.slice(0, 24);

/** Only the merchant's owners and platform admins manage who acts for it. */
function requireManager(actor: Actor, merchantId: string): void {
  if (actor.admin) return;
  const m = actor.membership;
  if (m?.role === 'owner' && m.merchantId === merchantId) return;
  throw forbidden('只有本商家的所有者或平台管理员可以管理成员和邀请码');
}

export async function listMembers(
  ctx: Ctx,
  actor: Actor,
  merchantId: string,
): Promise<MemberView[]> {
  requireManager(actor, merchantId);
  const members = await ctx.stores.merchants.listMembers(merchantId, MAX_LISTED);
  return members.map(({ openid, membership }) => {
    const memberId = memberIdOf(ctx, merchantId, openid);
    return {
      memberId,
      role: membership.role,
      displayName: displayName(membership.role, memberId),
      joinedAt: membership.joinedAt,
      you: openid === actor.openid,
    };
  });
}

export async function removeMember(
  ctx: Ctx,
  actor: Actor,
  merchantId: string,
  memberId: string,
): Promise<void> {
  requireManager(actor, merchantId);
  const members = await ctx.stores.merchants.listMembers(merchantId, MAX_LISTED);
  const found = members.find((m) => memberIdOf(ctx, merchantId, m.openid) === memberId);
  if (!found) throw notFound('找不到这个成员（可能已被移除）');
  if (found.openid === actor.openid) throw new AppError('CONFLICT', '不能移除自己');
  if (found.membership.role === 'owner' && !actor.admin)
    throw forbidden('只有平台管理员可以移除商家所有者');
  await ctx.stores.merchants.removeMember(found.openid);
  await audit(
    ctx,
    actor,
    merchantId,
    'member.remove',
    displayName(found.membership.role, memberId),
  );
}

export async function listInvitations(
  ctx: Ctx,
  actor: Actor,
  merchantId: string,
): Promise<InvitationView[]> {
  requireManager(actor, merchantId);
  const open = await ctx.stores.merchants.listInvitations(merchantId, ctx.now(), MAX_LISTED);
  return open.map((i) => ({
    inviteId: inviteIdOf(i.codeHash),
    role: i.role,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
  }));
}

export async function revokeInvitation(
  ctx: Ctx,
  actor: Actor,
  merchantId: string,
  inviteId: string,
): Promise<void> {
  requireManager(actor, merchantId);
  const open = await ctx.stores.merchants.listInvitations(merchantId, ctx.now(), MAX_LISTED);
  const found = open.find((i) => inviteIdOf(i.codeHash) === inviteId);
  if (!found || !(await ctx.stores.merchants.revokeInvitation(found.codeHash, merchantId)))
    throw notFound('找不到这个邀请码（可能已被使用、撤销或已过期）');
  await audit(ctx, actor, merchantId, 'invite.revoke', `${inviteId}（${ROLE_ZH[found.role]}）`);
}

export async function merchantAudit(
  ctx: Ctx,
  actor: Actor,
  merchantId: string,
): Promise<(Omit<MerchantAuditEntry, 'actor'> & { actorName: string })[]> {
  requireManager(actor, merchantId);
  const entries = await ctx.stores.merchants.listMerchantAudit(merchantId, MAX_LISTED);
  const name = await auditNamer(ctx, merchantId);
  return entries.map(({ actor: who, ...rest }) => ({ ...rest, actorName: name(who).actorName }));
}

/**
 * How audit logs name people (campaign, experiment and member logs): a platform admin as such,
 * a current member of `merchantId` by role and keyed display name, anyone else as a former
 * member or an erased user. Never an openid: colleagues must not learn each other's.
 */
export async function auditNamer(
  ctx: Ctx,
  merchantId: string | null,
): Promise<(openid: string) => AuditActorView> {
  const admins = new Set(ctx.config.platformAdmins);
  const roles = new Map(
    merchantId === null
      ? []
      : (await ctx.stores.merchants.listMembers(merchantId, MAX_LISTED)).map((m) => [
          m.openid,
          m.membership.role,
        ]),
  );
  return (who) => {
    if (who === ERASED_USER) return { actorName: '已注销的用户', actorRole: 'erased' };
    if (admins.has(who)) return { actorName: '平台管理员', actorRole: 'admin' };
    const role = roles.get(who);
    if (role && merchantId !== null)
      return { actorName: displayName(role, memberIdOf(ctx, merchantId, who)), actorRole: role };
    return { actorName: '已离开的成员', actorRole: 'former' };
  };
}

async function audit(
  ctx: Ctx,
  actor: Actor,
  merchantId: string,
  action: MerchantAuditEntry['action'],
  subject: string,
): Promise<void> {
  await ctx.stores.merchants.appendMerchantAudit({
    merchantId,
    actor: actor.openid,
    at: ctx.now(),
    action,
    subject,
  });
}
