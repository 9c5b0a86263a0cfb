/**
 * PersonalData over SQLite: the tables holding rows tied to a user, each with the expressions
 * naming the user and a unique key that orders its pages; chunked deletes by key (or, for rows
 * that are kept, the user replaced by ERASED_USER), and event retention.
 */
import { ERASED_USER, type PersonalData, type PersonalPage } from '../../ports/personal-data';
import { ALL, CHARGED, HIDE } from '../../engine/ads/counter-keys';
import type { Db } from './db';
import { failpoint } from '../failpoints';

interface Table {
  name: string;
  /** SQL expressions naming the user: a row is theirs when any of them equals the openid. */
  user: readonly string[];
  /** Columns that, with the user condition, identify a row (page order). */
  key: readonly string[];
  /**
   * For rows that are kept (see ERASED_USER): the SET clause replacing the user, with @openid and
   * @erased bound. Absent: the user's rows are deleted.
   */
  scrub?: string;
  /** Columns read (export), with @openid bound: a row naming someone else too hides them. Default: all. */
  columns?: string;
  /**
   * Export only: each `user` column naming someone else is exported as null (as the cloud
   * adapter does), so a follow or a link shows its other party as nobody.
   */
  maskOthers?: true;
  /**
   * The `user` columns hold the user's searcher key (server/adapters/searcher-key.ts), not the
   * openid: @openid is bound to the key.
   */
  keyed?: true;
}

/** Every table naming a user; erasure goes in this order (settings and consents last). */
export const PERSONAL_TABLES: readonly Table[] = [
  { name: 'events', user: ['openid'], key: ['seq'] },
  { name: 'slates', user: ['openid'], key: ['slate_id'] },
  { name: 'user_profiles', user: ['openid'], key: ['openid'] },
  { name: 'comments', user: ['openid'], key: ['id'] },
  { name: 'comment_reports', user: ['openid'], key: ['comment_id'] },
  { name: 'likes', user: ['openid'], key: ['item_id'] },
  { name: 'trips', user: ['openid'], key: ['item_id'] },
  // 热门搜索 (issue 20): the queries the user searched, per scene and day, under their searcher key.
  {
    name: 'search_queries',
    user: ['user_key'],
    key: ['scene', 'day', 'query'],
    keyed: true,
    columns: 'scene, day, query',
  },
  { name: 'experiment_rollups', user: ['openid'], key: ['experiment_id', 'variant'] },
  {
    name: 'ad_report_rollups',
    user: ['openid'],
    key: ['campaign_id', 'dim', 'day', 'key'],
  },
  // Per-user counters: the track rate limit (scope "rate", id = openid) and any later ones.
  { name: 'counters', user: ['id'], key: ['scope', 'bucket', 'field'] },
  { name: 'merchant_members', user: ['openid'], key: ['openid'] },
  // Spent codes stay spent: the redeemer and creator are replaced, the row kept.
  {
    name: 'merchant_invitations',
    user: ['redeemed_by', "json_extract(doc, '$.createdBy')"],
    key: ['code_hash'],
    scrub: `redeemed_by = CASE WHEN redeemed_by = @openid THEN @erased ELSE redeemed_by END,
      doc = CASE WHEN json_extract(doc, '$.createdBy') = @openid THEN json_set(doc, '$.createdBy', @erased) ELSE doc END`,
    // The creator's export must not show who redeemed the code, nor the redeemer's who created it.
    columns: `code_hash, expires_at, redeemed_at,
      CASE WHEN redeemed_by = @openid THEN redeemed_by END AS redeemed_by,
      CASE WHEN json_extract(doc, '$.createdBy') = @openid THEN doc ELSE json_set(doc, '$.createdBy', NULL) END AS doc`,
  },
  // The merchant's record of campaign changes is kept (the legal exception, see ERASED_USER); the actor is replaced.
  {
    name: 'campaign_audit',
    user: ["json_extract(doc, '$.actor')"],
    key: ['seq'],
    scrub: "doc = json_set(doc, '$.actor', @erased)",
  },
  // The social graph (issue 16): follows both ways, the user's record and links, links of others
  // naming them (each showing only the user's own side), the hide-me switch.
  {
    name: 'social_follows',
    user: ['follower', 'followee'],
    key: ['follower', 'followee'],
    maskOthers: true,
  },
  { name: 'social_groups', user: ['openid'], key: ['grp'] },
  { name: 'social_records', user: ['openid'], key: ['openid'] },
  {
    name: 'social_links',
    user: ['openid', 'other'],
    key: ['openid', 'kind', 'other'],
    maskOthers: true,
  },
  { name: 'social_hidden', user: ['openid'], key: ['openid'] },
  // Orders are the merchant's transaction records, which it must keep (E-Commerce Law art. 31:
  // three years): kept, the buyer replaced. The cart key is a keyed hash nobody can recompute
  // from the openid. The buyer's units per offer go; so does the local payment stand-in's copy.
  {
    name: 'orders',
    user: ['openid'],
    key: ['out_trade_no'],
    scrub: "openid = @erased, doc = json_set(doc, '$.openid', @erased)",
  },
  { name: 'offer_bought', user: ['openid'], key: ['campaign_id'] },
  {
    name: 'local_pay',
    user: ["json_extract(doc, '$.openid')"],
    key: ['out_trade_no'],
    scrub: "doc = json_set(doc, '$.openid', @erased)",
  },
  // Subscription messages (issue 20): accepted sends, sends that took one, the local stand-in's outbox.
  { name: 'subscription_quotas', user: ['openid'], key: ['template_id'] },
  { name: 'subscription_sends', user: ['openid'], key: ['key'] },
  { name: 'subscribe_outbox', user: ['openid'], key: ['seq'] },
  { name: 'consents', user: ['openid'], key: ['seq'] },
  { name: 'accounts', user: ['openid'], key: ['openid'] },
];

