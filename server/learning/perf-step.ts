/**
 * The perf step of a `train` round (issue 18): folds the events since its own checkpoint into
 * the performance rollup cells (server/engine/perf/rollup.ts: perf timings, setData, client-seen
 * call latency, errors, feature taps, funnel steps; and the ad funnel's pay-verified orders from
 * the orders store, under a checkpoint of their own; the detail page's time to content and the
 * prefetch reports per feed.prefetch variant, for the experiment's results) and adds them to the stored cells, so the
 * 性能 page and `npm run perf:report` read only the rollups. Cells are stamped with the step's
 * checkpoint revision: a step stopped between adding and saving its checkpoint adds nothing the
 * second time (the events it read again are not counted twice; like the experiment rollups, the
 * few that the retry reads beyond the first attempt's last page are then not counted at all).
 * Funnel steps count for their session's version × platform: the contexts sessions named and
 * ad clicks' contexts are kept between rounds in the step's state blob (engine/perf/sessions.ts,
 * bounded, with a time to live), saved with the checkpoint; orders are folded after the events,
 * only once the log is drained and ORDER_LAG_MS behind it, so the click an order came from has been read.
 */
import { variantsAt } from '../engine/experiments/assign';
import { PerfFolder, paidOrdersCells } from '../engine/perf/rollup';
import { SessionContexts } from '../engine/perf/sessions';
import { settleWindowMs } from '../events/writers';
import type { Stores } from '../ports';
import type { PaidCursor } from '../ports/orders';
import {
  readLog,
  runCheckpointedStep,
  type CheckpointedStep,
  type StepOptions,
  type StepCheckpoint,
  type StepRun,
} from './checkpointed-step';

export const PERF_JOB = 'perf';
/** The ad funnel's pay-verified orders have their own checkpoint: its cursor is the paid-order cursor. */
export const PERF_ORDERS_JOB = 'perf.orders';
/**
 * Orders are read this far behind the events: an order's ad click reaches the log in the
 * tracker's next batch (every 5 s or on hide, as the payment sheet opens), or after its retries
 * (backoff capped at 60 s): two minutes lets it be read first, so the order finds its click.
 */
export const ORDER_LAG_MS = 2 * 60_000;
/** The step's state blob (each session's and ad click's context), one per checkpoint revision. */
export const perfStateKey = (rev: number): string => `perf/sessions/r${rev}.json`;

export interface PerfStepOptions extends StepOptions {
  pageSize: number;
  /** How far behind now the step reads (the event writers' timeouts and a margin). */
  settleMs: number;
}

export const DEFAULT_PERF_OPTIONS: PerfStepOptions = {
  budgetMs: 4_000,
  clock: () => performance.now(),
  pageSize: 1000,
  settleMs: settleWindowMs(),
};

export interface PerfStepResult {
  status: 'ok' | 'busy' | 'conflict';
  events: number;
  cells: number;
  /** Pay-verified orders folded into the ad funnel this round. */
  paidOrders: number;
  /** The log was not drained within the budget (the next round goes on). */
  more: boolean;
}

type PerfStores = Pick<
  Stores,
  'events' | 'checkpoints' | 'leases' | 'rollups' | 'orders' | 'experiments' | 'blobs'
>;

/** The perf step as the runner runs it (checkpointed-step.ts). */
export const PERF_STEP: CheckpointedStep<
  { stores: PerfStores; now: () => number },
  PerfStepOptions,
  PerfStepResult
> = {
  job: PERF_JOB,
  leaseMs: (budgetMs) => budgetMs * 2 + 30_000,
  defaults: DEFAULT_PERF_OPTIONS,
  busy: () => ({ status: 'busy', events: 0, cells: 0, paidOrders: 0, more: false }),
  async work({ stores, now }, opts, run) {
    const key = run.checkpoint.stateKey;
    const sessions = SessionContexts.decode(key ? await stores.blobs.get(key) : null);
    const eventsPart = await foldNewEvents(stores, now, opts, run, sessions);
    // An order's click must have been read first: orders wait while the log is behind.
    if (eventsPart.status !== 'ok' || eventsPart.more) return { ...eventsPart, paidOrders: 0 };
    const orders = await foldPaidOrders(
      stores,
      await run.open(PERF_ORDERS_JOB),
      now() - opts.settleMs - ORDER_LAG_MS,
      opts.pageSize,
      sessions,
    );
    return {
      ...eventsPart,
      status: orders.status === 'conflict' ? 'conflict' : eventsPart.status,
      paidOrders: orders.paid,
    };
  },
};

export function runPerfStep(
  stores: PerfStores,
  now: () => number,
  options: Partial<PerfStepOptions> = {},
): Promise<PerfStepResult> {
  return runCheckpointedStep(PERF_STEP, { stores, now }, options);
}

/**
 * Counts orders paid since the orders checkpoint into the ad funnel's `ad.pay` cell (stamped,
 * like the event cells, with the checkpoint revision it saves; one page per round).
 */
async function foldPaidOrders(
  stores: Pick<Stores, 'rollups' | 'orders'>,
  checkpoint: StepCheckpoint,
  before: number,
  pageSize: number,
  sessions: SessionContexts,
): Promise<{ status: 'ok' | 'conflict'; paid: number }> {
  const after = checkpoint.cursor ? (JSON.parse(checkpoint.cursor) as PaidCursor) : null;
  const page = await stores.orders.paidAfter(after, before, pageSize);
  if (page.length === 0) return { status: 'ok', paid: 0 };
  const last = page[page.length - 1]!;
  await stores.rollups.addPerfCells(checkpoint.nextRev, paidOrdersCells(page, sessions));
  const saved = await checkpoint.advance({
    cursor: JSON.stringify({ paidAt: last.paidAt!, outTradeNo: last.outTradeNo }),
    updatedAt: before,
  });
  return { status: saved ? 'ok' : 'conflict', paid: page.length };
}

async function foldNewEvents(
  stores: Pick<Stores, 'events' | 'rollups' | 'experiments'>,
  now: () => number,
  opts: PerfStepOptions,
  run: StepRun,
  sessions: SessionContexts,
): Promise<Omit<PerfStepResult, 'paidOrders'>> {
  const { checkpoint } = run;
  const before = now() - opts.settleMs;
  // The prefetch A/B: each timing and prefetch report counts for its user's feed.prefetch variant.
  const prefetchExperiments = (await stores.experiments.list({})).filter(
    (e) => e.parameter === 'feed.prefetch',
  );
  const folder = new PerfFolder(
    (openid, at) =>
      prefetchExperiments.length
        ? variantsAt(openid, prefetchExperiments, 'feed.prefetch', at)
        : [],
    sessions,
  );
  const { cursor, events, more } = await readLog(
    stores.events,
    run,
    { before: () => before, pageSize: opts.pageSize, share: 1 / 2 },
    (page) => page.forEach((e) => folder.add(e)),
  );
  if (events === 0) return { status: 'ok', events: 0, cells: 0, more: false };
  const cells = folder.cells();
  await stores.rollups.addPerfCells(checkpoint.nextRev, cells);
  sessions.prune(before);
  const { sessions: kept, clicks } = sessions.size;
  const saved = await checkpoint.advance({
    cursor,
    updatedAt: now(),
    // No state while nothing is known (a deployment that sends no perf events stores none).
    state:
      kept + clicks > 0
        ? { key: perfStateKey(checkpoint.nextRev), bytes: sessions.encode() }
        : undefined,
  });
  return { status: saved ? 'ok' : 'conflict', events, cells: cells.length, more };
}
