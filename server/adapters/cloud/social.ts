/**
 * The social port over the cloud database: a follow is one document (_id hashed from follower and
 * followee, so a repeat insert fails on the key and changes nothing), a group membership likewise
 * by (group, openid), a repeat moving its time forward only; a round's links replace the
 * user's previous ones (removed, then added: a reader between the two sees fewer links, never a
 * mix of rounds' weights for one link).
 */
import type {
  Follow,
  GroupMembership,
  LinkKind,
  Social,
  SocialLink,
  SocialRecord,
} from '../../ports/social';
import { COLLECTIONS } from './collections';
import {
  chunk,
  docId,
  isDuplicateKey,
  mapLimit,
  MAX_GET,
  MAX_IN_FLIGHT,
  scalar,
  settle,
  type Database,
} from './sdk';

const FOLLOWS = COLLECTIONS.socialFollows.name;
const RECORDS = COLLECTIONS.socialRecords.name;
const LINKS = COLLECTIONS.socialLinks.name;
const HIDDEN = COLLECTIONS.socialHidden.name;
const GROUPS = COLLECTIONS.socialGroups.name;

const asMembership = (d: GroupMembership): GroupMembership => ({
  openid: d.openid,
  group: d.group,
  at: d.at,
  shareId: d.shareId ?? null,
});

const asFollow = (d: Follow): Follow => ({ follower: d.follower, followee: d.followee, at: d.at });

export class CloudSocial implements Social {
  constructor(private readonly db: Database) {}

