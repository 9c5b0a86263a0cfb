/**
 * PersonalData over the cloud database: the collections holding documents tied to a user, each
 * with the field naming the user; pages and chunked deletes go by _id, under the get() cap.
 */
import type { EventType } from '../../../typings';
import type { PersonalData, PersonalPage } from '../../ports/personal-data';
import { COUNTERS } from './counters';
import { EVENTS } from './event-log';
import { ACCOUNTS, CONSENTS } from './privacy';
import { USER_PROFILES } from './profiles';
import { mapLimit, MAX_GET, MAX_IN_FLIGHT, scalar, settle, type Database } from './sdk';
import { SLATES } from './slates';

/** Every collection with a user field, in erasure order (settings and consents last). */
export const PERSONAL_COLLECTIONS: readonly { name: string; user: string }[] = [
  { name: EVENTS, user: 'openid' },
  { name: SLATES, user: 'openid' },
  { name: USER_PROFILES, user: 'openid' },
  // Per-user counters: the track rate limit (scope "rate", id = openid) and any later ones.
  { name: COUNTERS, user: 'id' },
  { name: CONSENTS, user: 'openid' },
  { name: ACCOUNTS, user: 'openid' },
];

/** Every event type, for counting per type (the compile-time record keeps it complete). */
const EVENT_TYPES = Object.keys({
  impression: 1, click: 1, like: 1, unlike: 1, comment: 1, share: 1, share_open: 1, dwell: 1, hide: 1, search: 1, order: 1, pay: 1, page_perf: 1,
} satisfies Record<EventType, 1>);

/** Fields stored as JSON text, returned parsed in exports. */
const JSON_FIELDS = new Set(['doc', 'props']);

function spec(name: string): { name: string; user: string } {
  const c = PERSONAL_COLLECTIONS.find((x) => x.name === name);
  if (!c) throw new Error(`not a personal-data collection: ${name}`);
  return c;
}

export class CloudPersonalData implements PersonalData {
  readonly collections = PERSONAL_COLLECTIONS.map((c) => c.name);

  constructor(private readonly db: Database) {}

  async read(collection: string, openid: string, cursor: string | null, limit: number): Promise<PersonalPage> {
    const c = spec(collection);
    const _ = this.db.command;
    const cond: Record<string, unknown> = { [c.user]: scalar(openid, 'openid') };
    if (cursor !== null) cond._id = _.gt(scalar(cursor, 'cursor'));
    const want = Math.min(limit, MAX_GET);
    const res = await settle(this.db.collection(c.name).where(cond).orderBy('_id', 'asc').limit(want).get());
    const docs = res.data as Record<string, unknown>[];
    const records = docs.map((d) =>
      Object.fromEntries(Object.entries(d).map(([k, v]) => [k, JSON_FIELDS.has(k) && typeof v === 'string' ? JSON.parse(v) : v])),
    );
    const last = docs[docs.length - 1];
    return { records, cursor: last && docs.length === want ? String(last._id) : null };
  }

  async erase(collection: string, openid: string, limit: number): Promise<number> {
    const c = spec(collection);
    return this.removeWhere(c.name, { [c.user]: scalar(openid, 'openid') }, limit);
  }

  async eventCounts(openid: string): Promise<Record<string, number>> {
    scalar(openid, 'openid');
    const totals = await mapLimit(EVENT_TYPES, MAX_IN_FLIGHT, async (type) => {
      const res = await settle(this.db.collection(EVENTS).where({ openid, type }).count());
      return [type, res.total] as const;
    });
    return Object.fromEntries(totals.filter(([, n]) => n > 0));
  }

  async purgeEventsBefore(cutoff: number, limit: number): Promise<number> {
    return this.removeWhere(EVENTS, { serverTime: this.db.command.lt(scalar(cutoff, 'cutoff')) }, limit, 'serverTime');
  }

  async purgeCountersBefore(scope: string, bucket: string, limit: number): Promise<number> {
    const cond = { scope: scalar(scope, 'counter scope'), bucket: this.db.command.lt(scalar(bucket, 'counter bucket')) };
    return this.removeWhere(COUNTERS, cond, limit, 'bucket');
  }

  /** Removes up to `limit` matching documents: their ids first (bounded by get()'s cap), then those ids. */
  private async removeWhere(name: string, cond: Record<string, unknown>, limit: number, order = '_id'): Promise<number> {
    const _ = this.db.command;
    let removed = 0;
    while (removed < limit) {
      const want = Math.min(limit - removed, MAX_GET);
      const res = await settle(this.db.collection(name).where(cond).orderBy(order, 'asc').field({ _id: true }).limit(want).get());
      const ids = (res.data as { _id: string }[]).map((d) => d._id);
      if (ids.length === 0) break;
      const del = await settle(this.db.collection(name).where({ _id: _.in(ids) }).remove());
      removed += del.stats.removed;
      if (ids.length < want) break;
    }
    return removed;
  }
}
