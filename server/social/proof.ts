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
  type SocialCandidate,
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
  return engagementsOfTies(stores, openid, now, config);
}

/**
 * The same for a viewer the caller has already found personalised and storable (`recommend`
 * knows both from its request): the ties' side of the rules only, each tie with its community.
 */
export async function engagementsOfTies(
  stores: Stores,
  openid: string,
  now: number,
  config: IdentifierKeyConfig,
): Promise<TieEngagement[]> {
  const ties = await stores.social.links(openid, 'tie', PROOF_TIES);
  if (!ties.length) return [];
  const hidden = new Set(await stores.social.hidden(ties.map((t) => t.other)));
  const visible = ties.filter((t) => !hidden.has(t.other));
  const gates = await Promise.all(visible.map((t) => trackGate(stores, t.other, now, config)));
  const shown = visible.filter((_, i) => gates[i].store);
  return Promise.all(
    shown.map(async (t) => {
      const [likes, record] = await Promise.all([
        stores.likes.list(t.other, null, LIKES_PER_TIE),
        stores.social.record(t.other),
      ]);
      return {
        weight: t.weight,
        items: likes.map((l) => l.itemId),
        community: record?.features.community ?? null,
      };
    }),
  );
}

/** Per item, how many ties engaged with it (≥ 3 only), from engagements already read. */
export const proofOf = (ties: readonly TieEngagement[], itemIds: readonly string[]) =>
  socialProof(ties, itemIds, MIN_PROOF_TIES);

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
): Promise<SocialCandidate[]> {
  return socialCandidates(await tieEngagements(stores, openid, now, config), exclude, limit);
}
