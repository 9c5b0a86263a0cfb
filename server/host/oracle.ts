/**
 * The oracle policy of the simulation: it knows each simulated user's true click probabilities
 * and ranks the channel's items by them, under the feed's own rules — none of the user's last
 * `maxSeen` impressions (the profile's seen list, server/engine/profiles/profile.ts) is shown
 * again while another item is left, a session never repeats an item, and the ad slots stay where
 * the feed puts them. Its CTR is the ceiling `--compare` measures the
 * learned ranking against (oracle share = learned CTR ÷ oracle CTR).
 */
import type { ContentCard, ContentItem, RecommendResponse } from '../../typings';
import { DEFAULT_PROFILE_PARAMS } from '../engine/profiles/profile';
import type { SimUser } from './simulate';

/** What a simulated user is served instead of calling `recommend` (the cursor as the page gave it). */
export type SimFeed = (
  user: SimUser,
  channel: string,
  cursor: string | undefined,
  limit: number,
) => RecommendResponse;

export function oracleFeed(
  items: readonly ContentItem[],
  adSlots: readonly number[],
  interest: (user: SimUser, category: string, tags: readonly string[]) => number,
): SimFeed {
  const { maxSeen } = DEFAULT_PROFILE_PARAMS;
  /** Per user, the items of their impressions, most recent first, as many as the profile keeps. */
  const seen = new Map<string, string[]>();
  const sessions = new Map<string, Set<string>>();
  const slots = new Set(adSlots);
  let sessionCount = 0;
  return (user, channel, cursor, limit) => {
    const [key, at] = cursor ? cursor.split(':') : [`o${++sessionCount}`, '0'];
    const served = sessions.get(key) ?? sessions.set(key, new Set()).get(key)!;
    const mine = new Set(seen.get(user.openid) ?? []);
    const pool = items.filter(
      (it) => (channel === 'foryou' || it.category === channel) && !served.has(it.id),
    );
    const score = new Map(pool.map((it) => [it.id, interest(user, it.category, it.tags)]));
    // Unseen first (as the feed excludes recent impressions while it has anything else), then by true interest.
    pool.sort(
      (a, b) =>
        Number(mine.has(a.id)) - Number(mine.has(b.id)) ||
        score.get(b.id)! - score.get(a.id)! ||
        a.id.localeCompare(b.id),
    );
    let position = Number(at);
    const cards: ContentCard[] = [];
    for (const it of pool.slice(0, limit)) {
      while (slots.has(position)) position++; // an ad's place: the oracle ranks content only
      cards.push({ kind: 'content', position: position++, item: it });
      served.add(it.id);
    }
    const shown = cards.map((c) => c.item.id).reverse();
    seen.set(
      user.openid,
      [...shown, ...(seen.get(user.openid) ?? []).filter((id) => !shown.includes(id))].slice(
        0,
        maxSeen,
      ),
    );
    return {
      slateId: `${key}-${at}`,
      cards,
      cursor: cards.length === limit ? `${key}:${position}` : null,
    };
  };
}
