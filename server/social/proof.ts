/**
 * What a user's close ties engaged with, read under the privacy rules: social proof counts for
 * cards ("3 位好友赞过") and the feed's social candidate source. A tie counts only while they may be
 * stored at all (a recorded consent, no erasure: the same gate as `track`) and have not hidden
 * themselves; the viewer gets nothing unless they are personalised and consented too.
 */
import {
  MIN_PROOF_TIES,
  socialCandidates,
  socialProof,
  type TieEngagement,
} from '../engine/social/proof';
import type { Stores } from '../ports';
import { trackGate } from '../privacy/gate';
import type { IdentifierKeyConfig } from '../privacy/subject';

/** Close ties read per request (the strongest). */
export const PROOF_TIES = 20;
/** Latest likes read per tie. */
const LIKES_PER_TIE = 50;

export async function tieEngagements(
  stores: Stores,
  openid: string,
  now: number,
  config: IdentifierKeyConfig,
): Promise<TieEngagement[]> {
  const [me, settings] = await Promise.all([
    trackGate(stores, openid, now, config),
    stores.privacy.getSettings(openid),
  ]);
  if (!me.store || settings?.personalised === false) return [];
  const ties = await stores.social.links(openid, 'tie', PROOF_TIES);
  if (!ties.length) return [];
  const hidden = new Set(await stores.social.hidden(ties.map((t) => t.other)));
  const shown = [];
  for (const t of ties) {
    if (hidden.has(t.other)) continue;
    if ((await trackGate(stores, t.other, now, config)).store) shown.push(t);
  }
  return Promise.all(
    shown.map(async (t) => ({
      weight: t.weight,
      items: (await stores.likes.list(t.other, null, LIKES_PER_TIE)).map((l) => l.itemId),
    })),
  );
}

/** Per item, how many of the viewer's ties liked it — only counts, only where ≥ 3. */
export async function proofFor(
  stores: Stores,
  openid: string,
  itemIds: readonly string[],
  now: number,
  config: IdentifierKeyConfig,
): Promise<Map<string, number>> {
  if (!itemIds.length) return new Map();
  return socialProof(await tieEngagements(stores, openid, now, config), itemIds, MIN_PROOF_TIES);
}

/** The social candidate source: items the viewer's ties liked, strongest ties first. */
export async function socialSource(
  stores: Stores,
  openid: string,
  exclude: ReadonlySet<string>,
  limit: number,
  now: number,
  config: IdentifierKeyConfig,
): Promise<{ itemId: string; score: number }[]> {
  return socialCandidates(await tieEngagements(stores, openid, now, config), exclude, limit);
}
