/**
 * Social port: in-app follows (the one edge users write directly), each user's social record that
 * `train` computes from the graph (features, strongest ties, people and groups to suggest), and
 * the switch that hides a user from others' social proof. Personal data: exported and erased with
 * the user, including every record of others that names them.
 */
import type { Follow, GroupMembership } from '../engine/social/evidence';

export type { Follow, GroupMembership } from '../engine/social/evidence';

/** Graph features of one user (readable in the profile; features of the click model). */
export interface SocialFeatures {
  /** Number of ties. */
  degree: number;
  /** Sum of the ties' decayed weights. */
  activity: number;
  /** PageRank over the weighted graph, scaled so the mean node has 1. */
  influence: number;
  /** Local clustering coefficient (share of a user's pairs of ties that are tied themselves). */
  clustering: number;
  /** Louvain community id of the last round, null when the user has no tie. */
  community: number | null;
  /** Mean cosine similarity of interests with the user's ties (0 without profiles). */
  sharedInterest: number;
}

/** A user's record of the latest round. */
export interface SocialRecord {
  openid: string;
  features: SocialFeatures;
  updatedAt: number;
}

/**
 * One directed link of a user's record: `tie` (a close tie, by decayed weight), `person` (a
 * suggested friend, by the link predictor's score), `group` (a suggested community or group),
 * `travel` (a travel-interest tie: travel items shared between the two and opened, by decayed weight).
 */
export type LinkKind = 'tie' | 'person' | 'group' | 'travel';
export interface SocialLink {
  kind: LinkKind;
  /** The other user's openid, or the group / community id for `group`. */
  other: string;
  weight: number;
}

export interface Social {
  /** Records a follow; false when it was already there (its time is then unchanged). */
  follow(f: Follow): Promise<boolean>;
  /** Removes a follow; false when there was none. */
  unfollow(follower: string, followee: string): Promise<boolean>;
  /** Whom the user follows, by followee id, strictly after `after`, at most `limit`. */
  following(openid: string, after: string | null, limit: number): Promise<Follow[]>;
  /** Who follows the user (or author, or group), by follower id, strictly after `after`. */
  followers(openid: string, after: string | null, limit: number): Promise<Follow[]>;
  /** Follows the user made at or after `since` (the rate limit). */
  followsSince(follower: string, since: number): Promise<number>;
  /** Every follow by (follower, followee), strictly after `after` (train pages through them). */
  allFollows(after: Pick<Follow, 'follower' | 'followee'> | null, limit: number): Promise<Follow[]>;

  /**
   * Records that the user is in a group (true when new; a repeat moves `at` and `shareId` to the
   * latest open and answers false).
   */
  joinGroup(m: GroupMembership): Promise<boolean>;
  /** Every membership by (group, openid), strictly after `after` (train pages through them). */
  allMemberships(
    after: Pick<GroupMembership, 'group' | 'openid'> | null,
    limit: number,
  ): Promise<GroupMembership[]>;

  /** Replaces the user's record and all of its links at once (a round's result, whole). */
  putRecord(record: SocialRecord, links: SocialLink[]): Promise<void>;
  record(openid: string): Promise<SocialRecord | null>;
  /** The user's links of one kind, strongest first (weight desc, other asc), at most `limit`. */
  links(openid: string, kind: LinkKind, limit: number): Promise<SocialLink[]>;

  /** Hides (or shows again) the user in others' social proof. */
  setHidden(openid: string, hidden: boolean): Promise<void>;
  /** Which of `openids` are hidden. */
  hidden(openids: string[]): Promise<string[]>;

  /**
   * Erasure: the user's follows both ways, group memberships, record, links, links of others
   * naming them, switch.
   */
  forget(openid: string): Promise<void>;
}
