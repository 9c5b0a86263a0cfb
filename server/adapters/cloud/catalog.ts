/** Catalog over the cloud database: one document per item, keyed by a hash of the item id. */
import type { ContentItem } from '../../../typings';
import type { Catalog, CatalogQuery, Counters } from '../../ports';
import { chunk, docId, mapLimit, MAX_IN_FLIGHT, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const CATALOG = COLLECTIONS.catalog.name;
export const ITEM_BODIES = COLLECTIONS.itemBodies.name;
/** Items per get(): keeps a page of long summaries under the 1 MB result cap. */
const PAGE = 200;
const LOOKUP = 100;

type ItemDoc = ContentItem & { _id: string };

function fromDoc(d: ItemDoc): ContentItem {
  return {
    id: d.id,
    title: d.title,
    summary: d.summary,
    category: d.category,
    tags: d.tags,
    cover: d.cover,
    authorId: d.authorId,
    publishedAt: d.publishedAt,
    status: d.status,
    ...(d.riskLevel !== undefined && d.riskLevel !== null ? { riskLevel: d.riskLevel } : {}),
    ...(d.place ? { place: { city: d.place.city, lat: d.place.lat, lng: d.place.lng } } : {}),
  };
}

/** The revision: a counter document, incremented (`_.inc`) after the items are written. */
const REVISION = { scope: 'revision', id: 'items', bucket: 'all', field: 'n' } as const;

export class CloudCatalog implements Catalog {
  constructor(
    private readonly db: Database,
    private readonly counters: Counters,
  ) {}

  async upsert(items: ContentItem[]): Promise<void> {
    await mapLimit(items, MAX_IN_FLIGHT, (item) =>
      settle(
        this.db
          .collection(CATALOG)
          .doc(docId(scalar(item.id, 'item id')))
          .set({ data: fromDoc(item as ItemDoc) }),
      ),
    );
    // After the items (no transaction across them): whoever sees the new revision reads them.
    // A call that dies in between leaves the revision behind; the warm instances' maximum
    // snapshot age (warm-state.ts) bounds that, and the next write bumps it anyway.
    await this.counters.add([{ ...REVISION, by: 1 }]);
  }

  async revision(): Promise<number> {
    const read = await this.counters.read(REVISION.scope, [REVISION.id], REVISION.bucket);
    return read[REVISION.id]?.[REVISION.field] ?? 0;
  }

  async get(ids: string[]): Promise<ContentItem[]> {
    const _ = this.db.command;
    const found = new Map<string, ContentItem>();
    for (const part of chunk([...new Set(ids)], LOOKUP)) {
      const hashed = part.map((id) => docId(scalar(id, 'item id')));
      const res = await settle(
        this.db
          .collection(CATALOG)
          .where({ _id: _.in(hashed) })
          .limit(part.length)
          .get(),
      );
      for (const d of res.data as ItemDoc[]) found.set(d.id, fromDoc(d));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async list(query: CatalogQuery): Promise<ContentItem[]> {
    const _ = this.db.command;
    const base: Record<string, string> = {};
    if (query.status !== undefined) base.status = scalar(query.status, 'status');
    if (query.category !== undefined) base.category = scalar(query.category, 'category');
    let after = query.after
      ? {
          p: scalar(query.after.publishedAt, 'after.publishedAt'),
          id: scalar(query.after.id, 'after.id'),
        }
      : null;
    const out: ContentItem[] = [];
    while (out.length < query.limit) {
      const cond = after
        ? _.and([
            base,
            _.or([{ publishedAt: _.lt(after.p) }, { publishedAt: after.p, id: _.lt(after.id) }]),
          ])
        : base;
      const want = Math.min(PAGE, query.limit - out.length);
      const res = await settle(
        this.db
          .collection(CATALOG)
          .where(cond)
          .orderBy('publishedAt', 'desc')
          .orderBy('id', 'desc')
          .limit(want)
          .get(),
      );
      const docs = res.data as ItemDoc[];
      out.push(...docs.map(fromDoc));
      if (docs.length < want) break;
      const last = docs[docs.length - 1];
      after = { p: last.publishedAt, id: last.id };
    }
    return out;
  }

  async count(): Promise<number> {
    return (await settle(this.db.collection(CATALOG).count())).total;
  }

  async putBodies(bodies: { itemId: string; body: string }[]): Promise<void> {
    await mapLimit(bodies, MAX_IN_FLIGHT, (b) =>
      settle(
        this.db
          .collection(ITEM_BODIES)
          .doc(docId(scalar(b.itemId, 'item id')))
          .set({ data: { itemId: b.itemId, body: b.body } }),
      ),
    );
  }

  async bodies(itemIds: string[]): Promise<Map<string, string>> {
    const _ = this.db.command;
    const out = new Map<string, string>();
    // Small pages: a body is up to 20,000 characters, and a result must stay under 1 MB.
    for (const part of chunk([...new Set(itemIds)], 20)) {
      const res = await settle(
        this.db
          .collection(ITEM_BODIES)
          .where({ _id: _.in(part.map((id) => docId(scalar(id, 'item id')))) })
          .limit(part.length)
          .get(),
      );
      for (const d of res.data as { itemId?: unknown; body?: unknown }[])
        if (typeof d.itemId === 'string' && typeof d.body === 'string') out.set(d.itemId, d.body);
    }
    return out;
  }

  async body(itemId: string): Promise<string | null> {
    const res = await settle(
      this.db
        .collection(ITEM_BODIES)
        .where({ _id: docId(scalar(itemId, 'item id')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as { body?: unknown }[])[0];
    return typeof d?.body === 'string' ? d.body : null;
  }
}
