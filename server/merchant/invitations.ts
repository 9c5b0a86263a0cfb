/**
 * Merchants and how people join them: a platform admin creates a merchant and one-time
 * invitation codes (an owner may invite staff to its own merchant); a user without a merchant
 * redeems a code to join. Codes are random secrets shown once; only their hash is stored, and
 * a code is spent atomically, so a replayed or shared code joins nobody twice.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Membership, Merchant, MerchantRole } from '../../typings';
import { AppError, forbidden, notFound } from '../errors';
import type { FunctionContext } from '../runtime/function';
import { requireAdmin, type Actor } from './access';

export const INVITE_TTL_MS = 7 * 24 * 3_600_000;
/** Unambiguous characters (no 0/O, 1/I/L): codes are read aloud and typed. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;

export const hashCode = (code: string): string =>
  createHash('sha256').update(`merchant-invite:${code}`).digest('hex');

function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  // 256 is not a multiple of 31: the slight bias leaves ~59 bits, far beyond guessing.
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

type Ctx = Pick<FunctionContext, 'stores' | 'now'>;

export async function createMerchant(ctx: Ctx, actor: Actor, name: string): Promise<Merchant> {
  requireAdmin(actor);
  const merchant: Merchant = {
    id: `m_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
    name,
    createdAt: ctx.now(),
  };
  await ctx.stores.ads.upsertMerchants([merchant]);
  return merchant;
}

/** Merchants an admin may pick from (invitations, the admin's pages), newest first. */
export const MERCHANT_LIST_LIMIT = 200;

export async function listMerchants(ctx: Ctx, actor: Actor): Promise<Merchant[]> {
  requireAdmin(actor);
  return ctx.stores.ads.listMerchants(MERCHANT_LIST_LIMIT);
}

export async function createInvitation(
  ctx: Ctx,
  actor: Actor,
  merchantId: string,
  role: MerchantRole,
): Promise<{ code: string; expiresAt: number }> {
  const ownOwner = actor.membership?.role === 'owner' && actor.membership.merchantId === merchantId;
  if (!actor.admin) {
    if (!ownOwner) throw forbidden('只有平台管理员或本商家的所有者可以创建邀请码');
    if (role !== 'staff') throw forbidden('商家所有者只能邀请员工');
  }
  if (!(await ctx.stores.ads.getMerchant(merchantId))) throw notFound('找不到这个商家');
  const code = newCode();
  const now = ctx.now();
  const expiresAt = now + INVITE_TTL_MS;
  await ctx.stores.merchants.createInvitation({
    codeHash: hashCode(code),
    merchantId,
    role,
    createdBy: actor.openid,
    createdAt: now,
    expiresAt,
  });
  return { code, expiresAt };
}

export async function redeemInvitation(
  ctx: Ctx,
  actor: Actor,
  code: string,
): Promise<{ membership: Membership; merchant: Merchant }> {
  if (actor.membership) throw new AppError('CONFLICT', '你已经是商家成员，不能再加入其他商家');
  const now = ctx.now();
  const { merchants, ads } = ctx.stores;
  const invitation = await merchants.redeemInvitation(hashCode(code), actor.openid, now);
  if (!invitation) throw notFound('邀请码无效、已使用或已过期');
  const merchant = await ads.getMerchant(invitation.merchantId);
  const membership: Membership = {
    merchantId: invitation.merchantId,
    role: invitation.role,
    joinedAt: now,
  };
  // A concurrent redemption of another code by the same user may have joined first: give this code back.
  if (!merchant || !(await merchants.addMember(actor.openid, membership))) {
    await merchants.releaseInvitation(invitation.codeHash, actor.openid);
    if (!merchant) throw notFound('找不到这个商家');
    throw new AppError('CONFLICT', '你已经是商家成员，不能再加入其他商家');
  }
  return { membership, merchant };
}
