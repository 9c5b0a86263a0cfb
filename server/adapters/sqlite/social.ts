/** The social port over SQLite: follows keyed by (follower, followee), group memberships by (group, user), a round's record and links replaced in one transaction. */
import type {
  Follow,
  GroupMembership,
  LinkKind,
  Social,
  SocialLink,
  SocialRecord,
} from '../../ports/social';
import type { Db } from './db';
import { placeholders, prepared } from './statements';

interface MembershipRow {
  grp: string;
  openid: string;
  at: number;
  share_id: string | null;
}

const asMembership = (r: MembershipRow): GroupMembership => ({
  openid: r.openid,
  group: r.grp,
  at: r.at,
  shareId: r.share_id,
});

interface FollowRow {
  follower: string;
  followee: string;
  at: number;
}

export class SqliteSocial implements Social {
  private readonly replace: (record: SocialRecord, links: SocialLink[]) => void;
  private readonly erase: (openid: string) => void;

  constructor(private readonly db: Db) {
    this.replace = db.transaction((record: SocialRecord, links: SocialLink[]) => {
      prepared(
        db,
        `INSERT INTO social_records (openid, updated_at, features) VALUES (?, ?, ?)
        ON CONFLICT (openid) DO UPDATE SET updated_at = excluded.updated_at, features = excluded.features`,
      ).run(record.openid, record.updatedAt, JSON.stringify(record.features));
      prepared(db, 'DELETE FROM social_links WHERE openid = ?').run(record.openid);
      const put = prepared(
        db,
        `INSERT INTO social_links (openid, kind, other, weight) VALUES (?, ?, ?, ?)
        ON CONFLICT (openid, kind, other) DO UPDATE SET weight = excluded.weight`,
      );
      for (const l of links) put.run(record.openid, l.kind, l.other, l.weight);
    });
    this.erase = db.transaction((openid: string) => {
      prepared(db, 'DELETE FROM social_follows WHERE follower = ? OR followee = ?').run(
        openid,
        openid,
      );
      prepared(db, 'DELETE FROM social_groups WHERE openid = ?').run(openid);
      prepared(db, 'DELETE FROM social_records WHERE openid = ?').run(openid);
      prepared(db, 'DELETE FROM social_links WHERE openid = ? OR other = ?').run(openid, openid);
      prepared(db, 'DELETE FROM social_hidden WHERE openid = ?').run(openid);
    });
  }

  async follow(f: Follow): Promise<boolean> {
    const r = prepared(
      this.db,
      'INSERT INTO social_follows (follower, followee, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ).run(f.follower, f.followee, f.at);
    return r.changes > 0;
  }

  async unfollow(follower: string, followee: string): Promise<boolean> {
    return (
      prepared(this.db, 'DELETE FROM social_follows WHERE follower = ? AND followee = ?').run(
        follower,
        followee,
      ).changes > 0
    );
  }

  async following(openid: string, after: string | null, limit: number): Promise<Follow[]> {
    return prepared(
      this.db,
      `SELECT follower, followee, at FROM social_follows WHERE follower = ? AND followee > ?
      ORDER BY followee LIMIT ?`,
    ).all(openid, after ?? '', limit) as FollowRow[];
  }

  async followers(openid: string, after: string | null, limit: number): Promise<Follow[]> {
    return prepared(
      this.db,
      `SELECT follower, followee, at FROM social_follows WHERE followee = ? AND follower > ?
      ORDER BY follower LIMIT ?`,
    ).all(openid, after ?? '', limit) as FollowRow[];
  }

  async followsSince(follower: string, since: number): Promise<number> {
    return prepared(this.db, 'SELECT COUNT(*) FROM social_follows WHERE follower = ? AND at >= ?')
      .pluck()
      .get(follower, since) as number;
  }

  async allFollows(
    after: Pick<Follow, 'follower' | 'followee'> | null,
    limit: number,
  ): Promise<Follow[]> {
    return (
      after
        ? prepared(
            this.db,
            `SELECT follower, followee, at FROM social_follows
            WHERE follower > ? OR (follower = ? AND followee > ?) ORDER BY follower, followee LIMIT ?`,
          ).all(after.follower, after.follower, after.followee, limit)
        : prepared(
            this.db,
            'SELECT follower, followee, at FROM social_follows ORDER BY follower, followee LIMIT ?',
          ).all(limit)
    ) as FollowRow[];
  }

  async joinGroup(m: GroupMembership): Promise<boolean> {
    const had = prepared(this.db, 'SELECT 1 FROM social_groups WHERE grp = ? AND openid = ?').get(
      m.group,
      m.openid,
    );
    prepared(
      this.db,
      `INSERT INTO social_groups (grp, openid, at, share_id) VALUES (?, ?, ?, ?)
      ON CONFLICT (grp, openid) DO UPDATE SET at = MAX(at, excluded.at),
        share_id = CASE WHEN excluded.at >= at THEN excluded.share_id ELSE share_id END`,
    ).run(m.group, m.openid, m.at, m.shareId);
    return had === undefined;
  }

  async allMemberships(
    after: Pick<GroupMembership, 'group' | 'openid'> | null,
    limit: number,
  ): Promise<GroupMembership[]> {
    const rows = (
      after
        ? prepared(
            this.db,
            `SELECT grp, openid, at, share_id FROM social_groups
            WHERE grp > ? OR (grp = ? AND openid > ?) ORDER BY grp, openid LIMIT ?`,
          ).all(after.group, after.group, after.openid, limit)
        : prepared(
            this.db,
            'SELECT grp, openid, at, share_id FROM social_groups ORDER BY grp, openid LIMIT ?',
          ).all(limit)
    ) as MembershipRow[];
    return rows.map(asMembership);
  }

  async putRecord(record: SocialRecord, links: SocialLink[]): Promise<void> {
    this.replace(record, links);
  }

  async record(openid: string): Promise<SocialRecord | null> {
    const row = prepared(
      this.db,
      'SELECT openid, updated_at, features FROM social_records WHERE openid = ?',
    ).get(openid) as { openid: string; updated_at: number; features: string } | undefined;
    return row
      ? { openid: row.openid, updatedAt: row.updated_at, features: JSON.parse(row.features) }
      : null;
  }

  async links(openid: string, kind: LinkKind, limit: number): Promise<SocialLink[]> {
    return prepared(
      this.db,
      `SELECT kind, other, weight FROM social_links WHERE openid = ? AND kind = ?
      ORDER BY weight DESC, other LIMIT ?`,
    ).all(openid, kind, limit) as SocialLink[];
  }

  async setHidden(openid: string, hidden: boolean): Promise<void> {
    if (hidden)
      prepared(this.db, 'INSERT INTO social_hidden (openid) VALUES (?) ON CONFLICT DO NOTHING').run(
        openid,
      );
    else prepared(this.db, 'DELETE FROM social_hidden WHERE openid = ?').run(openid);
  }

  async hidden(openids: string[]): Promise<string[]> {
    const out: string[] = [];
    const unique = [...new Set(openids)];
    for (let i = 0; i < unique.length; i += 500) {
      const part = unique.slice(i, i + 500);
      out.push(
        ...(prepared(
          this.db,
          `SELECT openid FROM social_hidden WHERE openid IN (${placeholders(part.length)})`,
        )
          .pluck()
          .all(...part) as string[]),
      );
    }
    return out;
  }

  async forget(openid: string): Promise<void> {
    this.erase(openid);
  }
}
