/**
 * Whether `track` may store a user's events (and `recommend` log their slates): only with a recorded, granted consent, and never
 * for a user being erased (nor, after an erasure, events the device made before it). The
 * answer "may store" is cached per warm instance for a few seconds, so ingestion pays one read
 * per user per TTL; "may not" is never cached, so a fresh consent counts at once. Erasure
 * waits out the TTL before it finishes (server/privacy/erasure.ts), so a cached "yes" in
 * another instance cannot leave data behind.
 */
import type { AccountSettings, ErasureJob, Stores } from '../ports';
import { perStores } from '../runtime/per-stores';
import { subjectOf, type IdentifierKeyConfig } from './subject';

export const GATE_TTL_MS = 5_000;
/** Users cached per instance; the cache starts over when full (a burst of new users costs reads, not memory). */
const MAX_CACHED = 20_000;

export type GateVerdict =
  { store: true; erasedAt: number | null } | { store: false; reason: 'noConsent' | 'erased' };

const cacheOf = perStores(() => new Map<string, { until: number; erasedAt: number | null }>());

/** The verdict from the two records (caching a "may store"). */
function decide(
  stores: Stores,
  openid: string,
  now: number,
  settings: AccountSettings | null,
  erasure: ErasureJob | null,
): GateVerdict {
  if (erasure?.status === 'running') return { store: false, reason: 'erased' };
  if (!settings?.consent?.granted) return { store: false, reason: 'noConsent' };
  const erasedAt = erasure ? erasure.startedAt : null;
  const cache = cacheOf(stores);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(openid, { until: now + GATE_TTL_MS, erasedAt });
  return { store: true, erasedAt };
}

export async function trackGate(
  stores: Stores,
  openid: string,
  now: number,
  config: IdentifierKeyConfig,
): Promise<GateVerdict> {
  const hit = cacheOf(stores).get(openid);
  if (hit && hit.until > now) return { store: true, erasedAt: hit.erasedAt };
  const [settings, erasure] = await Promise.all([
    stores.privacy.getSettings(openid),
    stores.privacy.getErasure(subjectOf(openid, config)),
  ]);
  return decide(stores, openid, now, settings, erasure);
}

/**
 * The same gate for `recommend`, which reads the account settings on every request anyway (the
 * personalisation switch, shared attributes): with the settings read fresh, only the erasure
 * record's answer comes from the cache, so a withdrawn consent counts at once. "May not store"
 * means: serve the non-personalised feed and keep nothing tied to the openid (no slate logged).
 */
export async function servingGate(
  stores: Stores,
  openid: string,
  now: number,
  config: IdentifierKeyConfig,
): Promise<{ settings: AccountSettings | null; verdict: GateVerdict }> {
  const hit = cacheOf(stores).get(openid);
  const cached = hit !== undefined && hit.until > now;
  const [settings, erasure] = await Promise.all([
    stores.privacy.getSettings(openid),
    cached ? null : stores.privacy.getErasure(subjectOf(openid, config)),
  ]);
  if (cached) {
    if (settings?.consent?.granted)
      return { settings, verdict: { store: true, erasedAt: hit.erasedAt } };
    forgetGate(stores, openid); // withdrawn in another instance: `track` here stops at once too
    return { settings, verdict: { store: false, reason: 'noConsent' } };
  }
  return { settings, verdict: decide(stores, openid, now, settings, erasure) };
}

/** Drops this instance's cached verdict (consent withdrawn or erasure started here). */
export function forgetGate(stores: Stores, openid: string): void {
  cacheOf(stores).delete(openid);
}
