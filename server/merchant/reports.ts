/**
 * Reports of one of the caller's campaigns over a range of CST days: reads its counters and
 * train's report rollups (server/learning/ad-report-rollup.ts; never raw events, so no cap) and
 * hands them to the pure report in server/engine/ads/report.ts. Segments are the launch scenes of
 * the slates the ad was served on. Current as of train's last round (every 5 minutes); clicks,
 * spend and invalid clicks come from the charge counters, current to the call.
 */
import { limitHeavyCall } from './rate-limit';
import type { Breakdown, DailyReportRow } from '../../typings';
import { STATS, SPEND } from '../engine/ads/counter-keys';
import { breakdown, dailyReport } from '../engine/ads/report';
import { cstDayStart } from '../engine/ads/schedule';
import { dayBucket } from '../engine/time';
import { invalidInput } from '../errors';
import { INVALID_OUTCOMES, unbilledField } from '../events/ad-events';
import type { FunctionContext } from '../runtime/function';
import { requireMember, type Actor } from './access';
import { ownCampaign } from './campaigns';

export const MAX_REPORT_DAYS = 31;
const DAY_MS = 86_400_000;

type Ctx = Pick<FunctionContext, 'stores' | 'config' | 'now'>;

/** The CST days from..to inclusive, with the epoch ms where the first starts. */
function daysOf(from: string, to: string): { days: string[]; start: number } {
  const parse = (d: string): number =>
    cstDayStart(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), 12) - 8 * 3_600_000);
  const start = parse(from);
  if (dayBucket(start) !== from) throw invalidInput([{ path: 'from', message: '不是有效日期' }]);
  if (dayBucket(parse(to)) !== to) throw invalidInput([{ path: 'to', message: '不是有效日期' }]);
  const n = Math.round((parse(to) - start) / DAY_MS) + 1;
  if (n < 1) throw invalidInput([{ path: 'to', message: '结束日期不能早于开始日期' }]);
  if (n > MAX_REPORT_DAYS)
    throw invalidInput([{ path: 'to', message: `一次最多查询 ${MAX_REPORT_DAYS} 天` }]);
  return {
    days: Array.from({ length: n }, (_, i) => dayBucket(start + i * DAY_MS + 12 * 3_600_000)),
    start,
  };
}

export async function campaignDailyReport(
  ctx: Ctx,
  actor: Actor,
  campaignId: string,
  from: string,
  to: string,
): Promise<DailyReportRow[]> {
  const campaign = await ownCampaign(ctx, requireMember(actor), campaignId);
  const { days } = daysOf(from, to);
  await limitHeavyCall(ctx, actor); // after the checks: a refused call changes nothing
  const { counters } = ctx.stores;
  const spend = new Map<string, Record<string, number>>();
  const stats = new Map<string, Record<string, number>>();
  await Promise.all(
    days.map(async (d) => {
      spend.set(d, (await counters.read(SPEND, [campaign.id], d))[campaign.id] ?? {});
      stats.set(d, (await counters.read(STATS, [campaign.id], d))[campaign.id] ?? {});
    }),
  );
  const units = await ctx.stores.rollups.adReportUnits(campaign.id, days, ['day', 'order', 'pay']);
  return dailyReport(
    days,
    (d) => ({
      clicks: spend.get(d)?.clicks ?? 0,
      spentFen: spend.get(d)?.spentFen ?? 0,
      won: stats.get(d)?.won ?? 0,
      invalidClicks: INVALID_OUTCOMES.reduce(
        (n, o) => n + (stats.get(d)?.[unbilledField(o)] ?? 0),
        0,
      ),
    }),
    units,
  );
}

export async function campaignBreakdown(
  ctx: Ctx,
  actor: Actor,
  campaignId: string,
  from: string,
  to: string,
  by: Breakdown['by'],
): Promise<Breakdown> {
  const campaign = await ownCampaign(ctx, requireMember(actor), campaignId);
  const { days } = daysOf(from, to);
  await limitHeavyCall(ctx, actor); // after the checks: a refused call changes nothing
  const units = await ctx.stores.rollups.adReportUnits(campaign.id, days, [
    by === 'position' ? 'position' : 'scene',
  ]);
  return breakdown(by, units);
}
