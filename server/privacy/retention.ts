/**
 * Maintenance run before every training round (the cloud `train` timer, the local host's
 * learning loop, `npm run train`): purge raw events older than the retention age, then the slates
 * (who was shown what) and their charge counters of the same age that the label join no longer
 * needs, the campaign report rollup's rows naming a user of the same age, and per-user counters past the short window they serve (in bounded chunks, within a
 * budget); delete the derived state of inactive users (profile, like states, ad hides: a sweep
 * over the users holding any, resumed from a checkpoint) and erasure tombstones past their
 * window; and continue erasures that a user's own calls left running.
 */
import { CLICKS, FREQ, RATE } from '../engine/ads/counter-keys';
import { CLICK_WINDOW_MS as AD_CLICK_WINDOW_MS } from '../events/ad-events';
import { TRAIN_JOB } from '../learning/trainer-state';
import { dayBucket, minuteBucket } from '../engine/time';
import type { Stores } from '../ports';
import type { Logger } from '../runtime/function';
import { eventDeltas } from '../events/counting';
import { advanceErasure } from './erasure';

const DAY_MS = 86_400_000;
/** Stopped track calls counted per maintenance run. */
const PENDING_CALLS = 50;
/** Events deleted per chunk. */
export const PURGE_CHUNK = 1_000;

/**
 * Per-user counters only read within a short window, deleted after it (data minimisation):
 * `track`'s per-minute rate limit (scope "rate", see server/events/ingest.ts) and the
 * ads' daily frequency caps (only today's is read; yesterday's is kept for the day boundary), and
 * the ad clicks per minute that invalid-traffic rules read (this minute's and the previous one).
 */
export const SHORT_LIVED_COUNTERS: readonly {
  scope: string;
  bucketOf: (ms: number) => string;
  keepMs: number;
}[] = [
  { scope: 'rate', bucketOf: minuteBucket, keepMs: DAY_MS },
  { scope: FREQ, bucketOf: dayBucket, keepMs: DAY_MS },
  { scope: CLICKS, bucketOf: minuteBucket, keepMs: 3_600_000 },
  // Not per user, but read only within two minutes: a campaign's minute counts (click floods).
  { scope: RATE, bucketOf: minuteBucket, keepMs: 3_600_000 },
];

/**
 * How long before the trainer's last checkpoint a slate may still be named by an event it has not
 * read: a click charged up to a day after serving, and events that reach `track` late (a
 * device's persisted queue) or sit behind the trainer's cursor.
 */
export const SLATE_JOIN_MARGIN_MS = AD_CLICK_WINDOW_MS + DAY_MS;

export interface MaintenanceResult {
  purgedEvents: number;
  purgedSlates: number;
  purgedCounters: number;
  /** Campaign report rollup rows naming a user, of days past the retention age. */
  purgedReportRows: number;
  /** False when the budget ran out with more old events or counters left. */
  purgeComplete: boolean;
  erasuresAdvanced: number;
  /** Users whose profile, like states and hide counters were deleted for inactivity. */
  inactiveUsersForgotten: number;
  /** Finished erasures' tombstones deleted after their window. */
  purgedTombstones: number;
  /** Events of `track` calls that stopped before counting them, counted now (cloud adapter). */
  eventsCounted: number;
}

export interface MaintenanceOptions {
  retentionDays: number;
  /** Days without a stored event after which a user's derived state is deleted (default: retentionDays). */
  inactiveDays?: number;
  /** Days a finished erasure's tombstone is kept (default 30). */
  tombstoneDays?: number;
  budgetMs: number;
  clock: () => number;
  /** Where an erasure step that failed (and is retried next time) is reported. */
  log?: Logger;
}

/** Calls `chunk` until it deletes fewer than a chunk or the budget is spent. */
async function drain(
  chunk: () => Promise<number>,
  until: number,
  clock: () => number,
): Promise<{ purged: number; complete: boolean }> {
  let purged = 0;
  for (;;) {
    const n = await chunk();
    purged += n;
    if (n < PURGE_CHUNK) return { purged, complete: true };
    if (clock() >= until) return { purged, complete: false };
  }
}

export async function purgeOldEvents(
  stores: Stores,
  now: number,
  opts: MaintenanceOptions,
): Promise<{ purged: number; complete: boolean }> {
  const cutoff = now - opts.retentionDays * DAY_MS;
  return drain(
    () => stores.personal.purgeEventsBefore(cutoff, PURGE_CHUNK),
    opts.clock() + opts.budgetMs,
    opts.clock,
  );
}

/**
 * Slates older than the retention age and than anything the label join may still read: served
 * SLATE_JOIN_MARGIN_MS before the trainer's last checkpoint (none before its first run).
 */
export async function purgeOldSlates(
  stores: Stores,
  now: number,
  opts: MaintenanceOptions,
): Promise<{ purged: number; complete: boolean }> {
  const trained = (await stores.checkpoints.get(TRAIN_JOB))?.updatedAt ?? 0;
  const cutoff = Math.min(now - opts.retentionDays * DAY_MS, trained - SLATE_JOIN_MARGIN_MS);
  if (cutoff <= 0) return { purged: 0, complete: true };
  return drain(
    () => stores.personal.purgeSlatesBefore(cutoff, PURGE_CHUNK),
    opts.clock() + opts.budgetMs,
    opts.clock,
  );
}

/**
 * The campaign report rollup's rows naming a user (segment markers, attributed orders) of days
 * past the retention age, like the events they were counted from; the days' totals name no one
 * and stay.
 */
