/**
 * Export (PIPL: the right to a copy): everything stored about the user, one collection after
 * another, in pages that each stay under the 1 MB limit on a function's response.
 */
import type { ExportPage } from '../../typings';
import { badRequest } from '../errors';
import type { Stores } from '../ports';

/** Records asked per page; halved while the page is too big. */
export const EXPORT_PAGE = 200;
/** A page's JSON stays under this (the function response cap is 1 MB, with room for the envelope). */
export const EXPORT_MAX_BYTES = 900 * 1024;

interface Position {
  /** Collection index. */
  c: number;
  /** The adapter's cursor inside it. */
  k: string | null;
}

const encode = (p: Position): string => Buffer.from(JSON.stringify(p)).toString('base64url');

function decode(raw: string | undefined, collections: number): Position {
  if (raw === undefined) return { c: 0, k: null };
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Position;
    if (
      Number.isInteger(v.c) &&
      v.c >= 0 &&
      v.c < collections &&
      (v.k === null || (typeof v.k === 'string' && v.k.length <= 400))
    )
      return v;
  } catch {
    // fall through
  }
  throw badRequest('导出位置无效，请重新开始导出');
}

export async function exportPage(
  stores: Stores,
  openid: string,
  cursor: string | undefined,
): Promise<ExportPage> {
  const names = stores.personal.collections;
  const at = decode(cursor, names.length);
  const collection = names[at.c];
  let limit = EXPORT_PAGE;
  for (;;) {
    let page;
    try {
      page = await stores.personal.read(collection, openid, at.k, limit);
    } catch (err) {
      if (err instanceof Error && /cursor/.test(err.message))
        throw badRequest('导出位置无效，请重新开始导出');
      throw err;
    }
    if (Buffer.byteLength(JSON.stringify(page.records)) > EXPORT_MAX_BYTES && limit > 1) {
      limit = Math.ceil(limit / 2);
      continue;
    }
    const next: Position | null =
      page.cursor !== null
        ? { c: at.c, k: page.cursor }
        : at.c + 1 < names.length
          ? { c: at.c + 1, k: null }
          : null;
    return { collection, records: page.records, cursor: next ? encode(next) : null };
  }
}
