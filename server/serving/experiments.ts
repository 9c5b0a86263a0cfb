/**
 * The running experiments of a warm instance, re-read at most every `ttlMs` (starting or
 * stopping one takes effect within that), and the user's assignments from them. A failed read
 * keeps the last set: serving never fails for an experiment's sake.
 */
import { assign, type Assignment } from '../engine/experiments/assign';
import type { Experiment } from '../engine/experiments/definition';
import type { Stores } from '../ports';
import type { Logger } from '../runtime/function';
import { perStores } from '../runtime/per-stores';

export class ExperimentCache {
  private running: Experiment[] = [];
  private loadedAt = -Infinity;
  private inflight: Promise<void> | null = null;

  constructor(private readonly ttlMs = 30_000) {}

  async assignments(
    stores: Pick<Stores, 'experiments'>,
    openid: string,
    now: number,
    log: Logger,
  ): Promise<Assignment[]> {
    if (now - this.loadedAt >= this.ttlMs) {
      this.inflight ??= this.refresh(stores, now, log).finally(() => (this.inflight = null));
      await this.inflight;
    }
    return assign(openid, this.running);
  }

  private async refresh(
    stores: Pick<Stores, 'experiments'>,
    now: number,
    log: Logger,
  ): Promise<void> {
    try {
      this.running = await stores.experiments.list({ status: 'running' });
      this.loadedAt = now;
    } catch (err) {
      this.loadedAt = now - this.ttlMs + 5_000;
      log.error('experiments not refreshed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}

/** One cache per warm instance and store bundle. */
export const experimentsFor = perStores(() => new ExperimentCache());
