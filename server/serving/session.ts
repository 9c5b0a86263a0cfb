/**
 * The feed session, the one owner of its cursor: which session (a random id), which page comes next, how many cards
 * were served, and the channel. Page p's slate id is "<session>.<p>", so what a session served
 * is read back from the slate log (server-side) instead of riding in the cursor, for a user
 * whose slates are logged. For one whose are not (no recorded consent, or being erased: see
 * server/privacy/gate.ts), the cursor carries the session's state itself: the items served (a
 * Bloom filter, served-filter.ts) and the ads served with when.
 *
 * The cursor is not signed: what a carried state can change is only what its holder is shown
 * (a forged one repeats or skips items in their own feed, or counts fewer of the session's ads
 * towards their own frequency cap; clicks of users whose slates are not logged are never
 * charged), and a page served on a carried session is logged under a fresh id when its
 * "<session>.<p>" is already taken (see page/slate.ts), so a forged session id cannot touch
 * another user's slates.
 *
 * The cursor is decoded once (openSession) into a FeedSession that the page is served with, and
 * the next one is encoded once (nextCursor) from it and what the page served; its wire format
 * is private to this module.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FeedCard } from '../../typings';
import { distanceKm } from '../engine/ranking/candidates/nearby';
import { invalidInput } from '../errors';
import type { SessionAd } from './ads';
import { ServedFilter } from './served-filter';

/** Pages one session may have; past this the feed ends (a refresh starts a new session). */
export const MAX_PAGES = 50;
/** Ads a carried state remembers (the latest): more than a session shows with the configured slots. */
export const CARRIED_ADS = 12;
/** Longest cursor the function accepts (a carried one is about 1.5 KB). */
export const MAX_CURSOR_CHARS = 4_000;

/** A session's state held by the client (its pages were not logged). */
export interface CarriedSession {
  items: ServedFilter;
  ads: SessionAd[];
}

/** Where a feed session stands as one of its pages is served. */
export interface FeedSession {
  /** The session's random id; page p's slate id is "<id>.<p>". */
  id: string;
  /** The page being served (0: the first). */
  page: number;
  /** Cards the session served before this page (its first card's position). */
  offset: number;
  /** The channel the session pages through (the cursor is refused on any other). */
  channel: string;
  /** Present when the session's state rides in the cursor rather than in the slate log. */
  carried?: CarriedSession;
  /** The location the session's last page was served for (旅游出行), kept only in the cursor. */
  located?: Located;
}

/** A location a page was served for: GCJ-02 degrees (rounded to 3 decimals, about 100 m) and when. */
export interface Located {
  lat: number;
  lng: number;
  at: number;
}

/** Faster than an airliner between two pages of one session: the new location is not believed. */
export const MAX_TRAVEL_KMH = 1000;
/** Jumps shorter than this are positioning noise, whatever the time between them. */
const NOISE_KM = 50;

/** What the session served before a page, and the page itself: what the next cursor is made of. */
export interface ServedPage {
  cards: readonly FeedCard[];
  /** Fewer cards than asked: nothing more to serve in this session. */
  exhausted: boolean;
  /** What the session served before this page, read from its logged slates (empty when carried or kept). */
  before: { items: readonly string[]; ads: readonly SessionAd[] };
  /** Feed positions the page takes, when not its cards' count (a replayed page missing a card). */
  span?: number;
}

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
  /** The last page's location and time (see Located). */
  l: z
    .tuple([z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().int().min(0)])
    .optional(),
});

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

export const badCursor = () =>
  invalidInput([{ path: 'cursor', message: '翻页位置无效，请下拉刷新后重试' }]);

/** The session a request continues (its cursor, checked against the channel asked for), or a new one. */
export function openSession(cursor: string | undefined, channel: string): FeedSession {
  if (cursor === undefined) return { id: randomUUID(), page: 0, offset: 0, channel };
  const [head, filter, ...rest] = cursor.split('.');
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
  const session: FeedSession = {
    id: c.data.s,
    page: c.data.p,
    offset: c.data.n,
    channel,
    ...(c.data.l ? { located: { lat: c.data.l[0], lng: c.data.l[1], at: c.data.l[2] } } : {}),
  };
  if (filter === undefined) return session;
  const items = /^[A-Za-z0-9_-]+$/.test(filter)
    ? ServedFilter.decode(Buffer.from(filter, 'base64url'))
    : null;
  if (!items) throw badCursor();
  return { ...session, carried: { items, ads: c.data.a!.map(([adId, at]) => ({ adId, at })) } };
}

/**
 * The cursor of the session's next page, or null when the session ends (nothing more, or its
 * last page). A session whose pages are not all logged (`logged` false now, or carried before)
 * carries its state in the cursor from here on.
 */
export function nextCursor(
  session: FeedSession,
  served: ServedPage,
  logged: boolean,
  now: number,
  located?: Located | null,
): string | null {
  const next = session.page + 1;
  if (served.exhausted || next >= MAX_PAGES) return null;
  const head = {
    s: session.id,
    p: next,
    n: session.offset + (served.span ?? served.cards.length),
    c: session.channel,
    ...(located ? { l: [located.lat, located.lng, located.at] } : {}),
  };
  if (logged && !session.carried) return b64(Buffer.from(JSON.stringify(head)));
  const carried = carriedAfter(session.carried, served, now);
  const a = carried.ads.slice(-CARRIED_ADS).map((x) => [x.adId, x.at]);
  return `${b64(Buffer.from(JSON.stringify({ ...head, a })))}.${b64(carried.items.encode())}`;
}

/** The session's state after a page: what it carried (or read from its logged slates) plus the page's cards. */
function carriedAfter(
  before: CarriedSession | undefined,
  served: ServedPage,
  now: number,
): CarriedSession {
  const items = before ? before.items.copy() : ServedFilter.of(served.before.items);
  const ads = [...(before?.ads ?? served.before.ads)];
  for (const card of served.cards) {
    if (card.kind === 'content') items.add(card.item.id);
    else ads.push({ adId: card.adId, at: now });
  }
  return { items, ads };
}

/**
 * The location a page is served for: the one the request gives, rounded, unless it is
 * implausibly far from the session's previous one for the time between them (a spoofed or
 * glitched fix); then the previous one stands. No location given: none (the user stopped sharing).
 */
export function locatedFor(
  session: FeedSession,
  given: { lat: number; lng: number } | undefined,
  now: number,
): { located: Located | null; jumped: boolean } {
  if (!given) return { located: null, jumped: false };
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const here: Located = { lat: round(given.lat), lng: round(given.lng), at: now };
  const before = session.located;
  if (!before) return { located: here, jumped: false };
  const km = distanceKm(before, here);
  const hours = Math.max(0, now - before.at) / 3_600_000;
  if (km > NOISE_KM && km > MAX_TRAVEL_KMH * hours) return { located: before, jumped: true };
  return { located: here, jumped: false };
}

/** The slate id of a session's page. */
export const slateIdOf = (sessionId: string, page: number): string => `${sessionId}.${page}`;
