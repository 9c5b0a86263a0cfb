/** Lease port: a named lock with an expiry, so that two overlapping runs of a job never both work. */

export interface Lease {
  name: string;
  holder: string;
  /** Increases with every grant: a fencing token. */
  token: number;
  expiresAt: number;
}

export interface Leases {
  /**
   * Grants the lease to `holder` until now + ttlMs if it is free, expired, or already held by
   * `holder`; atomically, so of two concurrent callers at most one wins. Null when held by another.
   */
  acquire(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | null>;
  /** Frees the lease if `holder` still holds it (a no-op otherwise). */
  release(name: string, holder: string): Promise<void>;
}
