/**
 * Heavy merchant calls (reports, breakdowns, experiment results) read a campaign's events over
 * up to 31 days: each is a burst of database reads. They are limited per merchant (all its
 * members together; a platform admin per person), per minute, in the short-lived `rate`
 * counters that retention purges after a day.
 */
import { minuteBucket } from '../engine/time';
import { rateLimited } from '../errors';
import type { FunctionContext } from '../runtime/function';
import type { Actor } from './access';

export async function limitHeavyCall(
  ctx: Pick<FunctionContext, 'stores' | 'now' | 'config'>,
  actor: Actor,
): Promise<void> {
  const who = actor.membership
    ? `merchant:${actor.membership.merchantId}`
    : `admin:${actor.openid}`;
  const [n] = await ctx.stores.counters.add([
    { scope: 'rate', id: who, bucket: minuteBucket(ctx.now()), field: 'heavy', by: 1 },
  ]);
  const max = ctx.config.merchantHeavyPerMinute;
  if (n > max) throw rateLimited(`报表查询太频繁了（每个商家每分钟最多 ${max} 次），请稍后再试`);
}
