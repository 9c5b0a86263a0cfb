/**
 * The `content` function's contract: what the end-user pages read and write about content
 * beyond the feed — one item or ad by id (a shared link opened cold), comments, and the
 * caller's liked history. Identity always comes from the WeChat context.
 */
import type { AdCard, AdReason, ContentCard, RichNode } from './content';
import type { Offer } from './pay';

/** An item as the feed shows it. */
export type ItemView = ContentCard['item'];

/**
 * An ad's landing content without a feed slot: the reason is present only when it came from a
 * served card; the offer (what the landing page sells through WeChat Pay) only from `ad.get`.
 */
export type AdView = Omit<AdCard, 'position' | 'reason'> & { reason?: AdReason; offer?: Offer };

/** A visible comment. */
export interface CommentView {
  id: string;
  itemId: string;
  text: string;
  /** "我" for the caller's own comments, otherwise a pseudonym that differs per item (no name is stored or shown). */
  author: string;
  /** Server time it was posted, epoch ms. */
  createdAt: number;
  /** True when the caller wrote it (they may delete it). */
  mine: boolean;
  /** A reply: the thread's top-level comment. */
  parentId?: string;
  /** A reply to a reply: the pseudonym (or "我") of the one it answers. */
  replyToAuthor?: string;
  /** The caller's own comment held for review (WeChat's check): only they see it, marked 审核中. */
  inReview?: true;
  /** A top-level comment's replies that the caller may see, oldest first (one level of nesting). */
  replies?: CommentView[];
}

/** Why a comment is reported (举报): 垃圾广告, 辱骂攻击, 色情低俗, 违法违规, 其他. */
export type ReportReason = 'spam' | 'abuse' | 'porn' | 'illegal' | 'other';

/** A comment in the platform admins' moderation queue. */
export interface FlaggedComment {
  id: string;
  itemId: string;
  text: string;
  /** The pseudonym the item's readers see. */
  author: string;
  createdAt: number;
  /** When it entered the queue (reported, or held for review). */
  flaggedAt: number;
  /** WeChat's check held it for review (only its author sees it until decided). */
  inReview: boolean;
  reports: number;
  reasons: Partial<Record<ReportReason, number>>;
}

/** One entry of the caller's liked history. */
export interface LikedEntry {
  item: ItemView;
  /** When the item was (last) liked, device time, epoch ms. */
  likedAt: number;
}

/** Another user as the social pages show them: a handle (never an openid) and a made-up name. */
export interface SocialPerson {
  handle: string;
  name: string;
  /** True when the caller follows them. */
  following?: boolean;
}

/** A group or community suggested to join (推荐圈子). */
export interface SocialGroup {
  /** "group:<digest of the openGId>" for a WeChat group, "community:<n>" for a community of the share graph. */
  id: string;
  name: string;
  score: number;
}

/** A content author (creator) as the pages show them: the catalog's author id and a name made from it. */
export interface AuthorView {
  id: string;
  name: string;
  /** True when the caller follows them. */
  following: boolean;
}

