/**
 * The erasure step inside what `train` keeps: under the train lease (so no run races it), reset
 * the user's hashed buckets in every kept model version (and bump the serving pointer's weights
 * revision, so warm instances reload), drop the user's pending impressions
 * and resolved slate positions from the trainer's state, and delete the user's profile (a run
 * may have just written it). A version or state whose blob is damaged (checksum, or the cloud
 * adapter's seal) cannot be scrubbed and is never loaded again: its blob is deleted. The stored
 * formats are read and written through their owners (server/learning/model-versions.ts,
 * trainer-state.ts). First, under the social step's lease, the user's tie evidence and every
 * social record naming them (server/learning/social-step.ts).
 */
import { CtrFeatureTransformer } from '../engine/features/transformer';
import { DEFAULT_CTR_CONFIG } from '../engine/models/defaults';
import { forgetBuckets, userBuckets } from '../engine/privacy/forget';
import type { CampaignStatus } from '../../typings';
import type { Stores } from '../ports';
import { allCampaignsByStatus } from '../ports/ads';
import { readModelBlob, writeModelBlob } from '../learning/model-versions';
import { scrubSocial } from '../learning/social-step';
import {
  forgetUser,
  isUnusable,
  readTrainState,
  saveTrainState,
  TRAIN_JOB,
} from '../learning/trainer-state';

/** Versions scanned (newest first): every kept one; retired versions have no blob. */
const MAX_VERSIONS = 200;
const STATUSES: CampaignStatus[] = ['active', 'paused', 'ended', 'draft'];

export interface ScrubResult {
  /** False when a training run holds the lease: try again later. */
  done: boolean;
  /** The serving version's weights were rewritten: warm instances reload it at their next pointer check. */
  servingRewritten: boolean;
  weightsReset: number;
  pendingDropped: number;
  profiles: number;
}

/**
 * Every ad id the user may have been shown: all campaigns the ads port knows, every page. A
 * failed read fails the step (nothing is rewritten): the user's ad features can only be found
 * by name, so a partial list would leave some of them in the model while the erasure says done.
 */
async function adIds(stores: Stores): Promise<string[]> {
  const lists = await Promise.all(STATUSES.map((s) => allCampaignsByStatus(stores.ads, s)));
  return lists.flat().map((c) => c.id);
}

async function userSlateIds(stores: Stores, openid: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await stores.personal.read('slates', openid, cursor, 1000);
    for (const r of page.records) {
      const id = r.slateId ?? r.slate_id;
      if (typeof id === 'string') ids.add(id);
    }
    cursor = page.cursor;
  } while (cursor !== null);
  return ids;
}

export async function scrubLearning(
  stores: Stores,
  openid: string,
  holder: string,
  now: number,
): Promise<ScrubResult> {
  const social = await scrubSocial(stores, openid, holder, now);
  const lease = social ? await stores.leases.acquire(TRAIN_JOB, holder, now, 120_000) : null;
  if (!lease)
    return {
      done: false,
      servingRewritten: false,
      weightsReset: 0,
      pendingDropped: 0,
      profiles: 0,
    };
  try {
    let weightsReset = 0;
    const ads = await adIds(stores);
    const pointer = await stores.models.serving();
    let servingRewritten = false;
    for (const v of await stores.models.list(MAX_VERSIONS)) {
      if (v.status === 'retired') continue;
      const stored = await readModelBlob(stores.blobs, v.blobKey);
      if (stored === 'damaged') {
        // It can be neither scrubbed nor ever loaded again: it goes, user's weights and all (the
        // serving one keeps its status: recommend already refuses it and serves without a model).
        await stores.blobs.delete(v.blobKey);
        if (v.version !== pointer?.version)
          await stores.models.setStatus(
            v.version,
            'retired',
            'blob unreadable (damaged or changed): deleted by an erasure',
          );
        continue;
      }
      if (!stored) continue;
      // The numeric statistics are sums over every learned example (no user's own value): kept as they are.
      const { model, scaler } = stored;
      const bits =
        'bits' in model && typeof model.bits === 'number' ? model.bits : DEFAULT_CTR_CONFIG.bits;
      const reset = forgetBuckets(model, userBuckets(new CtrFeatureTransformer(bits), openid, ads));
      weightsReset += reset;
      // Nothing of the user's in this version: leave its blob alone (a restarted erasure, or a
      // user the model never saw, must not rewrite every kept version).
      if (reset === 0) continue;
      await writeModelBlob(stores.blobs, v.blobKey, model, scaler);
      if (reset > 0 && v.version === pointer?.version) servingRewritten = true;
    }
    // Warm `recommend` instances hold the serving model in memory and reload only when the pointer
    // changes: bump its weights revision so each drops the user's weights at its next check. Losing
    // the swap means the pointer moved meanwhile (a rollback), which reloads them anyway.
    if (pointer && servingRewritten) {
      await stores.models.swapServing(pointer.version, {
        ...pointer,
        weightsRev: (pointer.weightsRev ?? 0) + 1,
      });
    }
    let pendingDropped = 0;
    const cp = await stores.checkpoints.get(TRAIN_JOB);
    if (cp?.stateKey) {
      const state = await readTrainState(stores.blobs, cp.stateKey);
      // A damaged state is what a training run would drop anyway (loadTrainState): it goes now.
      if (isUnusable(state)) {
        if (!state.missing) await stores.blobs.delete(cp.stateKey);
      } else {
        const forgotten = forgetUser(state, openid, await userSlateIds(stores, openid));
        pendingDropped = forgotten.pendingDropped;
        if (forgotten.changed) await saveTrainState(stores.blobs, cp.stateKey, forgotten.state);
      }
    }
    const profiles = await stores.personal.erase('user_profiles', openid, 10);
    return { done: true, servingRewritten, weightsReset, pendingDropped, profiles };
  } finally {
    await stores.leases.release(TRAIN_JOB, holder);
  }
}