/** Columns stored as JSON text, returned parsed in exports. */
const JSON_COLUMNS = new Set(['doc', 'props', 'features']);

function table(name: string): Table {
  const t = PERSONAL_TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`not a personal-data collection: ${name}`);
  return t;
}

/** The condition "the row names @openid". */
const ofUser = (t: Table): string => t.user.map((u) => `${u} = @openid`).join(' OR ');

function decodeCursor(cursor: string | null, width: number): unknown[] | null {
  if (cursor === null) return null;
  const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (
    !Array.isArray(v) ||
    v.length !== width ||
    !v.every((x) => typeof x === 'string' || typeof x === 'number')
  ) {
    throw new Error('invalid personal-data cursor');
  }
  return v;
}

export class SqlitePersonalData implements PersonalData {
  readonly collections = PERSONAL_TABLES.map((t) => t.name);

  constructor(
    private readonly db: Db,
    private readonly searcherKey: (openid: string) => string,
  ) {}

  /** What the table's user columns hold for this user. */
  private userOf(t: Table, openid: string): string {
    return t.keyed ? this.searcherKey(openid) : openid;
  }

  async read(
    collection: string,
    openid: string,
    cursor: string | null,
    limit: number,
  ): Promise<PersonalPage> {
    const t = table(collection);
    const keys = t.key.join(', ');
    const after = decodeCursor(cursor, t.key.length);
    const where = after ? `AND (${keys}) > (${t.key.map((_, i) => `@k${i}`).join(', ')})` : '';
    const params = {
      openid: this.userOf(t, openid),
      limit,
      ...Object.fromEntries((after ?? []).map((v, i) => [`k${i}`, v])),
    };
    const rows = this.db
      .prepare(
        `SELECT ${t.columns ?? '*'} FROM ${t.name} WHERE (${ofUser(t)}) ${where} ORDER BY ${keys} LIMIT @limit`,
      )
      .all(params) as Record<string, unknown>[];
    const records = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          t.maskOthers && t.user.includes(k) && v !== openid
            ? null
            : JSON_COLUMNS.has(k) && typeof v === 'string'
              ? JSON.parse(v)
              : v,
        ]),
      ),
    );
    const last = rows[rows.length - 1];
    const next =
      last && rows.length === limit
        ? Buffer.from(JSON.stringify(t.key.map((k) => last[k]))).toString('base64url')
        : null;
    return { records, cursor: next };
  }

  async erase(collection: string, openid: string, limit: number): Promise<number> {
    await failpoint('sqlite.personal.erase');
    const t = table(collection);
    const keys = t.key.join(', ');
    const chunk = `(${ofUser(t)}) AND (${keys}) IN (SELECT ${keys} FROM ${t.name} WHERE ${ofUser(t)} LIMIT @limit)`;
    if (!t.scrub)
      return this.db
        .prepare(`DELETE FROM ${t.name} WHERE ${chunk}`)
        .run({ openid: this.userOf(t, openid), limit }).changes;
    // The scrubbed row no longer matches, so the next chunk moves on.
    return this.db
      .prepare(`UPDATE ${t.name} SET ${t.scrub} WHERE ${chunk}`)
      .run({ openid, limit, erased: ERASED_USER }).changes;
  }

  async eventCounts(openid: string): Promise<Record<string, number>> {
    const rows = this.db
      .prepare('SELECT type, COUNT(*) AS n FROM events WHERE openid = ? GROUP BY type')
      .all(openid) as { type: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  }

  async purgeEventsBefore(cutoff: number, limit: number): Promise<number> {
    // Events are appended in server-time order, so the oldest come first by seq: no time index needed.
    const sql =
      'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE server_time < ? ORDER BY seq LIMIT ?)';
    return this.db.prepare(sql).run(cutoff, limit).changes;
  }

  async purgeSlatesBefore(cutoff: number, limit: number): Promise<number> {
    const ids = this.db
      .prepare('SELECT slate_id FROM slates WHERE served_at < ? ORDER BY served_at LIMIT ?')
      .pluck()
      .all(cutoff, limit) as string[];
    if (ids.length === 0) return 0;
    const dropCounter = this.db.prepare(
      'DELETE FROM counters WHERE scope = ? AND bucket = ? AND id = ?',
    );
    const dropSlate = this.db.prepare('DELETE FROM slates WHERE slate_id = ?');
    return this.db.transaction(() => {
      let n = 0;
      for (const id of ids) {
        dropCounter.run(CHARGED, ALL, id);
        n += dropSlate.run(id).changes;
      }
      return n;
    })();
  }

  async purgeCountersBefore(scope: string, bucket: string, limit: number): Promise<number> {
    // A range of the primary key (scope, bucket, id, field): no scan of other scopes.
    const sql = `DELETE FROM counters WHERE (scope, bucket, id, field) IN
      (SELECT scope, bucket, id, field FROM counters WHERE scope = ? AND bucket < ? ORDER BY bucket LIMIT ?)`;
    return this.db.prepare(sql).run(scope, bucket, limit).changes;
  }

  async usersWithState(after: string | null, limit: number): Promise<string[]> {
    // Each branch is a range of an index by openid (hide counters: of the primary key).
    const sql = `SELECT openid FROM (
        SELECT openid FROM user_profiles WHERE openid > @after
        UNION SELECT openid FROM likes WHERE openid > @after
        UNION SELECT id AS openid FROM counters WHERE scope = @hide AND bucket = @all AND id > @after
      ) ORDER BY openid LIMIT @limit`;
    return this.db
      .prepare(sql)
      .pluck()
      .all({ after: after ?? '', limit, hide: HIDE, all: ALL }) as string[];
  }

  async activeSince(openid: string, since: number): Promise<boolean> {
    const sql = 'SELECT 1 FROM events WHERE openid = ? AND server_time >= ? LIMIT 1';
    return this.db.prepare(sql).get(openid, since) !== undefined;
  }

  async forgetDerivedState(openid: string): Promise<number> {
    return this.db.transaction(
      () =>
        this.db.prepare('DELETE FROM user_profiles WHERE openid = ?').run(openid).changes +
        this.db.prepare('DELETE FROM likes WHERE openid = ?').run(openid).changes +
        this.db
          .prepare('DELETE FROM counters WHERE scope = ? AND bucket = ? AND id = ?')
          .run(HIDE, ALL, openid).changes,
    )();
  }
}
