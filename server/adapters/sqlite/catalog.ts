/** Catalog over SQLite: items keyed by id, listed newest first by (published_at, id). */
import type { ContentItem } from '../../../typings';
import type { Catalog, CatalogQuery } from '../../ports';
import { prepareCounterUpsert } from './counters';
import type { Db } from './db';
import { prepared } from './statements';

/** The revision is a counter row, bumped in the transaction that writes the items. */
const REVISION = ['revision', 'items', 'all', 'n'] as const;

interface Row {
  id: string;
  title: string;
  summary: string;
  category: string;
  tags: string;
  cover: string;
  author_id: string;
  published_at: number;
  status: ContentItem['status'];
  risk_level: number | null;
  place: string | null;
}

const fromRow = (r: Row): ContentItem => ({
  id: r.id,
  title: r.title,
  summary: r.summary,
  category: r.category,
  tags: JSON.parse(r.tags) as string[],
  cover: r.cover,
  authorId: r.author_id,
  publishedAt: r.published_at,
  status: r.status,
  ...(r.place !== null ? { place: JSON.parse(r.place) as NonNullable<ContentItem['place']> } : {}),
  ...(r.risk_level !== null
    ? { riskLevel: r.risk_level as NonNullable<ContentItem['riskLevel']> }
    : {}),
});

/** Exactly the place's three fields, in a fixed order. */
const placeOf = (p: NonNullable<ContentItem['place']>) => ({
  city: p.city,
  lat: p.lat,
  lng: p.lng,
});

export class SqliteCatalog implements Catalog {
  private readonly db: Db;
  private readonly upsertAll;

  constructor(db: Db) {
    this.db = db;
    const put = db.prepare(
      `INSERT OR REPLACE INTO items (id, title, summary, category, tags, cover, author_id, published_at, status, risk_level, place)
       VALUES (@id, @title, @summary, @category, @tags, @cover, @authorId, @publishedAt, @status, @riskLevel, @place)`,
    );
    const bump = prepareCounterUpsert(db);
    this.upsertAll = db.transaction((items: ContentItem[]) => {
      for (const it of items)
        put.run({
          ...it,
          tags: JSON.stringify(it.tags),
          riskLevel: it.riskLevel ?? null,
          place: it.place ? JSON.stringify(placeOf(it.place)) : null,
        });
      bump.get(...REVISION, 1);
    });
  }

  async upsert(items: ContentItem[]): Promise<void> {
    this.upsertAll(items);
  }

  async get(ids: string[]): Promise<ContentItem[]> {
    const byId = new Map<string, ContentItem>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT * FROM items WHERE id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as Row[];
      for (const r of rows) byId.set(r.id, fromRow(r));
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async list(q: CatalogQuery): Promise<ContentItem[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.status !== undefined) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.category !== undefined) {
      where.push('category = ?');
      args.push(q.category);
    }
    if (q.after !== undefined) {
      where.push('(published_at < ? OR (published_at = ? AND id < ?))');
      args.push(q.after.publishedAt, q.after.publishedAt, q.after.id);
    }
    const sql = `SELECT * FROM items ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY published_at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map(fromRow);
  }

  async count(): Promise<number> {
    return this.db.prepare('SELECT COUNT(*) FROM items').pluck().get() as number;
  }

  async putBodies(bodies: { itemId: string; body: string }[]): Promise<void> {
    const put = prepared(
      this.db,
      'INSERT OR REPLACE INTO item_bodies (item_id, body) VALUES (?, ?)',
    );
    this.db.transaction(() => {
      for (const b of bodies) put.run(b.itemId, b.body);
    })();
  }

  async body(itemId: string): Promise<string | null> {
    const v = prepared(this.db, 'SELECT body FROM item_bodies WHERE item_id = ?')
      .pluck()
      .get(itemId) as string | undefined;
    return v ?? null;
  }

  async bodies(itemIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < itemIds.length; i += 500) {
      const part = itemIds.slice(i, i + 500);
      const rows = prepared(
        this.db,
        `SELECT item_id, body FROM item_bodies WHERE item_id IN (${part.map(() => '?').join(',')})`,
      ).all(...part) as { item_id: string; body: string }[];
      for (const r of rows) out.set(r.item_id, r.body);
    }
    return out;
  }

  async revision(): Promise<number> {
    const [scope, id, bucket, field] = REVISION;
    const v = this.db
      .prepare('SELECT value FROM counters WHERE scope = ? AND id = ? AND bucket = ? AND field = ?')
      .pluck()
      .get(scope, id, bucket, field) as number | undefined;
    return v ?? 0;
  }
}
