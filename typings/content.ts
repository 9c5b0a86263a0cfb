/** Content catalog shapes shared by the functions and the Mini Program. */
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
}

/** One card of a served feed slate. */
export interface FeedCard {
  kind: 'content';
  position: number;
  item: Pick<ContentItem, 'id' | 'title' | 'summary' | 'category' | 'tags' | 'cover' | 'publishedAt'>;
}
