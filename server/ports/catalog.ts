/** Catalog port: the content items the feed recommends. */
import type { ContentItem, ItemStatus } from '../../typings';

export interface CatalogQuery {
  status?: ItemStatus;
  category?: string;
  /** Newest first; continue strictly after this (publishedAt, id) position. */
  after?: { publishedAt: number; id: string };
  limit: number;
}

export interface Catalog {
  /** Inserts or replaces items by id, and bumps the revision. */
  upsert(items: ContentItem[]): Promise<void>;
  /**
   * The catalog's revision: every write bumps it (an unpublished or edited item too, which count
   * and newest item miss), so a warm instance checks it to know when to reload. 0 before any write.
   */
  revision(): Promise<number>;
  /** Items by id, in the order asked; unknown ids are left out. */
  get(ids: string[]): Promise<ContentItem[]>;
  /** Items newest first (publishedAt desc, id desc). */
  list(query: CatalogQuery): Promise<ContentItem[]>;
  count(): Promise<number>;
  /**
   * Stores item bodies (the detail page's text, Markdown) by item id, replacing earlier ones. Kept
   * apart from the items: the feed loads every item and never the bodies.
   */
  putBodies(bodies: { itemId: string; body: string }[]): Promise<void>;
  /** The item's body, or null when it has none. */
  body(itemId: string): Promise<string | null>;
  /** Bodies by item id (items without one are absent): what search indexes. */
  bodies(itemIds: string[]): Promise<Map<string, string>>;
}
