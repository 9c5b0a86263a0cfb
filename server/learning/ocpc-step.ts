/**
 * train's oCPC step (issue 17): the conversion-rate model and the bid controller of oCPC
 * campaigns. Under its own lease and checkpoint it
 * 1. reads the ad clicks stored since its cursor (each with the user's paid orders as then known),
 *    keeping the last CLICK_WINDOW_MS of them, at most MAX_CLICKS;
 * 2. joins pay-verified orders to their click through WeChat Pay's attach (slate id and position),
 *    then relabels a click whose order WeChat Pay has since refunded in full as a settled
 *    negative (a partial refund keeps the conversion: the buyer kept part of the order). This is
 *    a retraction, as ad platforms apply to the conversions their bidding learns from (Google
 *    Ads' conversion adjustments); pCVR is then the rate of conversions kept, and the controller's
 *    CPA is spend per conversion kept;
 * 3. fits pCVR (click → pay within 24 h) with delayed feedback (Chapelle 2014, "Modeling delayed
 *    feedback in display advertising", KDD: server/engine/payments/pcvr.ts), so a recent click
 *    without a pay yet counts only by the chance its pay is still to come; gated: on a held-out
 *    fifth of the clicks its censored log-likelihood must be no worse than the mean-rate model's
 *    fitted on the same clicks, else the mean-rate model serves; with too few pays, neither
 *    (serving bids with the prior);
 * 4. moves each active oCPC campaign's controller one step (server/engine/payments/ocpc.ts: a
 *    bounded PI controller on ln(target / realised CPA)) from the day's spend (the charge
 *    counters) and the day's clicks' conversions (attributed pays plus the model's expectation
 *    for clicks whose pay may still come);
 * 5. writes the serving blob (model and factors) and its own state, then moves its checkpoint.
 */
import { SPEND } from '../engine/ads/counter-keys';
import { initialOcpcState, ocpcUpdate } from '../engine/payments/ocpc';
import {
  DelayedFeedbackModel,
  expectedConversions,
  fitDelayedFeedback,
  meanLogLikelihood,
} from '../engine/payments/pcvr';
import { pcvrFeatures, PCVR_DIM } from '../engine/payments/pcvr-features';
import { DAY_MS } from '../engine/payments/records';
import type { ClickRecord } from '../engine/payments/records';
import { hashToken } from '../engine/features/hash';
import { dayBucket } from '../engine/time';
import { settleWindowMs } from '../events/writers';
import type { Stores } from '../ports';
import { allCampaignsByStatus } from '../ports/ads';
import type { Logger } from '../runtime/function';
import {
  readLog,
  runCheckpointedStep,
  type CheckpointedStep,
  type StepOptions,
  type StepRun,
} from './checkpointed-step';
import {
  decodeState,
  encodeServing,
  encodeState,
  SERVING_KEY,
  stateKey,
  type OcpcServing,
  type OcpcStepState,
  type PcvrSource,
  type StoredClick,
} from './ocpc-state';

export const OCPC_JOB = 'ocpc';
/** Clicks kept: a week is several attribution windows (24 h) of history for the model. */
export const CLICK_WINDOW_MS = 7 * DAY_MS;
/** At most this many clicks are kept (the newest), bounding the state and the fit's time. */
export const MAX_CLICKS = 8_000;
/** Fewer pays (or clicks) than these: no model yet, serving bids with the prior pCVR. */
export const MIN_PAYS = 10;
export const MIN_CLICKS = 200;
/** Full-batch iterations of a fit from scratch (each is one pass over the clicks), and of a warm refit. */
export const FIT_ITERATIONS = 250;
export const REFIT_ITERATIONS = 80;
/**
 * The model is refitted at most this often (a fit of MAX_CLICKS takes seconds); in between, each
 * round's controller step uses the last fit with the clicks and pays of that round.
 */
export const REFIT_MS = 30 * 60_000;

export interface OcpcStepOptions extends StepOptions {
  pageSize: number;
  settleMs: number;
}

