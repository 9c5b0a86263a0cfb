/**
 * An experiment's results, from the slate log and the event log: each viewable impression,
 * click and like names its slate, and the slate records the variants its user was in; pay
 * events count for the paying user's variant. Users are what is randomised, so rates are
 * analysed per user (each user's clicks over their impressions, the delta method) and the
 * sample-ratio check counts users. Reads the event log from the start up to a cap
 * (no per-variant counters are kept yet), so long-running experiments on a big log report
 * `truncated`.
 *
 * A creative experiment (ad.creative) counts only its campaign's card: the impressions, clicks
 * and likes at the positions where the slate showed that campaign, so its CTR is per creative
 * variant (a slate carries its label only when the campaign was on it).
 */
import type { Experiment, ExperimentMetric, ExperimentResults, MetricResult } from '../../typings';
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
import type { ServedSlate, StoredEvent } from '../ports';
import type { FunctionContext } from '../runtime/function';

type Ctx = Pick<FunctionContext, 'stores' | 'now'>;

export interface ResultOptions {
  /** Per variant, below which no verdict is given: impressions (and users) for rates, exposed users for means. */
  minImpressions: number;
  minUsers: number;
  /** Events read at most per call. */
  maxEvents: number;
}

export const DEFAULT_RESULT_OPTIONS: ResultOptions = {
  minImpressions: 1000,
  minUsers: 100,
  maxEvents: 200_000,
};

/** Events still being written are not read (the event log's readers keep this far behind now). */
const SETTLE_MS = 5_000;
const PAGE = 1_000;
const SLATE_BATCH = 200;

interface Tally {
  impressions: Set<string>;
  clicks: Set<string>;
  likes: Set<string>;
  users: Set<string>;
  /** Per user: viewable impressions, and clicks and likes on them (the units of the rate metrics). */
  perUser: Map<string, { impressions: number; clicks: number; likes: number }>;
}

export async function experimentResults(
  ctx: Ctx,
  e: Experiment,
  opts: ResultOptions = DEFAULT_RESULT_OPTIONS,
): Promise<ExperimentResults> {
  if (e.startedAt === null) throw new AppError('CONFLICT', '实验还没有开始，没有结果');
  const from = e.startedAt;
  const before = e.stoppedAt ?? ctx.now() - SETTLE_MS;
  const positional: StoredEvent[] = [];
  const pays: StoredEvent[] = [];
  let cursor: string | null = null;
  let read = 0;
  let truncated = false;
  for (;;) {
    const limit = Math.min(PAGE, opts.maxEvents - read);
    const page = await ctx.stores.events.readAfter(cursor, before, limit);
    read += page.events.length;
    cursor = page.cursor;
    for (const ev of page.events) {
      if (ev.serverTime < from) continue;
      if (
        (ev.type === 'impression' || ev.type === 'click' || ev.type === 'like') &&
        ev.slateId !== undefined &&
        ev.position !== undefined
      )
        positional.push(ev);
      else if (ev.type === 'pay') pays.push(ev);
    }
    if (page.events.length < limit) break;
    if (read >= opts.maxEvents) {
      truncated = true;
      break;
    }
  }

  const { variantOf, campaignAt } = await slateVariants(ctx, e, [
    ...new Set(positional.map((ev) => ev.slateId!)),
  ]);
  const tallies = new Map(
    e.variants.map((v) => [
      v.name,
      {
        impressions: new Set<string>(),
        clicks: new Set<string>(),
        likes: new Set<string>(),
        users: new Set<string>(),
        perUser: new Map(),
      } as Tally,
    ]),
  );
  const userVariant = new Map<string, string>();
  const viewerOf = new Map<string, string>();
  // Impressions first, so that a click or like only counts on a position that was seen.
  positional.sort((a, b) => Number(b.type === 'impression') - Number(a.type === 'impression'));
  for (const ev of positional) {
    const variant = variantOf.get(ev.slateId!);
    const t = variant === undefined ? undefined : tallies.get(variant);
    if (!t || variant === undefined) continue;
    const key = `${ev.slateId}#${ev.position}`;
    if (e.campaignId && !campaignAt.has(key)) continue;
    if (ev.type === 'impression') {
      if (t.impressions.has(key)) continue;
      t.impressions.add(key);
      viewerOf.set(key, ev.openid);
      t.users.add(ev.openid);
      if (!userVariant.has(ev.openid)) userVariant.set(ev.openid, variant);
      const u = t.perUser.get(ev.openid) ?? { impressions: 0, clicks: 0, likes: 0 };
      u.impressions++;
      t.perUser.set(ev.openid, u);
    } else if (t.impressions.has(key)) {
      const seen = ev.type === 'click' ? t.clicks : t.likes;
      if (seen.has(key)) continue;
      seen.add(key);
      // Credited to whoever saw the position.
      const viewer = t.perUser.get(viewerOf.get(key)!);
      if (viewer) viewer[ev.type === 'click' ? 'clicks' : 'likes']++;
    }
  }
  const paid = new Map<string, number>();
  for (const ev of pays) {
    const amount = ev.props.amountFen;
    if (userVariant.has(ev.openid) && typeof amount === 'number' && amount > 0)
      paid.set(ev.openid, (paid.get(ev.openid) ?? 0) + amount);
  }

  const names = e.variants.map((v) => v.name);
  const srm = sampleRatioCheck(
    names.map((n) => tallies.get(n)!.users.size),
    e.variants.map((v) => v.weight),
  );
  const metric = (m: ExperimentMetric): MetricResult => {
    if (METRIC_KIND[m] === 'rate') {
      const units: RatioUnit[][] = names.map((n) =>
        [...tallies.get(n)!.perUser.values()].map((u) => ({
          numerator: m === 'ctr' ? u.clicks : u.likes,
          denominator: u.impressions,
        })),
      );
      const impressions = names.map((n) => tallies.get(n)!.impressions.size);
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
    const values = names.map((n) => [...tallies.get(n)!.users].map((u) => paid.get(u) ?? 0));
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
  return {
    experimentId: e.id,
    users: Object.fromEntries(names.map((n) => [n, tallies.get(n)!.users.size])),
    srm: { chiSquare: srm.chiSquare, pValue: srm.pValue, mismatch: srm.mismatch },
    target: metric(e.targetMetric),
    guardrails: e.guardrails.map(metric),
    eventsRead: read,
    truncated,
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

/**
 * slateId → this experiment's variant, for slates served inside the window that carry it; and,
 * for a creative experiment, the "slateId#position" keys where those slates showed its campaign.
 */
async function slateVariants(
  ctx: Ctx,
  e: Experiment,
  slateIds: string[],
): Promise<{ variantOf: Map<string, string>; campaignAt: Set<string> }> {
  const variantOf = new Map<string, string>();
  const campaignAt = new Set<string>();
  const prefix = `${e.id}:`;
  for (let i = 0; i < slateIds.length; i += SLATE_BATCH) {
    const slates: ServedSlate[] = await ctx.stores.slates.get(slateIds.slice(i, i + SLATE_BATCH));
    for (const s of slates) {
      const label = s.variant?.split(',').find((l) => l.startsWith(prefix));
      if (!label) continue;
      variantOf.set(s.slateId, label.slice(prefix.length));
      if (e.campaignId)
        for (const c of s.cards)
          if (c.adId === e.campaignId) campaignAt.add(`${s.slateId}#${c.position}`);
    }
  }
  return { variantOf, campaignAt };
}
