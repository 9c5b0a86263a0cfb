/**
 * An experiment's results, from the rollups `train` keeps (server/learning/experiment-rollup.ts):
 * per variant and user the viewable impressions, clicks and likes on the positions the experiment
 * counts, the amount paid while it ran and the refunds later confirmed of it (per variant gross,
 * refunded and net; the paid_per_user metric stays gross, net_paid_per_user is the same per-user
 * mean less each user's refunds, with the same Welch test). Users are what is randomised, so rates are analysed
 * per user (each user's clicks over their impressions, the delta method) and the sample-ratio
 * check counts users (those with an impression: exposed). Reads only rollups: no cap, never
 * truncated, current as of the last training round.
 *
 * A creative experiment (ad.creative) counts only its campaign's card (the rollup keeps only the
 * positions where the slate showed that campaign), so its CTR is per creative variant.
 */
import type {
  Experiment,
  ExperimentMetric,
  ExperimentResults,
  MetricResult,
  VariantPurchase,
} from '../../typings';
import { METRIC_KIND } from '../engine/experiments/definition';
import {
  compareMeans,
  compareRatios,
  meanEstimate,
  ratioEstimate,
  sampleRatioCheck,
  type RatioUnit,
} from '../engine/experiments/stats';
import { AppError } from '../errors';
import { prefetchResults } from '../engine/perf/ab';
import { PAID } from '../learning/experiment-rollup';
import type { ExperimentUnit } from '../ports';
import type { FunctionContext } from '../runtime/function';

/** `config.trackSampling` scales the prefetch A/B's per-open ratios (absent: every event kept). */
type Ctx = Pick<FunctionContext, 'stores' | 'now'> & {
  config?: Pick<FunctionContext['config'], 'trackSampling'>;
};

export interface ResultOptions {
  /** Per variant, below which no verdict is given: impressions (and users) for rates, exposed users for means. */
  minImpressions: number;
  minUsers: number;
}

export const DEFAULT_RESULT_OPTIONS: ResultOptions = {
  minImpressions: 1000,
  minUsers: 100,
};

export async function experimentResults(
  ctx: Ctx,
  e: Experiment,
  opts: ResultOptions = DEFAULT_RESULT_OPTIONS,
): Promise<ExperimentResults> {
  if (e.startedAt === null) throw new AppError('CONFLICT', '实验还没有开始，没有结果');
  const exposed = new Map<string, ExperimentUnit[]>(e.variants.map((v) => [v.name, []]));
  const paid = new Map<string, number>();
  const refunded = new Map<string, { refunds: number; fen: number }>();
  let counted = 0;
  for (const u of await ctx.stores.rollups.experimentUnits(e.id)) {
    counted += u.impressions + u.clicks + u.likes;
    if (u.variant === PAID) {
      paid.set(u.openid, u.paidFen);
      refunded.set(u.openid, { refunds: u.refunds ?? 0, fen: u.refundedFen ?? 0 });
    } else if (u.impressions > 0) exposed.get(u.variant)?.push(u);
  }
  const tallies = new Map(
    [...exposed].map(([name, units]) => [
      name,
      { units, impressions: units.reduce((s, u) => s + u.impressions, 0) },
    ]),
  );

  const names = e.variants.map((v) => v.name);
  const srm = sampleRatioCheck(
    names.map((n) => tallies.get(n)!.units.length),
    e.variants.map((v) => v.weight),
  );
  const metric = (m: ExperimentMetric): MetricResult => {
    if (METRIC_KIND[m] === 'rate') {
      const units: RatioUnit[][] = names.map((n) =>
        tallies.get(n)!.units.map((u) => ({
          numerator: m === 'ctr' ? u.clicks : u.likes,
          denominator: u.impressions,
        })),
      );
      const impressions = names.map((n) => tallies.get(n)!.impressions);
      return {
        metric: m,
        test: 'delta-method z',
        minSample: opts.minImpressions,
        minUsers: opts.minUsers,
        // Impressions for the metric's precision, and users, since the users are the sample the delta method needs.
        enoughData:
          impressions.every((x) => x >= opts.minImpressions) &&
          units.every((u) => u.length >= opts.minUsers),
        variants: names.map((n, i) => ({
          variant: n,
          estimate: ratioEstimate(units[i]),
          vsControl:
            i === 0 || impressions[0] === 0 || impressions[i] === 0
              ? null
              : pick(compareRatios(units[0], units[i])),
        })),
      };
    }
    // Payments count for the paying user's exposed variant; the net metric takes back each user's
    // confirmed refunds (per-user values, so Welch's variance is that of the net amount itself).
    const net = m === 'net_paid_per_user';
    const values = names.map((n) =>
      tallies
        .get(n)!
        .units.map(
          (u) => (paid.get(u.openid) ?? 0) - (net ? (refunded.get(u.openid)?.fen ?? 0) : 0),
        ),
    );
    return {
      metric: m,
      test: 'welch t',
      minSample: opts.minUsers,
      minUsers: opts.minUsers,
      enoughData: values.every((v) => v.length >= opts.minUsers),
      variants: names.map((n, i) => ({
        variant: n,
        estimate: meanEstimate(values[i]),
        vsControl: i === 0 ? null : pick(compareMeans(values[0], values[i])),
      })),
    };
  };
  // Predicted against realised: each exposed user's propensity at exposure, and whether they paid.
  const purchase = (units: readonly ExperimentUnit[]): VariantPurchase => {
    const scored = units.flatMap((u) =>
      typeof u.propensity === 'number' && Number.isFinite(u.propensity) ? [u.propensity] : [],
    );
    const payers = units.filter((u) => (paid.get(u.openid) ?? 0) > 0).length;
    const net = units.map((u) => (paid.get(u.openid) ?? 0) - (refunded.get(u.openid)?.fen ?? 0));
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    const paidFen = sum(units.map((u) => paid.get(u.openid) ?? 0));
    const refundedFen = sum(units.map((u) => refunded.get(u.openid)?.fen ?? 0));
    return {
      scored: scored.length,
      meanPropensity: scored.length ? scored.reduce((s, p) => s + p, 0) / scored.length : null,
      payers,
      payRate: units.length ? payers / units.length : null,
      paidFen,
      refunds: sum(units.map((u) => refunded.get(u.openid)?.refunds ?? 0)),
      refundedFen,
      netFen: paidFen - refundedFen,
      netPerUser: units.length ? meanEstimate(net) : null,
    };
  };
  return {
    experimentId: e.id,
    users: Object.fromEntries(names.map((n) => [n, tallies.get(n)!.units.length])),
    purchase: Object.fromEntries(names.map((n) => [n, purchase(tallies.get(n)!.units)])),
    srm: { chiSquare: srm.chiSquare, pValue: srm.pValue, mismatch: srm.mismatch },
    target: metric(e.targetMetric),
    guardrails: e.guardrails.map(metric),
    eventsRead: counted,
    truncated: false,
    ...(e.parameter === 'feed.prefetch'
      ? {
          prefetch: prefetchResults(
            await ctx.stores.rollups.perfCells(),
            e.id,
            names,
            ctx.config?.trackSampling,
          ),
        }
      : {}),
  };
}

const pick = ({
  delta,
  low,
  high,
  pValue,
}: {
  delta: number;
  low: number | null;
  high: number | null;
  pValue: number | null;
}) => ({ delta, low, high, pValue });
