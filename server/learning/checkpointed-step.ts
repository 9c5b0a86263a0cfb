/**
 * The one runner of `train`'s checkpointed steps (social, perf, oCPC; the training run takes its
 * lease here too): it owns the lease, the checkpoint and its state blob, the step's budget and its
 * failure handling, so that each step is its own logic plus a small declaration
 * (CheckpointedStep). A step resumes where its checkpoint says, works while its budget lasts, and
 * moves its checkpoint by compare-and-set only once its result is written: a step that stops or
 * throws before that leaves the checkpoint where it was, and the next round does the work again.
 * What is stored is named by the steps (their job names the lease and the checkpoint; their state
 * blobs' keys are theirs), so checkpoints that deployed code saved stay readable.
 */
import { randomUUID } from 'node:crypto';
import type { Checkpoint, StoredEvent, Stores } from '../ports';
import type { Logger } from '../runtime/function';

/**
 * Runs one part of a round: a throw is logged as "<label> failed" and answered null, so that the
 * round's other steps still run; the failed step's checkpoint has not moved, and the next round
 * retries it.
 */
export async function guarded<T>(
  log: Logger,
  label: string,
  run: () => Promise<T>,
): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    log.error(`${label} failed`, { error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/**
 * Runs `work` while holding the lease `job` for `ttlMs` from `now`, and releases it after (also
 * after a throw); answers `busy()` without working while another holder has it. The lease outlives
 * the budget by a margin (each caller's ttlMs): a run killed at the function's timeout frees it
 * soon after.
 */
export async function underLease<T>(
  leases: Stores['leases'],
  job: string,
  now: number,
  ttlMs: number,
  busy: () => T | Promise<T>,
  work: () => Promise<T>,
  holder: string = randomUUID(),
): Promise<T> {
  if (!(await leases.acquire(job, holder, now, ttlMs))) return busy();
  try {
    return await work();
  } finally {
    await leases.release(job, holder);
  }
}

/** A step's share of a round on the round's clock, counted from the step's start. */
export class StepBudget {
  readonly started: number;

  constructor(
    readonly budgetMs: number,
    readonly clock: () => number,
  ) {
    this.started = clock();
  }

  /** Time spent since the step started (one read of the clock). */
  elapsed(): number {
    return this.clock() - this.started;
  }

  /** Where the budget ends on the clock. */
  get deadline(): number {
    return this.started + this.budgetMs;
  }
}

/** What a step saves when it moves on. */
export interface CheckpointAdvance {
  /** Event-log (or other) cursor after the last record consumed. */
  cursor: string | null;
  updatedAt: number;
  /** The step's state between rounds: written before the checkpoint names it. */
  state?: { key: string; bytes: Uint8Array };
}

/** One checkpoint as read at a step's start, and the one way the step moves it on. */
export class StepCheckpoint {
  private constructor(
    private readonly stores: Pick<Stores, 'checkpoints' | 'blobs'>,
    readonly name: string,
    /** As stored (null: the step never saved one). */
    readonly saved: Checkpoint | null,
  ) {}

  static async open(
    stores: Pick<Stores, 'checkpoints' | 'blobs'>,
    name: string,
  ): Promise<StepCheckpoint> {
    return new StepCheckpoint(stores, name, await stores.checkpoints.get(name));
  }

  get rev(): number {
    return this.saved?.rev ?? 0;
  }

  /** The revision an advance saves: what the step stamps its additive writes with (a retry adds nothing twice). */
  get nextRev(): number {
    return this.rev + 1;
  }

  get cursor(): string | null {
    return this.saved?.cursor ?? null;
  }

  get stateKey(): string | null {
    return this.saved?.stateKey ?? null;
  }

  /**
   * Saves the next revision by compare-and-set: the new state blob first; when another run moved
   * the checkpoint meanwhile, that blob is deleted again and nothing is saved (false); else the
   * previous state blob is deleted.
   */
  async advance(next: CheckpointAdvance): Promise<boolean> {
    const key = next.state?.key ?? null;
    if (next.state) await this.stores.blobs.put(next.state.key, next.state.bytes);
    const saved = await this.stores.checkpoints.save(
      {
        name: this.name,
        rev: this.nextRev,
        cursor: next.cursor,
        head: null,
        stateKey: key,
        versions: 0,
        updatedAt: next.updatedAt,
      },
      this.rev,
    );
    if (!saved) {
      if (key) await this.stores.blobs.delete(key);
      return false;
    }
    if (this.stateKey && this.stateKey !== key) await this.stores.blobs.delete(this.stateKey);
    return true;
  }
}

/** What a step's work is given: its checkpoint, its budget, and other checkpoints under its lease. */
export interface StepRun {
  checkpoint: StepCheckpoint;
  budget: StepBudget;
  /** Opens another checkpoint the step keeps under the same lease (the perf step's paid orders). */
  open(name: string): Promise<StepCheckpoint>;
}

/** How far a step's reading of the event log got. */
export interface LogRead {
  /** The cursor after the last event read (the checkpoint's when nothing was). */
  cursor: string | null;
  events: number;
  /** Reading stopped at its share of the budget before the log was drained (the next round goes on). */
  more: boolean;
}

/**
 * Reads the event log from the step's checkpoint in pages of events stored before `before()`
 * (asked anew for each page), handing each page to `take`, until the log is drained or, after a
 * full page, `share` of the step's budget is spent.
 */
export async function readLog(
  events: Stores['events'],
  { checkpoint, budget }: StepRun,
  opts: { before: () => number; pageSize: number; share: number },
  take: (page: readonly StoredEvent[]) => void | Promise<void>,
): Promise<LogRead> {
  let cursor = checkpoint.cursor;
  let read = 0;
  for (;;) {
    const page = await events.readAfter(cursor, opts.before(), opts.pageSize);
    await take(page.events);
    read += page.events.length;
    cursor = page.cursor;
    if (page.events.length < opts.pageSize) return { cursor, events: read, more: false };
    if (budget.elapsed() > budget.budgetMs * opts.share)
      return { cursor, events: read, more: true };
  }
}

/** What every step is given: its stores (more in its own env) and the round's time of day. */
export interface StepEnv {
  stores: Pick<Stores, 'leases' | 'checkpoints' | 'blobs'>;
  now: () => number;
}

/** Every step's options: its budget on the round's clock (more in its own options). */
export interface StepOptions {
  budgetMs: number;
  clock: () => number;
}

/**
 * A checkpointed step's declaration: its stored name, its lease's length, its default options,
 * its answer when busy, and its own logic.
 */
export interface CheckpointedStep<E extends StepEnv, O extends StepOptions, R> {
  /** Names the step's lease and its checkpoint as stored: never renamed (deployed checkpoints are read by it). */
  job: string;
  /** The lease's length for a budget. */
  leaseMs(budgetMs: number): number;
  defaults: O;
  /** The answer when another instance holds the lease (the step did nothing). */
  busy(): R;
  /** The step's own logic: from `run.checkpoint`, within `run.budget`, advancing the checkpoint when done. */
  work(env: E, opts: O, run: StepRun): Promise<R>;
}

/**
 * Runs a step: starts its budget (the clock is read first, before the lease), takes its lease at
 * now() or answers busy, opens its checkpoint and runs its work, and releases the lease. A throw
 * passes through (with the lease released and the checkpoint unmoved): the round's `guarded` logs it.
 */
export async function runCheckpointedStep<E extends StepEnv, O extends StepOptions, R>(
  step: CheckpointedStep<E, O, R>,
  env: E,
  options: Partial<O> = {},
): Promise<R> {
  const opts: O = { ...step.defaults, ...options };
  const budget = new StepBudget(opts.budgetMs, opts.clock);
  const { stores } = env;
  return underLease(
    stores.leases,
    step.job,
    env.now(),
    step.leaseMs(opts.budgetMs),
    () => step.busy(),
    async () =>
      step.work(env, opts, {
        checkpoint: await StepCheckpoint.open(stores, step.job),
        budget,
        open: (name) => StepCheckpoint.open(stores, name),
      }),
  );
}
