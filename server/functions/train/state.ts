/**
 * The trainer's state as a JSON blob next to the checkpoint: the label join's waiting
 * impressions, and the window of recent engagements the item model is learned from.
 */
import { emptyJoinState, type JoinState } from '../../engine/labels/join';
import type { BlobStore } from '../../ports';
import { BlobIntegrityError } from '../../ports/blobs';
import type { Logger } from '../../runtime/function';
import type { EngagementRow } from './item-model';

export const TRAIN_JOB = 'train';

export const stateKey = (rev: number): string => `train/state/r${rev}.json`;

export interface TrainState {
  join: JoinState;
  /** Oldest first. Absent in states saved before the item model was learned here: empty. */
  engagements: EngagementRow[];
}

/**
 * The saved state, or an empty one (logged) when the blob is missing, unreadable or fails its
 * seal; throws when it was sealed under another key (BLOB_KEY_MISMATCH) or the read itself failed.
 */
export async function loadTrainState(
  blobs: BlobStore,
  key: string | null,
  log: Logger,
): Promise<TrainState> {
  if (key === null) return { join: emptyJoinState(), engagements: [] };
  let raw: Uint8Array | null;
  try {
    raw = await blobs.get(key);
  } catch (err) {
    // A changed file is as unreadable as a corrupt one. Another key, though, is a misconfigured
    // function: fail the run (nothing saved) rather than start over and seal its output unreadably.
    if (!(err instanceof BlobIntegrityError) || err.code === 'BLOB_KEY_MISMATCH') throw err;
    log.error('train state unreadable, starting without pending impressions', {
      key,
      code: err.code,
      error: err.message,
    });
    return { join: emptyJoinState(), engagements: [] };
  }
  try {
    if (!raw) throw new Error('blob missing');
    const { engagements, ...join } = JSON.parse(new TextDecoder().decode(raw)) as JoinState & {
      engagements?: unknown;
    };
    if (!Array.isArray(join.pending) || !Array.isArray(join.done))
      throw new Error('not a join state');
    const rows = Array.isArray(engagements) ? engagements.filter(isRow) : [];
    return { join, engagements: rows };
  } catch (err) {
    // Losing pending impressions costs some examples; it must not stop training.
    log.error('train state unreadable, starting without pending impressions', {
      key,
      error: String(err),
    });
    return { join: emptyJoinState(), engagements: [] };
  }
}

const isRow = (r: unknown): r is EngagementRow =>
  Array.isArray(r) &&
  r.length === 3 &&
  typeof r[0] === 'string' &&
  typeof r[1] === 'string' &&
  Number.isFinite(r[2]);

/** One JSON object: the join state's fields plus `engagements` (the privacy scrub filters both by user). */
export async function saveTrainState(
  blobs: BlobStore,
  key: string,
  state: TrainState,
): Promise<void> {
  await blobs.put(
    key,
    new TextEncoder().encode(JSON.stringify({ ...state.join, engagements: state.engagements })),
  );
}
