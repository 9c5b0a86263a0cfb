/** Opaque page cursors of the content function: a (time, id) position, base64url JSON, checked on the way back in. */
import { badRequest } from '../errors';

/** Entries a page of comments or likes holds unless the caller asks for fewer or more (up to MAX_PAGE). */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 50;

export interface Position {
  t: number;
  id: string;
}

export const encodePosition = (p: Position): string =>
  Buffer.from(JSON.stringify([p.t, p.id])).toString('base64url');

export function decodePosition(cursor: string | undefined): Position | null {
  if (cursor === undefined) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      Number.isSafeInteger(v[0]) &&
      typeof v[1] === 'string' &&
      v[1].length > 0 &&
      v[1].length <= 64
    ) {
      return { t: v[0] as number, id: v[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('翻页位置无效，请刷新后重试');
}
