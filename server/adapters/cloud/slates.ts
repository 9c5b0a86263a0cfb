/**
 * SlateLog over the cloud database: one document per slate keyed by a hash of its id; the slate
 * itself is JSON text (its item ids come from the catalog and must not become field paths).
 */
import type { ServedSlate, SlateLog } from '../../ports/slates';
import {
  chunk,
  docId,
  isDuplicateKey,
  mapLimit,
  MAX_IN_FLIGHT,
  scalar,
  settle,
  type Database,
} from './sdk';
import { COLLECTIONS } from './collections';

export const SLATES = COLLECTIONS.slates.name;
/** Ids per `_.in` lookup: 100 slates of ≤ 50 cards stay far below the 1 MB result cap. */
const LOOKUP = 100;

export interface JsonDoc {
  _id: string;
  doc: string;
}

/** The JSON documents stored under the given _ids in a collection, in lookups of `size`. */
export async function fetchDocs<T>(
  db: Database,
  collection: string,
  ids: readonly string[],
  size = LOOKUP,
): Promise<T[]> {
  const _ = db.command;
  const parts = chunk([...new Set(ids)], size);
  const pages = await mapLimit(parts, MAX_IN_FLIGHT, async (part) => {
    const res = await settle(
      db
        .collection(collection)
        .where({ _id: _.in(part) })
        .limit(part.length)
        .get(),
    );
    return (res.data as JsonDoc[]).map((d) => JSON.parse(d.doc) as T);
  });
  return pages.flat();
}

export class CloudSlateLog implements SlateLog {
  constructor(private readonly db: Database) {}

  async append(slate: ServedSlate): Promise<boolean> {
    const data = {
      _id: docId(scalar(slate.slateId, 'slate id')),
      slateId: slate.slateId,
      openid: scalar(slate.openid, 'openid'),
      servedAt: scalar(slate.servedAt, 'servedAt'),
      doc: JSON.stringify(slate),
    };
    try {
      await settle(this.db.collection(SLATES).add({ data }));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async get(slateIds: string[]): Promise<ServedSlate[]> {
    const docs = await fetchDocs<ServedSlate>(
      this.db,
      SLATES,
      slateIds.map((id) => docId(scalar(id, 'slate id'))),
    );
    const wanted = new Set(slateIds);
    return docs.filter((s) => wanted.has(s.slateId));
  }
}