export const DEFAULT_OCPC_OPTIONS: OcpcStepOptions = {
  budgetMs: 4_000,
  clock: () => performance.now(),
  pageSize: 1000,
  settleMs: settleWindowMs(),
};

export interface OcpcCampaignStep {
  campaignId: string;
  targetCpaFen: number;
  /** Today's (CST) spend and conversions (attributed pays, and those expected still to come). */
  spentFen: number;
  pays: number;
  expected: number;
  multiplier: number;
}

export interface OcpcStepResult {
  status: 'ok' | 'busy' | 'conflict';
  newClicks: number;
  clicks: number;
  /** Clicks with an attributed pay among those kept. */
  pays: number;
  newPays: number;
  /** Clicks relabelled negative this round: their order was refunded in full. */
  newRefunds: number;
  source: PcvrSource;
  campaigns: OcpcCampaignStep[];
}

const toRecord = (c: StoredClick): ClickRecord => ({
  x: pcvrFeatures({ campaignId: c.campaignId, userOrders: c.userOrders, position: c.position }),
  clickedAt: c.at,
  paidAt: c.paidAt,
  ...(c.refunded ? { refunded: true } : {}),
});

/** A mean-rate model as a full-width one (zero feature weights), so serving reads every blob alike. */
function widen(m: DelayedFeedbackModel): DelayedFeedbackModel {
  const w = new Float64Array(PCVR_DIM + 1);
  const v = new Float64Array(PCVR_DIM + 1);
  w[0] = m.w[0];
  v[0] = m.v[0];
  return new DelayedFeedbackModel(w, v, m.windowMs);
}

/** The model serving should use, and which kind it is (the gate, module comment step 3). */
export function fitGated(
  clicks: readonly StoredClick[],
  now: number,
  previous: DelayedFeedbackModel | null = null,
): { source: PcvrSource; model: DelayedFeedbackModel | null } {
  const pays = clicks.filter((c) => c.paidAt !== null && c.paidAt <= now).length;
  if (clicks.length < MIN_CLICKS || pays < MIN_PAYS) return { source: 'prior', model: null };
  const held = (c: StoredClick) => hashToken(c.key) % 5 === 0;
  const train = clicks.filter((c) => !held(c)).map(toRecord);
  const test = clicks.filter(held).map(toRecord);
  const iterations = previous ? REFIT_ITERATIONS : FIT_ITERATIONS;
  const full = fitDelayedFeedback(train, now, { iterations, init: previous });
  // The mean-rate model has two weights: a sample of the clicks fits it as well.
  const mean = widen(
    fitDelayedFeedback(
      train.filter((_, i) => i % 4 === 0).map((r) => ({ ...r, x: [] })),
      now,
      { iterations: FIT_ITERATIONS },
    ),
  );
  if (!test.length) return { source: 'model', model: full };
  return meanLogLikelihood(full, test, now) >= meanLogLikelihood(mean, test, now)
    ? { source: 'model', model: full }
    : { source: 'baseline', model: mean };
}

const busy = (): OcpcStepResult => ({
  status: 'busy',
  newClicks: 0,
  clicks: 0,
  pays: 0,
  newPays: 0,
  newRefunds: 0,
  source: 'prior',
  campaigns: [],
});

type OcpcStores = Pick<
  Stores,
  'events' | 'checkpoints' | 'leases' | 'blobs' | 'orders' | 'profiles' | 'ads' | 'counters'
>;

interface OcpcEnv {
  stores: OcpcStores;
  now: () => number;
  log: Logger;
}

/** The oCPC step as the runner runs it (checkpointed-step.ts). */
export const OCPC_STEP: CheckpointedStep<OcpcEnv, OcpcStepOptions, OcpcStepResult> = {
  job: OCPC_JOB,
  leaseMs: (budgetMs) => budgetMs * 2 + 30_000,
  defaults: DEFAULT_OCPC_OPTIONS,
  busy,
  work: ocpcWork,
};

export function runOcpcStep(
  stores: OcpcStores,
  now: () => number,
  log: Logger,
  options: Partial<OcpcStepOptions> = {},
): Promise<OcpcStepResult> {
  return runCheckpointedStep(OCPC_STEP, { stores, now, log }, options);
}

