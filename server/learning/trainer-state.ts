/**
 * The trainer's state, the one owner of its stored format: a JSON blob next to the checkpoint
 * holding the label join's waiting impressions and resolved positions, the window of recent
 * engagements the item model is learned from, and the experiment sums of the run that saved it
 * and campaign report rows (added to the rollups once its checkpoint is saved, again by the next
 * run: stamped, so once), and the ad clicks that may still attribute an order. The training run loads and saves it; an erasure
 * (server/privacy/learning-scrub.ts) reads it and writes it back without the user through here.
 */
import { emptyJoinState, type JoinState } from '../engine/labels/join';
import type { AdReportUnit, BlobStore, ExperimentUnit, PaidCursor, RefundCursor } from '../ports';
import { BlobIntegrityError } from '../ports/blobs';
import type { Logger } from '../runtime/function';
import type { EngagementRow } from './item-model';

export const TRAIN_JOB = 'train';

export const stateKey = (rev: number): string => `train/state/r${rev}.json`;

export interface TrainState {
  join: JoinState;
  /** Oldest first. Absent in states saved before the item model was learned here: empty. */
  engagements: EngagementRow[];
  /** The saving run's experiment sums (absent in states saved before rollups: none). */
  rollup?: ExperimentUnit[];
  /** The experiment positions whose impressions that run counted (its clicks may come next run). */
  rollupSeen?: string[];
  /** The saving run's campaign report rows (absent before issue 14's report rollups: none). */
  adReport?: AdReportUnit[];
  /** The last pay-verified order the experiment rollups counted (absent: none yet). */
  paidCursor?: PaidCursor | null;
  /** The last confirmed refund the experiment rollups counted (absent: none yet). */
  refundCursor?: RefundCursor | null;
}

const emptyState = (): TrainState => ({ join: emptyJoinState(), engagements: [] });

/** Why a saved state cannot be used: it is gone, or damaged (corrupt, not a state, or changed after sealing). */
export type UnusableState = { missing: true } | { missing: false; code: string; reason: string };

/**
 * The saved state at `key`, or why it cannot be used. Throws when it was sealed under another
 * key (BLOB_KEY_MISMATCH: a misconfigured function, not damage) or the read itself failed.
 */
export async function readTrainState(
  blobs: BlobStore,
  key: string,
): Promise<TrainState | UnusableState> {
  let raw: Uint8Array | null;
  try {
    raw = await blobs.get(key);
  } catch (err) {
    if (!(err instanceof BlobIntegrityError) || err.code === 'BLOB_KEY_MISMATCH') throw err;
    return { missing: false, code: err.code, reason: err.message };
  }
  if (!raw) return { missing: true };
  try {
    const { engagements, rollup, rollupSeen, adReport, paidCursor, refundCursor, ...join } =
      JSON.parse(new TextDecoder().decode(raw)) as JoinState & {
        engagements?: unknown;
        rollup?: unknown;
        rollupSeen?: unknown;
        adReport?: unknown;
        paidCursor?: unknown;
        refundCursor?: unknown;
      };
    if (!Array.isArray(join.pending) || !Array.isArray(join.done))
      throw new Error('not a join state');
    const rows = Array.isArray(engagements) ? engagements.filter(isRow) : [];
    return {
      join,
      engagements: rows,
      rollup: Array.isArray(rollup) ? rollup.filter(isUnit) : [],
      rollupSeen: Array.isArray(rollupSeen)
        ? rollupSeen.filter((k): k is string => typeof k === 'string')
        : [],
      adReport: Array.isArray(adReport) ? adReport.filter(isAdUnit) : [],
      paidCursor: isPaidCursor(paidCursor) ? paidCursor : null,
      refundCursor: isRefundCursor(refundCursor) ? refundCursor : null,
    };
  } catch (err) {
    return { missing: false, code: 'STATE_CORRUPT', reason: String(err) };
  }
}

const isPaidCursor = (c: unknown): c is PaidCursor =>
  typeof c === 'object' &&
  c !== null &&
  typeof (c as PaidCursor).paidAt === 'number' &&
  typeof (c as PaidCursor).outTradeNo === 'string';

const isRefundCursor = (c: unknown): c is RefundCursor =>
  typeof c === 'object' &&
  c !== null &&
  typeof (c as RefundCursor).refundedAt === 'number' &&
  typeof (c as RefundCursor).outTradeNo === 'string';

