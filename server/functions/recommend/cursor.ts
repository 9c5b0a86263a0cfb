/**
 * The feed session cursor: which session (a random id), which page comes next, how many cards
 * were served, and the channel. Page p's slate id is "<session>.<p>", so what a session served
 * is read back from the slate log (server-side) instead of riding in the cursor.
 */
import { z } from 'zod';
import { invalidInput } from '../../errors';

/** Pages one session may have; past this the feed ends (a refresh starts a new session). */
export const MAX_PAGES = 50;

const shape = z.strictObject({
  s: z.string().regex(/^[0-9a-f-]{36}$/),
  p: z.number().int().min(1).max(MAX_PAGES),
  n: z.number().int().min(0),
  c: z.string().min(1).max(20),
});
export type FeedCursor = z.infer<typeof shape>;

export const encodeCursor = (c: FeedCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export const badCursor = () => invalidInput([{ path: 'cursor', message: '翻页位置无效，请下拉刷新后重试' }]);

export function decodeCursor(raw: string, channel: string): FeedCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const c = shape.safeParse(parsed);
  if (!c.success || c.data.c !== channel) throw badCursor();
  return c.data;
}

export const slateIdOf = (session: string, page: number): string => `${session}.${page}`;
