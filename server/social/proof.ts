/**
 * What a user's close ties engaged with, read under the privacy rules: social proof counts for
 * cards ("3 位好友赞过") and the feed's social candidate source. A tie counts only while they may be
 * stored at all (a recorded consent, no erasure: the same gate as `track`) and have not hidden
 * themselves; the viewer gets nothing unless they are personalised and consented too.
 *
 * The hot path: a personalised `recommend` reads its ~20 strongest ties' likes and records (40
 * reads). What a tie liked and their community are kept per warm instance for TIE_TTL_MS, in a
 * cache bounded to TIE_CACHE_MAX ties (least recently used dropped first), so a page costs the
 * ties list, one batch of hidden switches and the ties' gates (themselves cached for a few
 * seconds, server/privacy/gate.ts). Privacy is never read from the cache: the hide switch and the
 * gate (consent, erasure) are checked on every request, so a tie who hides, withdraws or is erased
 * drops out at once; only a new like waits up to TIE_TTL_MS to count.
 */
import {
  MIN_PROOF_TIES,
  socialCandidates,
  socialProof,
  type SocialCandidate,
  type TieEngagement,
} from '../engine/social/proof';
import LRUCache from 'lru-cache';
import type { Stores } from '../ports';
import { perStores } from '../runtime/per-stores';
import { trackGate } from '../privacy/gate';
import type { IdentifierKeyConfig } from '../privacy/subject';

/** Close ties read per request (the strongest). */
export const PROOF_TIES = 20;
/** Latest likes read per tie. */
const LIKES_PER_TIE = 50;
/** How long a tie's likes and community are reused by a warm instance. */
export const TIE_TTL_MS = 30_000;
/** Ties kept per warm instance (each at most LIKES_PER_TIE ids: a few MB at most). */
export const TIE_CACHE_MAX = 2_000;

interface TieData {
  items: string[];
  community: number | null;
  until: number;
}

/** The per-instance cache of ties' likes and communities (exported for its bound's test). */
export const tieCacheOf = perStores(() => new LRUCache<string, TieData>({ max: TIE_CACHE_MAX }));

/** A tie's likes and community: from the cache while fresh, else read (and kept). */
async function tieData(stores: Stores, tie: string, now: number): Promise<TieData> {
  const cache = tieCacheOf(stores);
  const hit = cache.get(tie);
  if (hit && hit.until > now) return hit;
  const [likes, record] = await Promise.all([
    stores.likes.list(tie, null, LIKES_PER_TIE),
    stores.social.record(tie),
  ]);
  const data = {
    items: likes.map((l) => l.itemId),
    community: record?.features.community ?? null,
    until: now + TIE_TTL_MS,
  };
  cache.set(tie, data);
  return data;
}

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
 * `kind` 'travel' reads the travel-interest ties instead (旅游出行: friends with whom travel items
 * were shared and opened), under the same rules.
 */
export async function engagementsOfTies(
  stores: Stores,
  openid: string,
  now: number,
  config: IdentifierKeyConfig,
  kind: 'tie' | 'travel' = 'tie',
): Promise<TieEngagement[]> {
  const ties = await stores.social.links(openid, kind, PROOF_TIES);
  if (!ties.length) return [];
  const hidden = new Set(await stores.social.hidden(ties.map((t) => t.other)));
  const visible = ties.filter((t) => !hidden.has(t.other));
  const gates = await Promise.all(visible.map((t) => trackGate(stores, t.other, now, config)));
  const shown = visible.filter((_, i) => gates[i].store);
  return Promise.all(
    shown.map(async (t) => {
      const { items, community } = await tieData(stores, t.other, now);
      return { weight: t.weight, items, community };
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
