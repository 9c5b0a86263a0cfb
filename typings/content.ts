/** Content catalog shapes shared by the functions and the Mini Program. */
import type { Creative } from './ads';

export type ItemStatus = 'published' | 'unpublished';

export interface ContentItem {
  id: string;
  title: string;
  summary: string;
  /** One category per item, e.g. "美食". */
  category: string;
  tags: string[];
  /** Cover image: a cloud file id, an https URL, or empty. */
  cover: string;
  authorId: string;
  /** Epoch milliseconds. */
  publishedAt: number;
  status: ItemStatus;
  /** R1–R5 when the item is a financial product (金融理财): recommended only within a user's risk tolerance. */
  riskLevel?: 1 | 2 | 3 | 4 | 5;
  /** Where a travel item (route, guide, hotel: 旅游出行) is: its city and GCJ-02 coordinates. */
  place?: Place;
}

/** A point on the map as WeChat gives it (wx.getLocation type 'gcj02'), with the city it is in. */
export interface Place {
  city: string;
  lat: number;
  lng: number;
}

/** A content card of a served feed slate. */
export interface ContentCard {
  kind: 'content';
  position: number;
  item: Pick<
    ContentItem,
    'id' | 'title' | 'summary' | 'category' | 'tags' | 'cover' | 'publishedAt'
  > & {
    /** A travel item's city (旅游出行), and how far it is from where the user is, when they shared that. */
    place?: { city: string; distanceKm?: number };
  };
  /**
   * The click model's tap probability for this card (0..1, 4 decimals), absent when no model
   * scored it (before the first trained model, an exploration card). Issue 18: prefetch input.
   */
  pctr?: number;
  /**
   * How many of the viewer's close ties liked the item ("3 位好友赞过"): present only from 3 up,
   * counting only ties who consented and did not hide themselves; never who.
   */
  socialProof?: number;
}

/** Why an ad was shown ("为什么看到这条广告"): the targeting rule that matched, in words. */
export interface AdReason {
  /**
   * interest: the user's interests matched the ad's tags; context: the content on this page
   * did (the only kind used when personalisation is off); demographic: the city, gender or age
   * band the user shared did; buyers: the ad targets likely buyers and the user's purchase
   * propensity (from their pay-verified orders) is among them; broad: the ad targets everyone here.
   */
  code: 'interest' | 'context' | 'demographic' | 'buyers' | 'broad';
  /** Shown to the user, e.g. "你关注了「美食」". */
  text: string;
}

/** A native ad in a fixed feed slot; always rendered marked as an ad (广告). */
export interface AdCard {
  kind: 'ad';
  position: number;
  /** Always true: the client must label the card as an ad (Advertising Law art. 14). */
  sponsored: true;
  /** The campaign id; ad events name it as `adId`. */
  adId: string;
  /** The merchant's display name. */
  advertiser: string;
  /** The merchant's id; order and pay events name it. */
  merchantId: string;
  creative: Creative;
  reason: AdReason;
}

/** One card of a served feed slate. */
export type FeedCard = ContentCard | AdCard;

/**
 * One node of an item body as the Mini Program's `rich-text` renders it (its `nodes` format):
 * built by the server from a fixed list of tags, with a class, an image's src and alt as the
 * only attributes; text nodes are plain text. No event or style attribute is ever sent.
 */
export type RichNode =
  | { type: 'text'; text: string }
  | {
      name: RichTag;
      attrs?: { class?: string; src?: string; alt?: string };
      children?: RichNode[];
    };

export type RichTag =
  | 'p'
  | 'h3'
  | 'h4'
  | 'strong'
  | 'em'
  | 'br'
  | 'ul'
  | 'ol'
  | 'li'
  | 'blockquote'
  | 'pre'
  | 'code'
  | 'img'
  | 'hr';
