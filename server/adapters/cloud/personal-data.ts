/**
 * PersonalData over the cloud database: the collections holding documents tied to a user, each
 * with the fields naming the user; pages and chunked deletes (or, for documents that are kept,
 * the user replaced by ERASED_USER) go by _id, under the get() cap.
 */
import type { EventType } from '../../../typings';
import { ERASED_USER, type PersonalData, type PersonalPage } from '../../ports/personal-data';
import { COMMENT_REPORTS, COMMENTS } from './comments';
import { COUNTERS } from './counters';
import { EVENTS } from './event-log';
import { LIKES } from './likes';
import { QUOTAS, SENDS } from './subscriptions';
import { TRIPS } from './trips';
import { SEARCH_QUERIES } from './search-queries';
import { AUDIT, INVITATIONS, MEMBERS } from './merchants';
import { ACCOUNTS, CONSENTS } from './privacy';
import { USER_PROFILES } from './profiles';
import { ALL, CHARGED, HIDE } from '../../engine/ads/counter-keys';
import {
  docId,
  mapLimit,
  MAX_GET,
  MAX_IN_FLIGHT,
  removeWhere,
  scalar,
  settle,
  type Database,
} from './sdk';
import { AD_REPORT_ROLLUPS, EXPERIMENT_ROLLUPS } from './rollups';
import { SLATES } from './slates';
import { COLLECTIONS } from './collections';
import { BOUGHT, CARTS, ORDERS } from './orders';

interface Spec {
  name: string;
  /** Fields naming the user: a document is theirs when any of them holds the openid. */
  user: readonly string[];
  /** Kept documents (see ERASED_USER): erasure replaces the user in those fields instead of deleting. */
  keep?: true;
  /** The user fields hold the user's searcher key (server/adapters/searcher-key.ts), not the openid. */
  keyed?: true;
}

/** Every collection with a user field, in erasure order (settings and consents last). */
export const PERSONAL_COLLECTIONS: readonly Spec[] = [
  { name: EVENTS, user: ['openid'] },
  { name: SLATES, user: ['openid'] },
  { name: USER_PROFILES, user: ['openid'] },
  { name: COMMENTS, user: ['openid'] },
  { name: COMMENT_REPORTS, user: ['openid'] },
  { name: LIKES, user: ['openid'] },
  { name: TRIPS, user: ['openid'] },
  // 热门搜索 (issue 20): the queries the user searched, per scene and day, under their searcher key
  // (exported with that key as null, like any field naming a user).
  { name: SEARCH_QUERIES, user: ['userKey'], keyed: true },
  { name: EXPERIMENT_ROLLUPS, user: ['openid'] },
  { name: AD_REPORT_ROLLUPS, user: ['openid'] },
  // Per-user counters: the track rate limit (scope "rate", id = openid) and any later ones.
  { name: COUNTERS, user: ['id'] },
  { name: MEMBERS, user: ['openid'] },
  // Spent codes stay spent: the redeemer and creator are replaced, the document kept.
  { name: INVITATIONS, user: ['redeemedBy', 'createdBy'], keep: true },
  // The merchant's record of campaign changes is kept (the legal exception, see ERASED_USER); the actor is replaced.
  { name: AUDIT, user: ['actor'], keep: true },
  // The social graph (issue 16): follows both ways, the user's record and links, links of others
  // naming them (each showing only the user's own side: other users' fields read as null), the switch.
  { name: COLLECTIONS.socialFollows.name, user: ['follower', 'followee'] },
  { name: COLLECTIONS.socialGroups.name, user: ['openid'] },
  { name: COLLECTIONS.socialRecords.name, user: ['openid'] },
  { name: COLLECTIONS.socialLinks.name, user: ['openid', 'other'] },
  { name: COLLECTIONS.socialHidden.name, user: ['openid'] },
  // Orders are the merchant's transaction records, which it must keep (E-Commerce Law art. 31:
  // three years): kept, the buyer replaced. The cart key is a keyed hash nobody can recompute
  // from the openid. The buyer's units per offer and open carts go.
  { name: ORDERS, user: ['openid'], keep: true },
  { name: CARTS, user: ['openid'] },
  { name: BOUGHT, user: ['openid'] },
  // Subscription messages (issue 20): accepted sends and the sends that took one.
  { name: QUOTAS, user: ['openid'] },
  { name: SENDS, user: ['openid'] },
  { name: CONSENTS, user: ['openid'] },
  { name: ACCOUNTS, user: ['openid'] },
];