export async function purgeOldReportRows(
  stores: Stores,
  now: number,
  opts: MaintenanceOptions,
): Promise<{ purged: number; complete: boolean }> {
  const before = dayBucket(now - opts.retentionDays * DAY_MS);
  return drain(
    () => stores.rollups.purgeAdReportUnitsBefore(before, PURGE_CHUNK),
    opts.clock() + opts.budgetMs,
    opts.clock,
  );
}

export async function purgeShortLivedCounters(
  stores: Stores,
  now: number,
  opts: Pick<MaintenanceOptions, 'budgetMs' | 'clock'>,
): Promise<{ purged: number; complete: boolean }> {
  const until = opts.clock() + opts.budgetMs;
  let purged = 0;
  for (const c of SHORT_LIVED_COUNTERS) {
    const before = c.bucketOf(now - c.keepMs);
    const r = await drain(
      () => stores.personal.purgeCountersBefore(c.scope, before, PURGE_CHUNK),
      until,
      opts.clock,
    );
    purged += r.purged;
    if (!r.complete) return { purged, complete: false };
  }
  return { purged, complete: true };
}

/** The inactive-user sweep's place (the last openid it looked at); cursor null: start over. */
export const INACTIVE_SWEEP_JOB = 'retention:inactive';
/** Users looked at per maintenance run. */
export const INACTIVE_SWEEP_USERS = 200;
export const DEFAULT_TOMBSTONE_DAYS = 30;

/**
 * Data minimisation for people who stopped using the app: the state derived from their events
 * (interest profile, like states, ad hide counters) outlives the events themselves, so a user
 * with no stored event for `inactiveDays` loses it. One page of users per run, from where the
 * last run stopped; at the end the sweep starts over. Returns how many users it cleared.
 */
export async function forgetInactiveUsers(
  stores: Stores,
  now: number,
  opts: Pick<MaintenanceOptions, 'budgetMs' | 'clock'> & { inactiveDays: number },
): Promise<number> {
  const until = opts.clock() + opts.budgetMs;
  const since = now - opts.inactiveDays * DAY_MS;
  const cp = await stores.checkpoints.get(INACTIVE_SWEEP_JOB);
  const users = await stores.personal.usersWithState(cp?.cursor ?? null, INACTIVE_SWEEP_USERS);
  let cleared = 0;
  let last: string | null = null;
  for (const openid of users) {
    if (opts.clock() >= until) break;
    if (!(await stores.personal.activeSince(openid, since))) {
      await stores.personal.forgetDerivedState(openid);
      cleared++;
    }
    last = openid;
  }
  const done = last === users[users.length - 1] && users.length < INACTIVE_SWEEP_USERS;
  const next = {
    name: INACTIVE_SWEEP_JOB,
    rev: (cp?.rev ?? 0) + 1,
    cursor: done ? null : (last ?? cp?.cursor ?? null),
    head: null,
    stateKey: null,
    versions: 0,
    updatedAt: now,
  };
  // A concurrent run saved first: its place stands (the users are looked at again later).
  await stores.checkpoints.save(next, cp?.rev ?? 0);
  return cleared;
}

/** Deletes finished erasures' tombstones older than their window (late retries are long over by then). */
export async function purgeTombstones(
  stores: Stores,
  now: number,
  opts: Pick<MaintenanceOptions, 'budgetMs' | 'clock'> & { tombstoneDays: number },
): Promise<number> {
  const cutoff = now - opts.tombstoneDays * DAY_MS;
  const r = await drain(
    () => stores.privacy.purgeErasuresBefore(cutoff, PURGE_CHUNK),
    opts.clock() + opts.budgetMs,
    opts.clock,
  );
  return r.purged;
}

export async function runMaintenance(
  stores: Stores,
  now: number,
  opts: MaintenanceOptions,
): Promise<MaintenanceResult> {
  const until = opts.clock() + opts.budgetMs;
  // Retention gets half the budget (events first, then counters); resuming erasures the rest.
  const events = await purgeOldEvents(stores, now, { ...opts, budgetMs: opts.budgetMs * 0.3 });
  const slates = await purgeOldSlates(stores, now, { ...opts, budgetMs: opts.budgetMs * 0.1 });
  const reportRows = await purgeOldReportRows(stores, now, {
    ...opts,
    budgetMs: opts.budgetMs * 0.05,
  });
  const counters = await purgeShortLivedCounters(stores, now, {
    budgetMs: opts.budgetMs * 0.1,
    clock: opts.clock,
  });
  const inactiveUsersForgotten = await forgetInactiveUsers(stores, now, {
    budgetMs: opts.budgetMs * 0.1,
    clock: opts.clock,
    inactiveDays: opts.inactiveDays ?? opts.retentionDays,
  });
  const purgedTombstones = await purgeTombstones(stores, now, {
    budgetMs: opts.budgetMs * 0.05,
    clock: opts.clock,
    tombstoneDays: opts.tombstoneDays ?? DEFAULT_TOMBSTONE_DAYS,
  });
  // track calls that stopped between storing events and counting them (EventLog.finishPending).
  const eventsCounted = await stores.events.finishPending(now, eventDeltas, PENDING_CALLS);
  let erasuresAdvanced = 0;
  for (const job of await stores.privacy.runningErasures(20)) {
    const left = until - opts.clock();
    if (left <= 0) break;
    await advanceErasure(stores, job.subject, now, {
      budgetMs: left,
      clock: opts.clock,
      log: opts.log,
    });
    erasuresAdvanced++;
  }
  return {
    purgedEvents: events.purged,
    purgedSlates: slates.purged,
    purgedCounters: counters.purged,
    purgedReportRows: reportRows.purged,
    purgeComplete: events.complete && slates.complete && reportRows.complete && counters.complete,
    erasuresAdvanced,
    inactiveUsersForgotten,
    purgedTombstones,
    eventsCounted,
  };
}
