/**
 * Who the caller is to the merchant side, from the WeChat identity only: a platform admin
 * (configured openids), a merchant's owner or staff (the merchants directory), or neither.
 * Every merchant action starts here; the messages are shown in the Mini Program.
 */
import type { Membership, MerchantRole } from '../../typings';
import { forbidden } from '../errors';
import type { FunctionContext } from '../runtime/function';

export interface Actor {
  openid: string;
  admin: boolean;
  membership: Membership | null;
}

export async function resolveActor(
  ctx: Pick<FunctionContext, 'openid' | 'stores' | 'config'>,
): Promise<Actor> {
  return {
    openid: ctx.openid,
    admin: ctx.config.platformAdmins.includes(ctx.openid),
    membership: await ctx.stores.merchants.membership(ctx.openid),
  };
}

export function requireAdmin(actor: Actor): void {
  if (!actor.admin) throw forbidden('只有平台管理员可以进行此操作');
}

/** The caller's membership, if it has one of `roles`; otherwise FORBIDDEN. */
export function requireMember(
  actor: Actor,
  roles: readonly MerchantRole[] = ['owner', 'staff'],
): Membership {
  const m = actor.membership;
  if (!m) throw forbidden('你还不是商家成员，请先使用邀请码加入商家');
  if (!roles.includes(m.role)) throw forbidden('只有商家所有者可以进行此操作');
  return m;
}