export const isUnusable = (s: TrainState | UnusableState): s is UnusableState => !('join' in s);

/**
 * The saved state, or an empty one (logged) when the blob is missing, unreadable or fails its
 * seal; throws when it was sealed under another key (BLOB_KEY_MISMATCH) or the read itself failed.
 * Losing pending impressions costs some examples; it must not stop training. Another key, though,
 * is a misconfigured function: fail the run (nothing saved) rather than start over and seal its
 * output unreadably.
 */
export async function loadTrainState(
  blobs: BlobStore,
  key: string | null,
  log: Logger,
): Promise<TrainState> {
  if (key === null) return emptyState();
  const state = await readTrainState(blobs, key);
  if (!isUnusable(state)) return state;
  log.error('train state unreadable, starting without pending impressions', {
    key,
    ...(state.missing ? { error: 'blob missing' } : { code: state.code, error: state.reason }),
  });
  return emptyState();
}

const isRow = (r: unknown): r is EngagementRow =>
  Array.isArray(r) &&
  r.length === 3 &&
  typeof r[0] === 'string' &&
  typeof r[1] === 'string' &&
  Number.isFinite(r[2]);

const isUnit = (u: unknown): u is ExperimentUnit => {
  const x = u as ExperimentUnit | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.experimentId === 'string' &&
    typeof x.variant === 'string' &&
    typeof x.openid === 'string' &&
    [x.impressions, x.clicks, x.likes, x.paidFen].every(Number.isFinite)
  );
};

const isAdUnit = (u: unknown): u is AdReportUnit => {
  const x = u as AdReportUnit | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    [x.campaignId, x.day, x.dim, x.key, x.openid].every((v) => typeof v === 'string') &&
    [x.impressions, x.clicks, x.events, x.paidFen].every(Number.isFinite)
  );
};

/** One JSON object: the join state's fields plus `engagements`, the rollups' rows and the ad clicks. */
export async function saveTrainState(
  blobs: BlobStore,
  key: string,
  state: TrainState,
): Promise<void> {
  await blobs.put(
    key,
    new TextEncoder().encode(
      JSON.stringify({
        ...state.join,
        engagements: state.engagements,
        rollup: state.rollup ?? [],
        rollupSeen: state.rollupSeen ?? [],
        adReport: state.adReport ?? [],
        paidCursor: state.paidCursor ?? null,
        refundCursor: state.refundCursor ?? null,
      }),
    ),
  );
}

/** What forgetting one user removed from a state. */
export interface ForgetResult {
  state: TrainState;
  /** Waiting impressions of the user dropped. */
  pendingDropped: number;
  /** Anything at all was removed (the state needs writing back). */
  changed: boolean;
}

/**
 * The state without one user: their waiting impressions, the resolved positions of their slates
 * (remembered by "slateId#position"), and their engagements in the item model's window.
 */
export function forgetUser(
  state: TrainState,
  openid: string,
  slateIds: ReadonlySet<string>,
): ForgetResult {
  const pending = state.join.pending.filter((p) => p.openid !== openid);
  const done = state.join.done.filter(([key]) => !slateIds.has(key.slice(0, key.lastIndexOf('#'))));
  const engagements = state.engagements.filter(([who]) => who !== openid);
  const rollup = (state.rollup ?? []).filter((u) => u.openid !== openid);
  const adReport = (state.adReport ?? []).filter((u) => u.openid !== openid);
  const pendingDropped = state.join.pending.length - pending.length;
  return {
    state: {
      join: { ...state.join, pending, done },
      engagements,
      rollup,
      rollupSeen: (state.rollupSeen ?? []).filter(
        (k) => !slateIds.has(k.slice(0, k.lastIndexOf('#'))),
      ),
      adReport,
      // Names no user: kept, so an erasure never makes the rollups count an order twice.
      paidCursor: state.paidCursor ?? null,
      refundCursor: state.refundCursor ?? null,
    },
    pendingDropped,
    changed:
      pendingDropped > 0 ||
      done.length < state.join.done.length ||
      engagements.length < state.engagements.length ||
      rollup.length < (state.rollup ?? []).length ||
      adReport.length < (state.adReport ?? []).length,
  };
}
