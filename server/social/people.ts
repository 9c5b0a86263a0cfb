/**
 * The social use cases of the `content` function: follow and unfollow, the 关注 / 粉丝 lists,
 * people and groups to suggest (可能认识的人 / 推荐圈子), and the switch that hides the caller from
 * others' social proof. Other users appear only by a handle (a digest of their openid, never the
 * openid) and a display name made from it; a follow names a handle the caller was shown (a
 * suggestion, a follower, a tie), so an id from elsewhere, or made up, is NOT_FOUND.
 */
import { createHash } from 'node:crypto';
import type { SocialPerson, SocialGroup } from '../../typings';
import { minuteBucket } from '../engine/time';
import { AppError, badRequest, forbidden, notFound, rateLimited } from '../errors';
import type { Stores } from '../ports';
import { trackGate } from '../privacy/gate';
import type { IdentifierKeyConfig } from '../privacy/subject';
import type { FunctionContext } from '../runtime/function';

/** Follow and unfollow taps a user may make in a minute (a flood is refused, nothing written). */
export const FOLLOWS_PER_MINUTE = 20;
/** How many suggestions, ties and followers a handle is looked up among. */
const LOOKUP = 200;

/** A stable handle for another user: not reversible to the openid, the same for every viewer. */
export function handleOf(openid: string): string {
  return createHash('sha256')
    .update(`social-handle\u0000${openid}`)
    .digest('base64url')
    .slice(0, 16);
}

/** What a person is called on the pages: no name is stored, so one is made from the handle. */
export const displayName = (handle: string): string => `微信用户 ${handle.slice(0, 4)}`;

const person = (openid: string, extra: Partial<SocialPerson> = {}): SocialPerson => {
  const handle = handleOf(openid);
  return { handle, name: displayName(handle), ...extra };
};

export async function requireConsent(
  stores: Stores,
  openid: string,
  now: number,
  config: IdentifierKeyConfig,
): Promise<void> {
  const gate = await trackGate(stores, openid, now, config);
  if (!gate.store && gate.reason === 'erased')
    throw new AppError('CONFLICT', '正在删除你的数据，完成后再操作');
  if (!gate.store) throw forbidden('关注前需要先同意隐私说明（在「我的」页可查看）');
}

/** The openid behind a handle among the people the caller may see, or null. */
async function resolve(stores: Stores, me: string, handle: string): Promise<string | null> {
  const [people, ties, followers, following] = await Promise.all([
    stores.social.links(me, 'person', LOOKUP),
    stores.social.links(me, 'tie', LOOKUP),
    stores.social.followers(me, null, LOOKUP),
    stores.social.following(me, null, LOOKUP),
  ]);
  const seen = [
    ...people.map((l) => l.other),
    ...ties.map((l) => l.other),
    ...followers.map((f) => f.follower),
    ...following.map((f) => f.followee),
  ];
  return seen.find((o) => handleOf(o) === handle) ?? null;
}

export async function countTap(stores: Stores, openid: string, now: number): Promise<void> {
  const [perMinute] = await stores.counters.add([
    { scope: 'rate', id: openid, bucket: minuteBucket(now), field: 'follows', by: 1 },
  ]);
  if (perMinute > FOLLOWS_PER_MINUTE)
    throw rateLimited(
      `操作太频繁了（每分钟最多 ${FOLLOWS_PER_MINUTE} 次关注或取消关注），请稍后再试`,
    );
}

export async function follow(ctx: FunctionContext, handle: string): Promise<SocialPerson> {
  const { stores, openid } = ctx;
  const now = ctx.now();
  if (handle === handleOf(openid)) throw badRequest('不能关注自己');
  await requireConsent(stores, openid, now, ctx.config);
  const target = await resolve(stores, openid, handle);
  if (!target) throw notFound('找不到这位用户，可能已注销或不在你的推荐里，请刷新后再试');
  // Counted only once the target is known: a refused request writes nothing, not even a count.
  await countTap(stores, openid, now);
  await stores.social.follow({ follower: openid, followee: target, at: now });
  return person(target, { following: true });
}

export async function unfollow(ctx: FunctionContext, handle: string): Promise<void> {
  const { stores, openid } = ctx;
  const target = await resolve(stores, openid, handle);
  if (!target) throw notFound('你没有关注这位用户');
  await countTap(stores, openid, ctx.now());
  if (!(await stores.social.unfollow(openid, target))) throw notFound('你没有关注这位用户');
}

/**
 * The people the user follows, the first `limit` by id: a followed author is stored as
 * "author:<id>" among them (authors.ts), so pages are read past those until `limit` people.
 */
async function followedPeople(stores: Stores, openid: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await stores.social.following(openid, after, limit);
    out.push(...page.map((f) => f.followee).filter((o) => !o.includes(':')));
    if (out.length >= limit || page.length < limit) return out.slice(0, limit);
    after = page[page.length - 1].followee;
  }
}

/** 关注 or 粉丝, the first `limit` (by stored id; no paging yet). */
export async function listFollows(
  ctx: FunctionContext,
  which: 'following' | 'followers',
  limit: number,
): Promise<SocialPerson[]> {
  const { stores, openid } = ctx;
  const rows =
    which === 'following'
      ? await followedPeople(stores, openid, limit)
      : (await stores.social.followers(openid, null, limit)).map((f) => f.follower);
  const back = new Set(
    which === 'followers'
      ? (await stores.social.following(openid, null, LOOKUP)).map((f) => f.followee)
      : [],
  );
  return rows.map((o) => person(o, { following: which === 'following' || back.has(o) }));
}

/** 可能认识的人 and 推荐圈子 from the caller's record of the last social round. */
export async function suggestions(
  ctx: FunctionContext,
): Promise<{ people: SocialPerson[]; groups: SocialGroup[]; hidden: boolean }> {
  const { stores, openid } = ctx;
  const [people, groups, following, hidden] = await Promise.all([
    stores.social.links(openid, 'person', 10),
    stores.social.links(openid, 'group', 5),
    stores.social.following(openid, null, LOOKUP),
    stores.social.hidden([openid]),
  ]);
  const followed = new Set(following.map((f) => f.followee));
  return {
    people: people.filter((p) => !followed.has(p.other)).map((p) => person(p.other)),
    groups: groups.map((g) => ({
      id: g.other,
      name: g.other.startsWith('group:') ? '你的好友所在的群' : '兴趣相近的圈子',
      score: Math.round(g.weight * 1000) / 1000,
    })),
    hidden: hidden.length > 0,
  };
}

export async function setHidden(ctx: FunctionContext, hidden: boolean): Promise<boolean> {
  await ctx.stores.social.setHidden(ctx.openid, hidden);
  return hidden;
}