/** Every event type, for counting per type (the compile-time record keeps it complete). */
const EVENT_TYPES = Object.keys({
  impression: 1,
  click: 1,
  like: 1,
  unlike: 1,
  comment: 1,
  share: 1,
  share_open: 1,
  dwell: 1,
  hide: 1,
  search: 1,
  order: 1,
  pay: 1,
  page_perf: 1,
  set_data: 1,
  api_call: 1,
  app_error: 1,
  tap: 1,
  prefetch: 1,
} satisfies Record<EventType, 1>);

/** Fields stored as JSON text, returned parsed in exports. */
const JSON_FIELDS = new Set(['doc', 'props']);

function spec(name: string): Spec {
  const c = PERSONAL_COLLECTIONS.find((x) => x.name === name);
  if (!c) throw new Error(`not a personal-data collection: ${name}`);
  return c;
}

export class CloudPersonalData implements PersonalData {
  readonly collections = PERSONAL_COLLECTIONS.map((c) => c.name);

  constructor(
    private readonly db: Database,
    private readonly searcherKey: (openid: string) => string,
  ) {}

  async read(
    collection: string,
    openid: string,
    cursor: string | null,
    limit: number,
  ): Promise<PersonalPage> {
    const c = spec(collection);
    const _ = this.db.command;
    const mine = this.ofUser(c, openid);
    const cond = cursor === null ? mine : _.and([mine, { _id: _.gt(scalar(cursor, 'cursor')) }]);
    const want = Math.min(limit, MAX_GET);
    const res = await settle(
      this.db.collection(c.name).where(cond).orderBy('_id', 'asc').limit(want).get(),
    );
    const docs = res.data as Record<string, unknown>[];
    // A document naming someone else too (an invitation's creator and redeemer) hides them.
    const records = docs.map((d) =>
      Object.fromEntries(
        Object.entries(d).map(([k, v]) => [
          k,
          c.user.includes(k) && v !== openid
            ? null
            : JSON_FIELDS.has(k) && typeof v === 'string'
              ? JSON.parse(v)
              : v,
        ]),
      ),
    );
    const last = docs[docs.length - 1];
    return { records, cursor: last && docs.length === want ? String(last._id) : null };
  }

  async erase(collection: string, openid: string, limit: number): Promise<number> {
    const c = spec(collection);
    if (!c.keep) return removeWhere(this.db, c.name, this.ofUser(c, openid), limit);
    // Field by field: a replaced field no longer matches, so the next chunk moves on.
    let changed = 0;
    for (const field of c.user) {
      if (changed < limit)
        changed += await this.replaceUser(c.name, field, scalar(openid, 'openid'), limit - changed);
    }
    return changed;
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
    return removeWhere(
      this.db,
      EVENTS,
      { serverTime: this.db.command.lt(scalar(cutoff, 'cutoff')) },
      limit,
      'serverTime',
    );
  }

  async purgeSlatesBefore(cutoff: number, limit: number): Promise<number> {
    const _ = this.db.command;
    let removed = 0;
    while (removed < limit) {
      const want = Math.min(limit - removed, MAX_GET);
      const res = await settle(
        this.db
          .collection(SLATES)
          .where({ servedAt: _.lt(scalar(cutoff, 'cutoff')) })
          .orderBy('servedAt', 'asc')
          .field({ _id: true, slateId: true })
          .limit(want)
          .get(),
      );
      const found = res.data as { _id: string; slateId: string }[];
      if (found.length === 0) break;
      // Counters first: a stop in between leaves a slate to purge again, never an orphan counter.
      await settle(
        this.db
          .collection(COUNTERS)
          .where({ _id: _.in(found.map((s) => docId(CHARGED, s.slateId, ALL))) })
          .remove(),
      );
      const del = await settle(
        this.db
          .collection(SLATES)
          .where({ _id: _.in(found.map((s) => s._id)) })
          .remove(),
      );
      removed += del.stats.removed;
      if (found.length < want) break;
    }
    return removed;
  }