export type ContentRequest =
  | { action: 'item.get'; itemId: string }
  | { action: 'ad.get'; adId: string }
  /** Newest first; pass the returned cursor back for the next page. limit 1–50, default 20. */
  | { action: 'comment.list'; itemId: string; cursor?: string; limit?: number }
  /**
   * Posts a comment (trimmed; 1–500 characters; no control characters; a minimal word blocklist):
   * COMMENT_REJECTED with the reason otherwise. Needs a recorded consent. slateId/position name
   * where the item was served, so the comment counts as engagement with that slate.
   */
  | {
      action: 'comment.post';
      itemId: string;
      text: string;
      slateId?: string;
      position?: number;
      /** Replies to this comment of the same item (its thread; a reply to a reply names whom it answers). */
      replyTo?: string;
    }
  /** Deletes one of the caller's own comments. */
  | { action: 'comment.delete'; commentId: string }
  /**
   * 举报: reports a comment the caller can see and did not write, once (a repeat changes nothing);
   * RATE_LIMITED past 5 a minute.
   */
  | { action: 'comment.report'; commentId: string; reason: ReportReason }
  /** Platform admins: the moderation queue (reported and held comments), most recently flagged first. */
  | { action: 'comment.flagged'; cursor?: string; limit?: number }
  /** Platform admins: hides a comment from everyone or restores it (audited). */
  | { action: 'comment.moderate'; commentId: string; decision: 'hide' | 'restore' }
  /**
   * Likes (liked: true) or takes back a like of an item, stored at once as the caller's own data;
   * `at` is the tap's device time (epoch ms, within a day of the server's), the same the tracker's
   * like / unlike event carries: the latest tap wins. Needs a recorded consent.
   */
  | { action: 'like.set'; itemId: string; liked: boolean; at: number }
  /**
   * 搜索: published items matching the query (1–50 characters) in title, tags, summary or body,
   * best first (BM25 over jieba words), re-ranked by the caller's interests when their feed is
   * personalised. limit 1–50, default 20.
   */
  | { action: 'search'; query: string; limit?: number }
  /**
   * 热门搜索: the queries most people searched in the last 7 days, rolled up by `train` (each
   * searched by at least K distinct users, filtered like comments; at most 10). No consent needed:
   * it names no one.
   */
  | { action: 'search.hot' }
  /** The caller's liked items (latest like not undone), newest first. limit 1–50, default 20. */
  | { action: 'likes.list'; cursor?: string; limit?: number }
  /**
   * Follows a person by a handle the caller was shown (a suggestion, a follower, a tie): NOT_FOUND
   * otherwise, INVALID_INPUT for oneself, RATE_LIMITED past 20 taps a minute. Needs a consent.
   */
  | { action: 'social.follow'; handle: string }
  | { action: 'social.unfollow'; handle: string }
  /** 关注 / 粉丝: the first `limit` (1–50, default 20). */
  | { action: 'social.following' | 'social.followers'; limit?: number }
  /** 可能认识的人, 推荐圈子 and whether the caller is hidden from others' social proof. */
  | { action: 'social.suggestions' }
  /** Hides the caller from others' social proof (or shows them again). */
  | { action: 'social.hide'; hidden: boolean }
  /**
   * The caller opened a share (`shareId`, when the page knows it) inside a group chat:
   * `cloudID` is `wx.getShareInfo`'s, which WeChat must vouch for (INVALID_INPUT when forged,
   * expired or another user's; the local host accepts only `local-share-info:<openGId>`). Needs
   * a consent; RATE_LIMITED past 10 a minute. `joined`: the membership is new.
   */
  | { action: 'social.group'; cloudID: string; shareId?: string }
  /**
   * 行程 (旅游出行): saves a travel item (one with a place) to the caller's trip, at most 50,
   * in the order added; needs a recorded consent. Repeating an add is harmless.
   */
  | { action: 'trip.add' | 'trip.remove'; itemId: string }
  | { action: 'trip.list' }
  /**
   * Follows the author of a published item (the one the caller is reading: NOT_FOUND otherwise);
   * their new items then come into the caller's feed. Needs a consent; shares the 20 taps a minute.
   */
  | { action: 'author.follow'; itemId: string }
  /** Stops following an author (NOT_FOUND when not followed). */
  | { action: 'author.unfollow'; authorId: string }
  /** The authors the caller follows, the first `limit` (1–50, default 20). */
  | { action: 'author.following'; limit?: number };

export type ContentResponse =
  /**
   * socialProof: how many of the caller's close ties liked the item ("3 位好友赞过"), present only
   * from 3 up; only ties who consented and did not hide themselves count, and no one is named.
   */
  | {
      action: 'item.get';
      item: ItemView;
      liked: boolean;
      socialProof?: number;
      /** The item's author and whether the caller follows them (关注作者); always sent by this server. */
      author?: AuthorView;
      /** The item's body as `rich-text` nodes (sanitised by the server; empty when it has none). */
      body?: RichNode[];
      /** Users who like it now, and its comments and replies everyone sees. */
      likes?: number;
      comments?: number;
    }
  | { action: 'ad.get'; ad: AdView }
  | { action: 'comment.list'; comments: CommentView[]; cursor: string | null }
  | { action: 'comment.post'; comment: CommentView }
  | { action: 'comment.delete'; deleted: true }
  | { action: 'comment.report'; reported: true }
  | { action: 'comment.flagged'; comments: FlaggedComment[]; cursor: string | null }
  | { action: 'comment.moderate'; decision: 'hide' | 'restore' }
  | { action: 'likes.list'; items: LikedEntry[]; cursor: string | null }
  /** personalised: the order took the caller's interest profile into account. */
  | { action: 'search'; items: ItemView[]; personalised: boolean }
  /** Most searched first; empty before enough people searched. */
  | { action: 'search.hot'; queries: string[] }
  /** The caller's like state of the item as stored after the call. */
  | { action: 'like.set'; liked: boolean }
  | { action: 'social.follow'; person: SocialPerson }
  | { action: 'social.unfollow'; unfollowed: true }
  | { action: 'social.following' | 'social.followers'; people: SocialPerson[] }
  | {
      action: 'social.suggestions';
      people: SocialPerson[];
      groups: SocialGroup[];
      hidden: boolean;
    }
  | { action: 'social.hide'; hidden: boolean }
  | { action: 'social.group'; joined: boolean }
  | { action: 'trip.add' | 'trip.remove' | 'trip.list'; trip: TripView }
  | { action: 'author.follow'; author: AuthorView }
  | { action: 'author.unfollow'; unfollowed: true }
  | { action: 'author.following'; authors: AuthorView[] };

/** A user's 行程: the saved items in the order added, and their cities in that order. */
export interface TripView {
  entries: { item: ItemView; city: string; addedAt: number }[];
  cities: string[];
}
