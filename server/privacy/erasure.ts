/**
 * Erasure (PIPL: the right to deletion). Starting writes the user's erasure record first: from
 * then on `track` drops their events (it is also the tombstone that outlives the job). The job
 * then deletes, in bounded chunks and saving its place after each, every personal-data
 * collection of the adapter, and resets the user's weights in the click models (under the
 * train lease). It is done only after a verification pass finds nothing left and the track
 * gate's cache TTL has passed since the start (a warm instance that cached "may store" before
 * the start cannot have written anything after the verification) and, when the scrub rewrote
 * the serving model, a warm `recommend` instance's model check interval since the scrub (each
 * has reloaded it without the user's weights by then). Repeating a request only
 * continues the job; a finished job keeps only the hash of the openid.
 */
import type { ErasureProgress } from '../../typings';
import type { ErasureJob, Stores } from '../ports';
import { MODEL_CHECK_MS } from '../learning/model-versions';
import type { Logger } from '../runtime/function';
import { forgetGate, GATE_TTL_MS } from './gate';
import { scrubLearning } from './learning-scrub';
import { subjectOf, type IdentifierKeyConfig } from './subject';

/** Records deleted per chunk: one bounded statement or round of requests. */
export const ERASE_CHUNK = 500;
const LEARNING = 'learning';
const VERIFY = 'verify';

export interface EraseOptions {
  /** Real-clock budget of one call, ms; the job saves its place and the next call (or the timer) continues. */
  budgetMs: number;
  clock: () => number;
  /** Where a step that failed (and will be retried) is reported. */
  log?: Logger;
}

export const DEFAULT_ERASE_OPTIONS: EraseOptions = {
  budgetMs: 5_000,
  clock: () => performance.now(),
};

/**
 * The steps of a job: each collection, with the learning step after the events (so no later run
 * can learn from them again) and before the slates (it needs their ids), then verification.
 */
export function erasureSteps(stores: Stores): string[] {
  return [
    ...stores.personal.collections.flatMap((c) => (c === 'slates' ? [LEARNING, c] : [c])),
    VERIFY,
  ];
}

export function progressOf(job: ErasureJob, steps: number): ErasureProgress {
  return {
    status: job.status,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    deleted: { ...job.deleted },
    stepsDone: job.status === 'done' ? steps : job.step,
    stepsTotal: steps,
  };
}

export async function erasureStatus(
  stores: Stores,
  openid: string,
  config: IdentifierKeyConfig,
): Promise<ErasureProgress | null> {
  const job = await stores.privacy.getErasure(subjectOf(openid, config));
  return job ? progressOf(job, erasureSteps(stores).length) : null;
}

/** Shortest time between a finished erasure and a new one for the same user. */
export const ERASE_RESTART_MS = 10 * 60_000;

/** Starts the user's erasure, or continues the one running; a finished one starts afresh (new data since). */
export async function startErasure(
  stores: Stores,
  openid: string,
  now: number,
  config: IdentifierKeyConfig,
  opts: Partial<EraseOptions> = {},
): Promise<ErasureProgress> {
  const subject = subjectOf(openid, config);
  const existing = await stores.privacy.getErasure(subject);
  // A restart right after a finished erasure has nothing new to erase (without a consent nothing
  // was stored since) but would take the train lease and scan every model version again: within
  // ERASE_RESTART_MS it answers the finished job instead (a loop of restarts costs one read each).
  if (
    existing?.status === 'done' &&
    existing.finishedAt !== null &&
    now - existing.finishedAt < ERASE_RESTART_MS
  )
    return progressOf(existing, erasureSteps(stores).length);
  if (!existing || existing.status === 'done') {
    const job: ErasureJob = {
      subject,
      openid,
      status: 'running',
      startedAt: now,
      updatedAt: now,
      finishedAt: null,
      step: 0,
      deleted: {},
      rev: (existing?.rev ?? 0) + 1,
    };
    // Losing this race means another call started it a moment ago: continue that one.
    await stores.privacy.saveErasure(job, existing?.rev ?? 0);
  }
  forgetGate(stores, openid);
  return advanceErasure(stores, subject, now, opts);
}

/** Works on a running job for one budget; returns where it stands. */
export async function advanceErasure(
  stores: Stores,
  subject: string,
  now: number,
  options: Partial<EraseOptions> = {},
): Promise<ErasureProgress> {
  const opts = { ...DEFAULT_ERASE_OPTIONS, ...options };
  const steps = erasureSteps(stores);
  const until = opts.clock() + opts.budgetMs;
  let job = await stores.privacy.getErasure(subject);
  if (!job) throw new Error('no erasure job to advance');
  while (job.status === 'running' && job.openid !== null && opts.clock() < until) {
    const openid: string = job.openid;
    const step = steps[job.step];
    const next: ErasureJob = {
      ...job,
      deleted: { ...job.deleted },
      rev: job.rev + 1,
      updatedAt: now,
    };
    if (step === LEARNING) {
      let r;
      try {
        r = await scrubLearning(stores, openid, `erasure:${subject.slice(0, 16)}`, now);
      } catch (err) {
        // The job stays at this step, still running: the next call or the timer retries it (never reported done).
        opts.log?.error('erasure learning step failed; retried on the next advance', {
          error: err instanceof Error ? err.message : String(err),
        });
        break;
      }
      if (!r.done) break; // a training run holds the lease: the next call or the timer retries
      next.deleted.modelWeights = (next.deleted.modelWeights ?? 0) + r.weightsReset;
      next.deleted.pendingImpressions = (next.deleted.pendingImpressions ?? 0) + r.pendingDropped;
      next.deleted.user_profiles = (next.deleted.user_profiles ?? 0) + r.profiles;
      if (r.servingRewritten) next.scrubbedAt = now;
      next.step += 1;
    } else if (step === VERIFY) {
      const left = await Promise.all(
        stores.personal.collections.map((c) => stores.personal.read(c, openid, null, 1)),
      );
      if (left.some((p) => p.records.length > 0))
        next.step = 0; // written after its step passed: go round again
      else if (now - job.startedAt < GATE_TTL_MS)
        break; // a cached "may store" elsewhere has not expired yet
      else if (job.scrubbedAt !== undefined && now - job.scrubbedAt < MODEL_CHECK_MS)
        break; // a warm instance may still hold the old weights
      else
        Object.assign(next, { status: 'done', openid: null, finishedAt: now, step: steps.length });
    } else {
      const n = await stores.personal.erase(step, openid, ERASE_CHUNK);
      next.deleted[step] = (next.deleted[step] ?? 0) + n;
      if (n < ERASE_CHUNK) next.step += 1;
    }
    // A concurrent worker advanced it first: read its state and go on from there.
    if (!(await stores.privacy.saveErasure(next, job.rev))) {
      job = await stores.privacy.getErasure(subject);
      if (!job) break;
      continue;
    }
    job = next;
  }
  return progressOf(job!, steps.length);
}