async function ocpcWork(
  { stores, now, log }: OcpcEnv,
  opts: OcpcStepOptions,
  run: StepRun,
): Promise<OcpcStepResult> {
  const { checkpoint, budget } = run;
  let state: OcpcStepState;
  try {
    state = decodeState(checkpoint.stateKey ? await stores.blobs.get(checkpoint.stateKey) : null);
  } catch (err) {
    // A corrupted state costs the click history, not the step: it starts again from here.
    log.error('oCPC state unreadable, starting afresh', {
      error: err instanceof Error ? err.message : String(err),
    });
    state = decodeState(null);
  }
  const at = now();

  // 1. New ad clicks (a retried event is stored once, so a key is never seen twice; kept first anyway).
  const byKey = new Map(state.clicks.map((c) => [c.key, c]));
  let newClicks = 0;
  let lastRead = at - opts.settleMs;
  const { cursor, more } = await readLog(
    stores.events,
    run,
    { before: () => at - opts.settleMs, pageSize: opts.pageSize, share: 1 / 3 },
    async (events) => {
      if (events.length) lastRead = events[events.length - 1].serverTime;
      const clicks = events.filter(
        (e) =>
          e.type === 'click' &&
          e.adId !== undefined &&
          e.slateId !== undefined &&
          e.position !== undefined &&
          !byKey.has(`${e.slateId}#${e.position}`),
      );
      if (!clicks.length) return;
      const users = [...new Set(clicks.map((e) => e.openid))];
      const orders = new Map(
        (await stores.profiles.get(users)).map((p) => [p.openid, p.payments?.orders ?? 0]),
      );
      for (const e of clicks) {
        const key = `${e.slateId}#${e.position}`;
        if (byKey.has(key)) continue;
        byKey.set(key, {
          key,
          campaignId: e.adId!,
          at: e.serverTime,
          position: e.position!,
          userOrders: orders.get(e.openid) ?? 0,
          paidAt: null,
        });
        newClicks++;
      }
    },
  );
  // Pays are read only as far as the clicks were: a pay never comes before its click is kept.
  const readUntil = more ? Math.min(at - opts.settleMs, lastRead) : at - opts.settleMs;
  let kept = [...byKey.values()]
    .filter((c) => c.at > at - CLICK_WINDOW_MS)
    .sort((a, b) => a.at - b.at);
  if (kept.length > MAX_CLICKS) kept = kept.slice(kept.length - MAX_CLICKS);
  const keptByKey = new Map(kept.map((c) => [c.key, c]));

  // 2. Pays since the last round, joined to their click by the attach's slate card.
  let paid = state.paid;
  let newPays = 0;
  for (;;) {
    const page = await stores.orders.paidAfter(paid, readUntil, 500);
    for (const o of page) {
      const a = o.attribution;
      const click =
        a.slateId !== undefined && a.position !== undefined
          ? keptByKey.get(`${a.slateId}#${a.position}`)
          : undefined;
      // A click relabelled by a refund takes a later, different order of the same card again.
      if (
        click &&
        click.paidAt === null &&
        o.paidAt! >= click.at &&
        click.outTradeNo !== o.outTradeNo
      ) {
        click.paidAt = o.paidAt!;
        click.outTradeNo = o.outTradeNo;
        delete click.refunded;
        newPays++;
      }
    }
    if (page.length) {
      const last = page[page.length - 1];
      paid = { paidAt: last.paidAt!, outTradeNo: last.outTradeNo };
    }
    if (page.length < 500 || budget.elapsed() > budget.budgetMs / 2) break;
  }

  // 2b. Refunds confirmed since the last round. Only those of orders the pay cursor has passed:
  // a refund read before its pay would be undone when the pay is joined later.
  let refunds = state.refunds ?? null;
  let newRefunds = 0;
  const payRead = (o: { paidAt?: number; outTradeNo: string }) =>
    paid !== null &&
    o.paidAt !== undefined &&
    (o.paidAt < paid.paidAt || (o.paidAt === paid.paidAt && o.outTradeNo <= paid.outTradeNo));
  refundPages: for (;;) {
    const page = await stores.orders.refundedAfter(refunds, readUntil, 500);
    for (const o of page) {
      if (!payRead(o)) break refundPages;
      refunds = { refundedAt: o.refundedAt!, outTradeNo: o.outTradeNo };
      if ((o.refundFen ?? 0) < o.totalFen) continue; // partial: the conversion stands
      const a = o.attribution;
      const click =
        a.slateId !== undefined && a.position !== undefined
          ? keptByKey.get(`${a.slateId}#${a.position}`)
          : undefined;
      // States saved before refunds name no order: the pay time identifies it then.
      const same =
        click &&
        click.paidAt !== null &&
        (click.outTradeNo === undefined
          ? click.paidAt === o.paidAt
          : click.outTradeNo === o.outTradeNo);
      if (click && same) {
        click.paidAt = null;
        click.outTradeNo = o.outTradeNo;
        click.refunded = true;
        newRefunds++;
      }
    }
    if (page.length < 500 || budget.elapsed() > budget.budgetMs / 2) break;
  }

  // 3. The model.
  // A refit takes about a second per few thousand clicks: not when reading used half the budget
  // already (the next round does it; the controller steps on with the last fit meanwhile).
  const due =
    (!state.fit || at - state.fit.at >= REFIT_MS || (!state.fit.model && newPays > 0)) &&
    (!state.fit || budget.elapsed() < budget.budgetMs / 2);
  const fit = due
    ? { at, ...fitGated(kept, at, state.fit?.model ?? null) }
    : (state.fit as NonNullable<OcpcStepState['fit']>);
  const { source, model } = fit;

  // 4. The controllers of the active oCPC campaigns.
  const ocpc = (await allCampaignsByStatus(stores.ads, 'active')).filter(
    (c) => c.bidding?.mode === 'ocpc',
  );
  const day = dayBucket(at);
  const spend = ocpc.length
    ? await stores.counters.read(
        SPEND,
        ocpc.map((c) => c.id),
        day,
      )
    : {};
  // Paused campaigns keep their factor for when they resume.
  const controller: OcpcStepState['controller'] = { ...state.controller };
  const campaigns: OcpcCampaignStep[] = [];
  for (const c of ocpc) {
    if (c.bidding?.mode !== 'ocpc') continue;
    const target = c.bidding.targetCpaFen;
    const today = kept.filter((k) => k.campaignId === c.id && dayBucket(k.at) === day);
    let pays = 0;
    let expected = 0;
    if (model) {
      const e = expectedConversions(model, today.map(toRecord), at);
      pays = e.observed;
      expected = e.expected;
    } else {
      pays = today.filter((k) => k.paidAt !== null && k.paidAt - k.at <= DAY_MS).length;
      expected = pays;
    }
    const spentFen = spend[c.id]?.spentFen ?? 0;
    const prev = state.controller[c.id] ?? { ...initialOcpcState(), day };
    const next = ocpcUpdate(prev, target, spentFen, expected);
    controller[c.id] = { ...next, day };
    campaigns.push({
      campaignId: c.id,
      targetCpaFen: target,
      spentFen,
      pays,
      expected,
      multiplier: next.multiplier,
    });
  }

  // 5. Serving blob first (a lost checkpoint race only repeats a controller step), then the state.
  const serving: OcpcServing = {
    v: 1,
    at,
    source,
    model,
    multipliers: Object.fromEntries(campaigns.map((c) => [c.campaignId, c.multiplier])),
  };
  await stores.blobs.put(SERVING_KEY, encodeServing(serving));
  const saved = await checkpoint.advance({
    cursor,
    updatedAt: now(),
    state: {
      key: stateKey(checkpoint.nextRev),
      bytes: encodeState({ v: 1, clicks: kept, paid, refunds, controller, fit }),
    },
  });
  if (!saved) return { ...busy(), status: 'conflict' };
  return {
    status: 'ok',
    newClicks,
    clicks: kept.length,
    pays: kept.filter((c) => c.paidAt !== null).length,
    newPays,
    newRefunds,
    source,
    campaigns,
  };
}
