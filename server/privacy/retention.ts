/**
 * Maintenance run by the `train` timer: purge raw events older than the retention age (in
 * bounded chunks, within a budget) and continue erasures that a user's own calls left running.
 */
import type { Stores } from '../ports';
import { advanceErasure } from './erasure';

const DAY_MS = 86_400_000;
/** Events deleted per chunk. */
export const PURGE_CHUNK = 1_000;

export interface MaintenanceResult {
  purgedEvents: number;
  /** False when the budget ran out with more old events left. */
  purgeComplete: boolean;
  erasuresAdvanced: number;
}

export interface MaintenanceOptions {
  retentionDays: number;
  budgetMs: number;
  clock: () => number;
}

export async function purgeOldEvents(stores: Stores, now: number, opts: MaintenanceOptions): Promise<{ purged: number; complete: boolean }> {
  const cutoff = now - opts.retentionDays * DAY_MS;
  const until = opts.clock() + opts.budgetMs;
  let purged = 0;
  for (;;) {
    const n = await stores.personal.purgeEventsBefore(cutoff, PURGE_CHUNK);
    purged += n;
    if (n < PURGE_CHUNK) return { purged, complete: true };
    if (opts.clock() >= until) return { purged, complete: false };
  }
}

export async function runMaintenance(stores: Stores, now: number, opts: MaintenanceOptions): Promise<MaintenanceResult> {
  const until = opts.clock() + opts.budgetMs;
  const { purged, complete } = await purgeOldEvents(stores, now, { ...opts, budgetMs: opts.budgetMs / 2 });
  let erasuresAdvanced = 0;
  for (const job of await stores.privacy.runningErasures(20)) {
    const left = until - opts.clock();
    if (left <= 0) break;
    await advanceErasure(stores, job.subject, now, { budgetMs: left, clock: opts.clock });
    erasuresAdvanced++;
  }
  return { purgedEvents: purged, purgeComplete: complete, erasuresAdvanced };
}
