/**
 * One scheduled round of the learning side, the same wherever it runs (the cloud `train`
 * timer, the local host's learning loop, `npm run train`): maintenance first (retention of old
 * events and short-lived per-user counters, resuming erasures), the order maintenance (WeChat Pay
 * queries, server/pay/settle.ts), then a training run, then the
 * social step (the share graph, server/learning/social-step.ts) with its own slice of the budget,
 * then the perf step (Mini Program performance rollups, server/learning/perf-step.ts), then the
 * payment step (each buyer's RFM segment into their profile, server/learning/payment-step.ts),
 * then the oCPC step (pCVR and the bid controllers, server/learning/ocpc-step.ts), then the
 * 热门搜索 roll-up (server/content/hot-queries.ts). The steps' lease, checkpoint, budget and failure
 * handling are one runner's (server/learning/checkpointed-step.ts).
 */
import type { TrainResponse } from '../../typings';
import { runMaintenance, type MaintenanceResult } from '../privacy/retention';
import type { Deps } from '../runtime/function';
import { runPerfStep, type PerfStepResult } from './perf-step';
import { maintainOrders, type OrderMaintenance } from '../pay/settle';
import { runPaymentStep, type PaymentStepResult } from './payment-step';
import { runOcpcStep, type OcpcStepResult } from './ocpc-step';
import { noticeCampaigns, type CampaignNoticeResult } from '../merchant/campaign-notices';
import { runSocialStep, type SocialStepResult } from './social-step';
import { rollUpHotQueries, type HotQueriesResult } from '../content/hot-queries';
import { runTraining, type TrainOptions } from './training-run';
import { guarded } from './checkpointed-step';

/** The cloud `train` function's time limit (config.json); the local host's rounds use the same. */
export const TRAIN_TIMEOUT_SECONDS = 60;
/** Share of the timeout a run may use; the rest is headroom for saving and slow storage. */
export const BUDGET_SHARE = 0.8;

/** The most of a round's budget that maintenance may use first. */
export const MAINTENANCE_MS = 8_000;
/** The most of a round's budget the social step may use (after training). */
export const SOCIAL_MS = 8_000;
/** The most of a round's budget the perf step may use (last). */
export const PERF_MS = 4_000;

export interface RoundResult {
  maintenance: MaintenanceResult;
  training: TrainResponse;
  /** The share graph (null: the step failed, logged; its checkpoint unmoved, the next round retries). */
  social: SocialStepResult | null;
  /** The perf rollups (null: the step failed, logged; its checkpoint unmoved, the next round retries). */
  perf: PerfStepResult | null;
  /** Orders settled, closed and refunds asked again (null: the step failed, logged; next round retries). */
  orders: OrderMaintenance | null;
  /** Buyers' payment summaries written (null: the step failed, logged; next round recomputes). */
  payments: PaymentStepResult | null;
  /** Merchants' subscription messages (null: the step failed, logged; the next round retries). */
  notices: CampaignNoticeResult | null;
  /** pCVR and the oCPC controllers (null: the step failed, logged; the next round goes on). */
  ocpc: OcpcStepResult | null;
  /** 热门搜索 rolled up (null: the step failed, logged; the list stays as it was until the next round). */
  hotQueries: HotQueriesResult | null;
}

/** The most of a round's budget the oCPC step may use (last). */
export const OCPC_MS = 4_000;

/** The most of a round's budget the payment step may use (last). */
export const PAYMENTS_MS = 4_000;

/** The most of a round's budget the campaign notices may use. */
export const NOTICES_MS = 2_000;

/** The most of a round's budget the order maintenance (WeChat Pay queries) may use. */
export const ORDERS_MS = 4_000;

