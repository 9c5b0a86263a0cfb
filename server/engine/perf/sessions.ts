/**
 * The release and platform of each client session, learned from its perf events, so that the
 * funnel steps of a session (impressions, clicks, likes… which carry no release) and the orders
 * paid from its ad clicks count for the version × platform that session ran. Bounded (at most
 * `maxSessions` sessions and `maxClicks` clicks, each dropped after its time to live, the least
 * recently seen first when over the bound) and kept between `train` rounds as the perf step's
 * state: its JSON codec is here, its one owner. No openid is kept: a session is the client's
 * random session id, an ad click its slate and position (the join key orders carry).
 */

/** Where a session ran. */
export interface SessionContext {
  version: string;
  platform: string;
}

export interface SessionBounds {
  /** A session unseen for this long is forgotten (its later funnel steps count as unknown). */
  sessionTtlMs: number;
  /** An ad click older than this attributes no order (an order is paid within its window). */
  clickTtlMs: number;
  maxSessions: number;
  maxClicks: number;
}

const HOUR = 3_600_000;
export const DEFAULT_SESSION_BOUNDS: SessionBounds = {
  // A session is one launch of the Mini Program: a day covers one left in the background.
  sessionTtlMs: 24 * HOUR,
  // An order is paid within its window after the click, up to the 48-hour review of a held one.
  clickTtlMs: 72 * HOUR,
  maxSessions: 50_000,
  maxClicks: 50_000,
};

interface Seen extends SessionContext {
  /** Last seen (server time). */
  at: number;
}

/** The stored form (version 1): [key, version, platform, at] rows. */
interface Encoded {
  v: 1;
  sessions: [string, string, string, number][];
  clicks: [string, string, string, number][];
}

/** An ad click's join key, the one an order's attribution names: its slate and position. */
export const clickKey = (slateId: string, position: number): string => `${slateId}#${position}`;

export class SessionContexts {
  private readonly sessions = new Map<string, Seen>();
  private readonly clicks = new Map<string, Seen>();

  constructor(readonly bounds: SessionBounds = DEFAULT_SESSION_BOUNDS) {}

  /**
   * Notes that `sessionId` ran `ctx` at `at`. The first context a session names is kept (one
   * launch runs one release); later events only keep it alive.
   */
  learn(sessionId: string, ctx: SessionContext, at: number): void {
    const seen = this.sessions.get(sessionId);
    if (!seen) {
      this.sessions.set(sessionId, { version: ctx.version, platform: ctx.platform, at });
      return;
    }
    seen.at = Math.max(seen.at, at);
    this.sessions.delete(sessionId); // re-inserted last: the map's order is least recently seen first
    this.sessions.set(sessionId, seen);
  }

  /** The session's context, if one of its events named it. */
  of(sessionId: string): SessionContext | undefined {
    const s = this.sessions.get(sessionId);
    return s && { version: s.version, platform: s.platform };
  }

  /** Notes an ad click's context under its join key (clickKey). */
  noteClick(key: string, ctx: SessionContext, at: number): void {
    this.clicks.delete(key);
    this.clicks.set(key, { ...ctx, at });
  }

  /** The context of the ad click an order's attribution names, if it was seen. */
  click(key: string): SessionContext | undefined {
    const c = this.clicks.get(key);
    return c && { version: c.version, platform: c.platform };
  }

  get size(): { sessions: number; clicks: number } {
    return { sessions: this.sessions.size, clicks: this.clicks.size };
  }

  /** Drops what outlived its time to live at `now`, then the least recently seen over the bounds. */
  prune(now: number): void {
    const cut = (m: Map<string, Seen>, ttl: number, max: number) => {
      for (const [k, s] of m) if (s.at < now - ttl) m.delete(k);
      // Entries are kept in least-recently-seen order (re-inserted when seen): drop from the front.
      for (const k of m.keys()) {
        if (m.size <= max) break;
        m.delete(k);
      }
    };
    cut(this.sessions, this.bounds.sessionTtlMs, this.bounds.maxSessions);
    cut(this.clicks, this.bounds.clickTtlMs, this.bounds.maxClicks);
  }

  encode(): Uint8Array {
    const rows = (m: Map<string, Seen>): [string, string, string, number][] =>
      [...m].map(([k, s]) => [k, s.version, s.platform, s.at]);
    const e: Encoded = { v: 1, sessions: rows(this.sessions), clicks: rows(this.clicks) };
    return new TextEncoder().encode(JSON.stringify(e));
  }

  /** The stored state, or an empty one when there is none or it is not one this code wrote. */
  static decode(
    bytes: Uint8Array | null,
    bounds: SessionBounds = DEFAULT_SESSION_BOUNDS,
  ): SessionContexts {
    const out = new SessionContexts(bounds);
    if (!bytes) return out;
    let e: Partial<Encoded>;
    try {
      e = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Encoded>;
    } catch {
      return out;
    }
    if (e.v !== 1) return out;
    const fill = (m: Map<string, Seen>, rows: unknown) => {
      if (!Array.isArray(rows)) return;
      // Stored least recently seen first; sorted again in case another writer did not keep it.
      const ok = rows.filter(
        (r): r is [string, string, string, number] =>
          Array.isArray(r) &&
          typeof r[0] === 'string' &&
          typeof r[1] === 'string' &&
          typeof r[2] === 'string' &&
          typeof r[3] === 'number',
      );
      ok.sort((a, b) => a[3] - b[3]);
      for (const [k, version, platform, at] of ok) m.set(k, { version, platform, at });
    };
    fill(out.sessions, e.sessions);
    fill(out.clicks, e.clicks);
    return out;
  }
}
