/**
 * train's payment step: each buyer's payment summary (RFM features and segment, Hughes 1994;
 * server/engine/payments/summary.ts) from the orders WeChat Pay confirmed in the last 180 days,
 * written into the profiles that exist (a profile exists only for a user whose events were
 * collected with consent; orders alone make none). The population the segments are relative to is
 * every buyer of the window, so the step recomputes them all each round, within its budget. The
 * summary carries the risk tolerance the payments support (engine/payments/tolerance.ts). Then
 * the purchase propensity of every profiled user (propensity-step.ts).
 */
import { summarisePayments } from '../engine/payments/summary';
import { DAY_MS } from '../engine/payments/records';
import type { ProfilePayments } from '../engine/profiles/profile';
import { paidOrdersOf } from '../pay/risk';
import type { Order, PaidCursor, Stores } from '../ports';
import { ERASED_USER } from '../ports/personal-data';
import { StepBudget } from './checkpointed-step';
import { runPropensityStep, type PropensityStepResult } from './propensity-step';

/** The window of orders a segment reads. */
export const PAYMENT_WINDOW_MS = 180 * DAY_MS;
const PAGE = 500;
/** At most this many orders are read per round (a larger window is summarised from its first part). */
export const MAX_ORDERS = 20_000;
const PROFILE_BATCH = 500;

export interface PaymentStepOptions {
  budgetMs: number;
  clock: () => number;
}

export interface PaymentStepResult {
  orders: number;
  buyers: number;
  /** Profiles whose payment summary changed and was written. */
  written: number;
  /** The order window did not fit in the read limit or the budget. */
  truncated: boolean;
  /** The propensity part; null when the budget was spent before it. */
  propensity: PropensityStepResult | null;
}

export async function runPaymentStep(
  stores: Pick<Stores, 'orders' | 'profiles' | 'personal' | 'blobs'>,
  now: number,
  opts: PaymentStepOptions,
): Promise<PaymentStepResult> {
  // No lease and no checkpoint: the window is recomputed whole each round, within the budget.
  const budget = new StepBudget(opts.budgetMs, opts.clock);
  const readUntil = budget.started + budget.budgetMs / 2;
  const orders: Order[] = [];
  let cursor: PaidCursor | null = { paidAt: now - PAYMENT_WINDOW_MS, outTradeNo: '' };
  let truncated = false;
  for (;;) {
    const page = await stores.orders.paidAfter(cursor, now, PAGE);
    orders.push(...page.filter((o) => o.openid !== ERASED_USER));
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    cursor = { paidAt: last.paidAt!, outTradeNo: last.outTradeNo };
    if (orders.length >= MAX_ORDERS || budget.clock() >= readUntil) {
      truncated = true;
      break;
    }
  }
  const paid = paidOrdersOf(orders);
  const buyers = [...new Set(paid.map((o) => o.user))].sort();
  const summaries = summarisePayments(buyers, paid, now);
  let written = 0;
  for (let i = 0; i < buyers.length; i += PROFILE_BATCH) {
    if (budget.clock() >= budget.deadline) {
      truncated = true;
      break;
    }
    const changed = [];
    for (const p of await stores.profiles.get(buyers.slice(i, i + PROFILE_BATCH))) {
      const s = summaries.byUser.get(p.openid)!;
      const payments: ProfilePayments = {
        segment: s.rfm.segment,
        segmentLabel: s.segmentLabel,
        orders: s.frequency,
        monetaryFen: s.monetaryFen,
        recencyDays: s.recencyDays === null ? null : Math.floor(s.recencyDays),
        suggestedTolerance: s.tolerance.level,
        toleranceReason: s.tolerance.reason,
        asOf: now,
      };
      const { asOf: _a, ...was } = p.payments ?? { asOf: 0 };
      const { asOf: _b, ...is } = payments;
      void _a;
      void _b;
      if (JSON.stringify(was) === JSON.stringify(is)) continue;
      changed.push({ ...p, payments });
    }
    if (changed.length) await stores.profiles.put(changed);
    written += changed.length;
  }
  const propensity =
    budget.clock() < budget.deadline
      ? await runPropensityStep(
          stores,
          paid,
          now - PAYMENT_WINDOW_MS,
          now,
          budget.deadline,
          budget.clock,
        )
      : null;
  return { orders: orders.length, buyers: buyers.length, written, truncated, propensity };
}
