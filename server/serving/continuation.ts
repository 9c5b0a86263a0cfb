/**
 * A session's next pages, ranked with its current one and kept by the warm instance: the feed
 * ranks `PAGES_RANKED` pages at once (rankFeed's `pages`), serves the first, and keeps the
 * rest here, so scrolling on costs a lookup instead of a ranking. (Profiles, neighbour lists
 * and the model change only with `train` rounds, minutes apart, so ranking the next pages now
 * gives what ranking them later would, short of the exploration draws and the position feature.)
 *
 * A continuation is used only for the page it expects, by the user it was ranked for, and while
 * what its ranking read is unchanged: the catalog snapshot, the serving model, the profile's
 * revision, the channel, the personalisation switch, the scene and the experiment parameters
 * (its `key`). Anything else — another instance, a retried or skipped page, a changed profile,
 * a cursor of another user — goes the full way: the session's slates are read and the page is
 * ranked again. Only sessions that are logged have one (the non-personalised feed of a user
 * without consent keeps nothing server-side: its state rides in the cursor).
 */
import type { RankedCard } from '../engine/ranking/pipeline';
import type { SlateCard } from '../ports';
import type { SessionAd } from './ads';

/** Pages ranked together: the page asked for and the next two. */
export const PAGES_RANKED = 3;

export interface Continuation {
  openid: string;
  /** What the ranking read (see above), as one string. */
  key: string;
  /** The page index the continuation serves next, and the page size it was ranked for. */
  next: number;
  limit: number;
  /** Ranked cards of the pages after `next - 1`, in order. */
  cards: RankedCard[];
  modelVersion: string | null;
  /** The session's items and ads served so far (item ids; ads with when), as a slate read would give them. */
  served: string[];
  ads: SessionAd[];
}

/**
 * What a page served leaves for the session's next one (pure): the cards ranked for the next
 * pages, and the session's items and ads served so far, this page's included.
 */
export function continuationAfter(
  page: {
    openid: string;
    key: string;
    /** The page just served, and its size. */
    page: number;
    limit: number;
    now: number;
  },
  ranked: {
    ranked: readonly RankedCard[];
    rest: RankedCard[];
    modelVersion: string | null;
    before: { items: string[]; ads: SessionAd[] };
  },
  adCards: readonly SlateCard[],
): Continuation {
  return {
    openid: page.openid,
    key: page.key,
    next: page.page + 1,
    limit: page.limit,
    cards: ranked.rest,
    modelVersion: ranked.modelVersion,
    served: [...ranked.before.items, ...ranked.ranked.map((c) => c.itemId)],
    ads: [
      ...ranked.before.ads,
      ...adCards.flatMap((c) => (c.adId !== undefined ? [{ adId: c.adId, at: page.now }] : [])),
    ],
  };
}

export interface ContinuationOptions {
  /** Sessions kept at most (the oldest go first). */
  max: number;
  /** How long an unused continuation is kept. */
  ttlMs: number;
}

/**
 * Two minutes: sessions scroll on within seconds. Nothing here is written anywhere; a user who
 * withdraws consent or is erased meanwhile cannot use theirs (a continuation serves only a request
 * the consent gate lets store; any other request of the session drops it), and it expires.
 */
export const DEFAULT_CONTINUATIONS: ContinuationOptions = { max: 5_000, ttlMs: 2 * 60_000 };

export class Continuations {
  private readonly bySession = new Map<string, Continuation & { expiresAt: number }>();

  constructor(private readonly opts: ContinuationOptions = DEFAULT_CONTINUATIONS) {}

  /** The continuation for this page of this session, if there is one for this user, page and size (the key is the caller's to check). */
  take(
    session: string,
    openid: string,
    page: number,
    limit: number,
    now: number,
  ): Continuation | undefined {
    const c = this.bySession.get(session);
    // Someone else's request naming the session (it will be refused) leaves the user's continuation alone.
    if (!c || c.openid !== openid) return undefined;
    this.bySession.delete(session);
    return c.next === page && c.limit === limit && now < c.expiresAt && c.cards.length >= limit
      ? c
      : undefined;
  }

  /** Forgets the session's continuation, if it is this user's. */
  drop(session: string, openid: string): void {
    if (this.bySession.get(session)?.openid === openid) this.bySession.delete(session);
  }

  /**
   * Keeps `c` for the session's next page (replacing any other), for ttlMs from `now`. Expired
   * ones go first: every session that stops scrolling leaves one behind (two ranked pages of
   * cards), which would otherwise stay until `max` sessions pushed it out — a warm instance's
   * memory growing for as long as it serves new sessions (the soak's RSS, docs/reliability.md).
   */
  put(session: string, c: Continuation, now: number): void {
    this.bySession.delete(session);
    this.dropExpired(now);
    if (c.cards.length < c.limit) return;
    while (this.bySession.size >= this.opts.max)
      this.bySession.delete(this.bySession.keys().next().value!);
    this.bySession.set(session, { ...c, expiresAt: now + this.opts.ttlMs });
  }

  get size(): number {
    return this.bySession.size;
  }

  /** Insertion order is expiry order (one ttl for all, a clock that moves on), so the expired are at the front. */
  private dropExpired(now: number): void {
    for (const [session, kept] of this.bySession) {
      if (kept.expiresAt > now) break;
      this.bySession.delete(session);
    }
  }
}