  async purgeCountersBefore(scope: string, bucket: string, limit: number): Promise<number> {
    const cond = {
      scope: scalar(scope, 'counter scope'),
      bucket: this.db.command.lt(scalar(bucket, 'counter bucket')),
    };
    return removeWhere(this.db, COUNTERS, cond, limit, 'bucket');
  }

  async usersWithState(after: string | null, limit: number): Promise<string[]> {
    const _ = this.db.command;
    const past = after === null ? _.gt('') : _.gt(scalar(after, 'openid'));
    // Each collection's openids in order after `after`, one page each. A page that came back full
    // may hide smaller openids beyond its last one, so the merged list stops at the smallest such last.
    const sources: [string, string, Record<string, unknown>][] = [
      [USER_PROFILES, 'openid', { openid: past }],
      [LIKES, 'openid', { openid: past }],
      [COUNTERS, 'id', { scope: HIDE, bucket: ALL, id: past }],
    ];
    const want = Math.min(limit, MAX_GET);
    let bound: string | null = null;
    const found = new Set<string>();
    for (const [name, field, cond] of sources) {
      const res = await settle(
        this.db
          .collection(name)
          .where(cond)
          .orderBy(field, 'asc')
          .field({ [field]: true })
          .limit(MAX_GET)
          .get(),
      );
      const ids = (res.data as Record<string, unknown>[]).map((d) => String(d[field]));
      const distinct = [...new Set(ids)].slice(0, want);
      distinct.forEach((id) => found.add(id));
      const last = distinct[distinct.length - 1];
      const cut = ids.length === MAX_GET || distinct.length === want;
      if (cut && last !== undefined && (bound === null || last < bound)) bound = last;
    }
    return [...found]
      .filter((id) => bound === null || id <= bound)
      .sort()
      .slice(0, want);
  }

  async activeSince(openid: string, since: number): Promise<boolean> {
    const res = await settle(
      this.db
        .collection(EVENTS)
        .where({
          openid: scalar(openid, 'openid'),
          serverTime: this.db.command.gte(scalar(since, 'since')),
        })
        .count(),
    );
    return res.total > 0;
  }

  async forgetDerivedState(openid: string): Promise<number> {
    const id = scalar(openid, 'openid');
    // The hides are one counter document per user (one field per ad).
    const hides = await settle(
      this.db
        .collection(COUNTERS)
        .where({ _id: docId(HIDE, id, ALL) })
        .remove(),
    );
    let n = hides.stats.removed;
    for (const name of [USER_PROFILES, LIKES]) {
      const cond = { openid: id };
      // removeWhere deletes a bounded chunk: go on until the user has none left.
      for (;;) {
        const k = await removeWhere(this.db, name, cond, MAX_GET);
        n += k;
        if (k < MAX_GET) break;
      }
    }
    return n;
  }

  /** The condition "the document names the user". */
  private ofUser(c: Spec, openid: string): Record<string, unknown> {
    const who = c.keyed ? this.searcherKey(scalar(openid, 'openid')) : scalar(openid, 'openid');
    const conds = c.user.map((f) => ({ [f]: who }));
    return conds.length === 1
      ? conds[0]
      : (this.db.command.or(conds) as unknown as Record<string, unknown>);
  }

  /** Sets `field` to ERASED_USER in up to `limit` documents where it holds the openid: their ids first, then those ids. */
  private async replaceUser(
    name: string,
    field: string,
    openid: string,
    limit: number,
  ): Promise<number> {
    const _ = this.db.command;
    let changed = 0;
    while (changed < limit) {
      const want = Math.min(limit - changed, MAX_GET);
      const res = await settle(
        this.db
          .collection(name)
          .where({ [field]: openid })
          .orderBy('_id', 'asc')
          .field({ _id: true })
          .limit(want)
          .get(),
      );
      const ids = (res.data as { _id: string }[]).map((d) => d._id);
      if (ids.length === 0) break;
      const upd = await settle(
        this.db
          .collection(name)
          .where({ _id: _.in(ids), [field]: openid })
          .update({ data: { [field]: ERASED_USER } }),
      );
      changed += upd.stats.updated;
      if (ids.length < want) break;
    }
    return changed;
  }
}