  async follow(f: Follow): Promise<boolean> {
    const _id = docId(scalar(f.follower, 'follower'), scalar(f.followee, 'followee'));
    try {
      await settle(
        this.db.collection(FOLLOWS).add({ data: { _id, ...asFollow(f), at: scalar(f.at, 'at') } }),
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async unfollow(follower: string, followee: string): Promise<boolean> {
    const _id = docId(scalar(follower, 'follower'), scalar(followee, 'followee'));
    const res = await settle(this.db.collection(FOLLOWS).where({ _id }).remove());
    return res.stats.removed > 0;
  }

  async following(openid: string, after: string | null, limit: number): Promise<Follow[]> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(FOLLOWS)
        .where({ follower: scalar(openid, 'openid'), followee: _.gt(scalar(after ?? '', 'after')) })
        .orderBy('followee', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as Follow[]).map(asFollow);
  }

  async followers(openid: string, after: string | null, limit: number): Promise<Follow[]> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(FOLLOWS)
        .where({ followee: scalar(openid, 'openid'), follower: _.gt(scalar(after ?? '', 'after')) })
        .orderBy('follower', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as Follow[]).map(asFollow);
  }

  async followsSince(follower: string, since: number): Promise<number> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(FOLLOWS)
        .where({ follower: scalar(follower, 'follower'), at: _.gte(scalar(since, 'since')) })
        .count(),
    );
    return res.total;
  }

  async allFollows(
    after: Pick<Follow, 'follower' | 'followee'> | null,
    limit: number,
  ): Promise<Follow[]> {
    const _ = this.db.command;
    const cond = after
      ? _.or([
          { follower: _.gt(scalar(after.follower, 'after.follower')) },
          { follower: after.follower, followee: _.gt(scalar(after.followee, 'after.followee')) },
        ])
      : {};
    const res = await settle(
      this.db
        .collection(FOLLOWS)
        .where(cond)
        .orderBy('follower', 'asc')
        .orderBy('followee', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as Follow[]).map(asFollow);
  }

  async joinGroup(m: GroupMembership): Promise<boolean> {
    const _id = docId(scalar(m.group, 'group'), scalar(m.openid, 'openid'));
    const data = asMembership({ ...m, at: scalar(m.at, 'at') });
    if (data.shareId !== null) scalar(data.shareId, 'shareId');
    try {
      await settle(this.db.collection(GROUPS).add({ data: { _id, ...data } }));
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Already a member: only a later open moves the time (and its share) forward.
    const _ = this.db.command;
    await settle(
      this.db
        .collection(GROUPS)
        .where({ _id, at: _.lte(data.at) })
        .update({ data: { at: data.at, shareId: data.shareId } }),
    );
    return false;
  }

  async allMemberships(
    after: Pick<GroupMembership, 'group' | 'openid'> | null,
    limit: number,
  ): Promise<GroupMembership[]> {
    const _ = this.db.command;
    const cond = after
      ? _.or([
          { group: _.gt(scalar(after.group, 'after.group')) },
          { group: after.group, openid: _.gt(scalar(after.openid, 'after.openid')) },
        ])
      : {};
    const res = await settle(
      this.db
        .collection(GROUPS)
        .where(cond)
        .orderBy('group', 'asc')
        .orderBy('openid', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as GroupMembership[]).map(asMembership);
  }

  async putRecord(record: SocialRecord, links: SocialLink[]): Promise<void> {
    const openid = scalar(record.openid, 'openid');
    await settle(
      this.db
        .collection(RECORDS)
        .doc(docId(openid))
        .set({ data: { openid, updatedAt: record.updatedAt, features: { ...record.features } } }),
    );
    await settle(this.db.collection(LINKS).where({ openid }).remove());
    const unique = new Map(links.map((l) => [`${l.kind}\u0000${l.other}`, l]));
    await mapLimit([...unique.values()], MAX_IN_FLIGHT, (l) =>
      settle(
        this.db.collection(LINKS).add({
          data: {
            _id: docId(openid, l.kind, scalar(l.other, 'other')),
            openid,
            kind: l.kind,
            other: l.other,
            weight: scalar(l.weight, 'weight'),
          },
        }),
      ),
    );
  }

  async record(openid: string): Promise<SocialRecord | null> {
    const res = await settle(
      this.db
        .collection(RECORDS)
        .where({ _id: docId(scalar(openid, 'openid')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as SocialRecord[])[0];
    return d ? { openid: d.openid, updatedAt: d.updatedAt, features: d.features } : null;
  }

  async links(openid: string, kind: LinkKind, limit: number): Promise<SocialLink[]> {
    const res = await settle(
      this.db
        .collection(LINKS)
        .where({ openid: scalar(openid, 'openid'), kind: scalar(kind, 'kind') })
        .orderBy('weight', 'desc')
        .orderBy('other', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as SocialLink[]).map((d) => ({
      kind: d.kind,
      other: d.other,
      weight: d.weight,
    }));
  }

  async setHidden(openid: string, hidden: boolean): Promise<void> {
    const ref = this.db.collection(HIDDEN).doc(docId(scalar(openid, 'openid')));
    if (hidden) await settle(ref.set({ data: { openid } }));
    else
      await settle(
        this.db
          .collection(HIDDEN)
          .where({ _id: docId(openid) })
          .remove(),
      );
  }

  async hidden(openids: string[]): Promise<string[]> {
    const _ = this.db.command;
    const out: string[] = [];
    for (const part of chunk([...new Set(openids)], 100)) {
      const ids = part.map((id) => docId(scalar(id, 'openid')));
      const res = await settle(
        this.db
          .collection(HIDDEN)
          .where({ _id: _.in(ids) })
          .limit(part.length)
          .get(),
      );
      out.push(...(res.data as { openid: string }[]).map((d) => d.openid));
    }
    return out;
  }

  async forget(openid: string): Promise<void> {
    const id = scalar(openid, 'openid');
    await settle(this.db.collection(FOLLOWS).where({ follower: id }).remove());
    await settle(this.db.collection(FOLLOWS).where({ followee: id }).remove());
    await settle(this.db.collection(GROUPS).where({ openid: id }).remove());
    await settle(this.db.collection(LINKS).where({ openid: id }).remove());
    await settle(this.db.collection(LINKS).where({ other: id }).remove());
    await settle(
      this.db
        .collection(RECORDS)
        .where({ _id: docId(id) })
        .remove(),
    );
    await settle(
      this.db
        .collection(HIDDEN)
        .where({ _id: docId(id) })
        .remove(),
    );
  }
}
