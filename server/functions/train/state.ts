/**
 * The trainer's state as a JSON blob next to the checkpoint: the label join's waiting
 * impressions, and the window of recent engagements the item model is learned from.
 */
import { emptyJoinState, type JoinState } from '../../engine/labels/join';
import type { BlobStore } from '../../ports';
import type { Logger } from '../../runtime/function';
import type { EngagementRow } from './item-model';

export const TRAIN_JOB = 'train';

export const stateKey = (rev: number): string => `train/state/r${rev}.json`;

export interface TrainState {
  join: JoinState;
  /** Oldest first. Absent in states saved before the item model was learned here: empty. */
  engagements: EngagementRow[];
}

/** The saved state, or an empty one (logged) when the blob is missing or unreadable. */
export async function loadTrainState(blobs: BlobStore, key: string | null, log: Logger): Promise<TrainState> {
  if (key === null) return { join: emptyJoinState(), engagements: [] };
  const raw = await blobs.get(key);
  try {
    if (!raw) throw new Error('blob missing');
    const { engagements, ...join } = JSON.parse(new TextDecoder().decode(raw)) as JoinState & { engagements?: unknown };
    if (!Array.isArray(join.pending) || !Array.isArray(join.done)) throw new Error('not a join state');
    const rows = Array.isArray(engagements) ? engagements.filter(isRow) : [];
    return { join, engagements: rows };
  } catch (err) {
    // Losing pending impressions costs some examples; it must not stop training.
    log.error('train state unreadable, starting without pending impressions', { key, error: String(err) });
    return { join: emptyJoinState(), engagements: [] };
  }
}

const isRow = (r: unknown): r is EngagementRow =>
  Array.isArray(r) && r.length === 3 && typeof r[0] === 'string' && typeof r[1] === 'string' && Number.isFinite(r[2]);

/** One JSON object: the join state's fields plus `engagements` (the privacy scrub filters both by user). */
export async function saveTrainState(blobs: BlobStore, key: string, state: TrainState): Promise<void> {
  await blobs.put(key, new TextEncoder().encode(JSON.stringify({ ...state.join, engagements: state.engagements })));
}
