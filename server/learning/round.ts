/**
 * One scheduled round of the learning side, the same wherever it runs (the cloud `train`
 * timer, the local host's learning loop, `npm run train`): maintenance first (retention of old
 * events and short-lived per-user counters, resuming erasures), then a training run, then the
 * social step (the share graph, server/learning/social-step.ts) with its own slice of the budget.
 */
import type { TrainResponse } from '../../typings';
import { runMaintenance, type MaintenanceResult } from '../privacy/retention';
import type { Deps } from '../runtime/function';
import { runSocialStep, type SocialStepResult } from './social-step';
import { runTraining, type TrainOptions } from './training-run';

/** The cloud `train` function's time limit (config.json); the local host's rounds use the same. */
export const TRAIN_TIMEOUT_SECONDS = 60;
/** Share of the timeout a run may use; the rest is headroom for saving and slow storage. */
export const BUDGET_SHARE = 0.8;

/** The most of a round's budget that maintenance may use first. */
export const MAINTENANCE_MS = 8_000;
/** The most of a round's budget the social step may use (after training). */
export const SOCIAL_MS = 8_000;

export interface RoundResult {
  maintenance: MaintenanceResult;
  training: TrainResponse;
  social: SocialStepResult;
}

/** Runs a round within `budgetMs` of real time (`clock`); maintenance and the social step take at most a quarter of it each. */
export async function runRound(
  deps: Deps,
  budgetMs: number,
  options: Partial<TrainOptions> = {},
): Promise<RoundResult> {
  const clock = options.clock ?? (() => performance.now());
  const maintenanceMs = Math.min(MAINTENANCE_MS, budgetMs / 4);
  const socialMs = Math.min(SOCIAL_MS, budgetMs / 4);
  const maintenance = await runMaintenance(deps.stores, deps.now(), {
    retentionDays: deps.config.eventRetentionDays,
    inactiveDays: deps.config.inactiveRetentionDays,
    tombstoneDays: deps.config.erasureTombstoneDays,
    budgetMs: maintenanceMs,
    clock,
    log: deps.log,
  });
  const training = await runTraining(deps, {
    ...options,
    clock,
    budgetMs: budgetMs - maintenanceMs - socialMs,
  });
  const social = await runSocialStep(deps.stores, deps.now, deps.log, {
    budgetMs: socialMs,
    clock,
  });
  return { maintenance, training, social };
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
