/**
 * The feed session cursor: which session (a random id), which page comes next, how many cards
 * were served, and the channel. Page p's slate id is "<session>.<p>", so what a session served
 * is read back from the slate log (server-side) instead of riding in the cursor, for a user
 * whose slates are logged. For one whose are not (no recorded consent, or being erased: see
 * server/privacy/gate.ts), the cursor carries the session's state itself: the items served (a
 * Bloom filter, server/functions/recommend/served-filter.ts) and the ads served with when.
 *
 * The cursor is not signed: what a carried state can change is only what its holder is shown
 * (a forged one repeats or skips items in their own feed, or counts fewer of the session's ads
 * towards their own frequency cap; clicks of users whose slates are not logged are never
 * charged), and a page served on a carried session is logged under a fresh id when its
 * "<session>.<p>" is already taken (see servePage), so a forged session id cannot touch
 * another user's slates.
 */
import { z } from 'zod';
import { invalidInput } from '../../errors';
import type { SessionAd } from './ads';
import { ServedFilter } from './served-filter';

/** Pages one session may have; past this the feed ends (a refresh starts a new session). */
export const MAX_PAGES = 50;
/** Ads a carried state remembers (the latest): more than a session shows with the configured slots. */
export const CARRIED_ADS = 12;
/** Longest cursor the function accepts (a carried one is about 1.5 KB). */
export const MAX_CURSOR_CHARS = 4_000;

const shape = z.strictObject({
  s: z.string().regex(/^[0-9a-f-]{36}$/),
  p: z.number().int().min(1).max(MAX_PAGES),
  n: z.number().int().min(0),
  c: z.string().min(1).max(20),
  /** Carried state only: ads served in this session, [campaign id, served at epoch ms]. */
  a: z
    .array(z.tuple([z.string().min(1).max(64), z.number().int().min(0)]))
    .max(CARRIED_ADS)
    .optional(),
});

/** A session's state held by the client (its pages were not logged). */
export interface CarriedSession {
  items: ServedFilter;
  ads: SessionAd[];
}

export interface FeedCursor {
  s: string;
  p: number;
  n: number;
  c: string;
  /** Present when the session's state rides in the cursor rather than in the slate log. */
  carried?: CarriedSession;
}

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

export function encodeCursor(c: FeedCursor): string {
  const { carried, ...head } = c;
  if (!carried) return b64(Buffer.from(JSON.stringify(head)));
  const a = carried.ads.slice(-CARRIED_ADS).map((x) => [x.adId, x.at]);
  return `${b64(Buffer.from(JSON.stringify({ ...head, a })))}.${b64(carried.items.encode())}`;
}

export const badCursor = () =>
  invalidInput([{ path: 'cursor', message: '翻页位置无效，请下拉刷新后重试' }]);

export function decodeCursor(raw: string, channel: string): FeedCursor {
  const [head, filter, ...rest] = raw.split('.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const c = shape.safeParse(parsed);
  if (
    !c.success ||
    c.data.c !== channel ||
    rest.length > 0 ||
    (filter === undefined) !== (c.data.a === undefined)
  )
    throw badCursor();
  const { a, ...cursor } = c.data;
  if (filter === undefined) return cursor;
  const items = /^[A-Za-z0-9_-]+$/.test(filter)
    ? ServedFilter.decode(Buffer.from(filter, 'base64url'))
    : null;
  if (!items) throw badCursor();
  return { ...cursor, carried: { items, ads: a!.map(([adId, at]) => ({ adId, at })) } };
}

export const slateIdOf = (session: string, page: number): string => `${session}.${page}`;