/** Runs a round within `budgetMs` of real time (`clock`); maintenance and the social step take at most a quarter of it each, the perf step an eighth. */
export async function runRound(
  deps: Deps,
  budgetMs: number,
  options: Partial<TrainOptions> = {},
): Promise<RoundResult> {
  const clock = options.clock ?? (() => performance.now());
  const maintenanceMs = Math.min(MAINTENANCE_MS, budgetMs / 4);
  const socialMs = Math.min(SOCIAL_MS, budgetMs / 4);
  const perfMs = Math.min(PERF_MS, budgetMs / 8);
  const paymentsMs = Math.min(PAYMENTS_MS, budgetMs / 8);
  const ocpcMs = Math.min(OCPC_MS, budgetMs / 8);
  const maintenance = await runMaintenance(deps.stores, deps.now(), {
    retentionDays: deps.config.eventRetentionDays,
    inactiveDays: deps.config.inactiveRetentionDays,
    tombstoneDays: deps.config.erasureTombstoneDays,
    budgetMs: maintenanceMs,
    clock,
    log: deps.log,
  });
  const ordersStart = clock();
  // Each step below but the training run is guarded (checkpointed-step.ts): one that throws is
  // logged and answers null, its checkpoint unmoved; the others still run, and the next round
  // retries it. A training run that throws fails the round: `train` answers its stable code.
  const orders = await guarded(deps.log, 'order maintenance', () =>
    maintainOrders(deps, ordersStart + Math.min(ORDERS_MS, budgetMs / 8), clock),
  );
  // Merchants' 订阅消息: budgets used up and campaigns ending within a day (bounded like the orders).
  const notices = await guarded(deps.log, 'campaign notices', () =>
    noticeCampaigns(deps, deps.now(), { budgetMs: Math.min(NOTICES_MS, budgetMs / 16), clock }),
  );
  const training = await runTraining(deps, {
    graphFeatures: deps.config.socialGraphFeatures,
    ...options,
    clock,
    // What the order maintenance used comes out of training's share, so the round stays in budget.
    budgetMs:
      budgetMs - maintenanceMs - socialMs - perfMs - paymentsMs - ocpcMs - (clock() - ordersStart),
  });
  const social = await guarded(deps.log, 'social step', () =>
    runSocialStep(deps.stores, deps.now, deps.log, { budgetMs: socialMs, clock }),
  );
  const perf = await guarded(deps.log, 'perf step', () =>
    runPerfStep(deps.stores, deps.now, { budgetMs: perfMs, clock }),
  );
  const payments = await guarded(deps.log, 'payment step', () =>
    runPaymentStep(deps.stores, deps.now(), { budgetMs: paymentsMs, clock }),
  );
  const ocpc = await guarded(deps.log, 'oCPC step', () =>
    runOcpcStep(deps.stores, deps.now, deps.log, { budgetMs: ocpcMs, clock }),
  );
  // 热门搜索: one aggregation and one write per round (server/content/hot-queries.ts).
  const hotQueries = await guarded(deps.log, 'hot queries step', () =>
    rollUpHotQueries(deps.stores, deps.config.scene, deps.now()),
  );
  return { maintenance, training, social, perf, orders, payments, notices, ocpc, hotQueries };
}

/** One line about a round's maintenance for people (the caller prints or logs it), empty when it did nothing. */
export function describeMaintenance(m: MaintenanceResult): string {
  if (
    !m.purgedEvents &&
    !m.purgedSlates &&
    !m.purgedCounters &&
    !m.purgedReportRows &&
    !m.erasuresAdvanced &&
    !m.eventsCounted &&
    !m.inactiveUsersForgotten &&
    !m.purgedTombstones
  )
    return '';
  return (
    `maintenance: purged ${m.purgedEvents} old events, ` +
    `${m.purgedSlates ? `${m.purgedSlates} old slates, ` : ''}` +
    `${m.purgedReportRows ? `${m.purgedReportRows} old report rows, ` : ''}` +
    `${m.purgedCounters} expired per-user counters` +
    `${m.purgeComplete ? '' : ' (more left)'}; ${m.erasuresAdvanced} erasures advanced` +
    `${m.eventsCounted ? `; ${m.eventsCounted} events of stopped track calls counted` : ''}` +
    `${m.inactiveUsersForgotten ? `; state of ${m.inactiveUsersForgotten} inactive users deleted` : ''}` +
    `${m.purgedTombstones ? `; ${m.purgedTombstones} expired erasure tombstones purged` : ''}`
  );
}
