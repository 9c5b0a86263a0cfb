/** The trainer's pending state (the label join's waiting impressions) as a JSON blob next to the checkpoint. */
import { emptyJoinState, type JoinState } from '../../engine/labels/join';
import type { BlobStore } from '../../ports';
import type { Logger } from '../../runtime/function';

export const TRAIN_JOB = 'train';

export const stateKey = (rev: number): string => `train/state/r${rev}.json`;

/** The saved state, or an empty one (logged) when the blob is missing or unreadable. */
export async function loadJoinState(blobs: BlobStore, key: string | null, log: Logger): Promise<JoinState> {
  if (key === null) return emptyJoinState();
  const raw = await blobs.get(key);
  try {
    if (!raw) throw new Error('blob missing');
    const s = JSON.parse(new TextDecoder().decode(raw)) as JoinState;
    if (!Array.isArray(s.pending) || !Array.isArray(s.done)) throw new Error('not a join state');
    return s;
  } catch (err) {
    // Losing pending impressions costs some examples; it must not stop training.
    log.error('train state unreadable, starting without pending impressions', { key, error: String(err) });
    return emptyJoinState();
  }
}

export async function saveJoinState(blobs: BlobStore, key: string, state: JoinState): Promise<void> {
  await blobs.put(key, new TextEncoder().encode(JSON.stringify(state)));
}
