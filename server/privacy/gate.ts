/**
 * Whether `track` may store a user's events: only with a recorded, granted consent, and never
 * for a user being erased (nor, after an erasure, events the device made before it). The
 * answer "may store" is cached per warm instance for a few seconds, so ingestion pays one read
 * per user per TTL; "may not" is never cached, so a fresh consent counts at once. Erasure
 * waits out the TTL before it finishes (server/privacy/erasure.ts), so a cached "yes" in
 * another instance cannot leave data behind.
 */
import type { Stores } from '../ports';
import { subjectOf } from './subject';

export const GATE_TTL_MS = 5_000;
/** Users cached per instance; the cache starts over when full (a burst of new users costs reads, not memory). */
const MAX_CACHED = 20_000;

export type GateVerdict =
  | { store: true; erasedAt: number | null }
  | { store: false; reason: 'noConsent' | 'erased' };

const caches = new WeakMap<Stores, Map<string, { until: number; erasedAt: number | null }>>();

function cacheOf(stores: Stores): Map<string, { until: number; erasedAt: number | null }> {
  let c = caches.get(stores);
  if (!c) caches.set(stores, (c = new Map()));
  return c;
}

export async function trackGate(stores: Stores, openid: string, now: number): Promise<GateVerdict> {
  const cache = cacheOf(stores);
  const hit = cache.get(openid);
  if (hit && hit.until > now) return { store: true, erasedAt: hit.erasedAt };
  const [settings, erasure] = await Promise.all([stores.privacy.getSettings(openid), stores.privacy.getErasure(subjectOf(openid))]);
  if (erasure?.status === 'running') return { store: false, reason: 'erased' };
  if (!settings?.consent?.granted) return { store: false, reason: 'noConsent' };
  const erasedAt = erasure ? erasure.startedAt : null;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(openid, { until: now + GATE_TTL_MS, erasedAt });
  return { store: true, erasedAt };
}

/** Drops this instance's cached verdict (consent withdrawn or erasure started here). */
export function forgetGate(stores: Stores, openid: string): void {
  caches.get(stores)?.delete(openid);
}
