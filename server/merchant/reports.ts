/**
 * Reports of one of the caller's campaigns over a range of CST days: reads its counters and its
 * events (bounded) and hands them to the pure report in server/engine/ads/report.ts. Segments
 * are the launch scenes of the slates the ad was served on.
 */
import { limitHeavyCall } from './rate-limit';
import type { Breakdown, DailyReportRow } from '../../typings';
import { STATS, SPEND } from '../engine/ads/counter-keys';
import { ATTRIBUTION_WINDOW_MS, breakdown, dailyReport } from '../engine/ads/report';
import { cstDayStart } from '../engine/ads/schedule';
import { dayBucket } from '../engine/time';
import { AppError, invalidInput } from '../errors';
import { INVALID_OUTCOMES, unbilledField } from '../events/ad-events';
import type { StoredEvent } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { requireMember, type Actor } from './access';
import { ownCampaign } from './campaigns';

export const MAX_REPORT_DAYS = 31;
/** Events one report may read; a campaign busier than this needs a shorter range (or a rollup). */
const MAX_EVENTS = 50_000;
/** Paid orders one report may read (a page of the cloud database's 1000). */
const MAX_ORDERS = 999;
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

async function eventsOf(
  ctx: Ctx,
  campaignId: string,
  from: number,
  before: number,
): Promise<StoredEvent[]> {
  const events = await ctx.stores.events.readForAd(campaignId, from, before, MAX_EVENTS + 1);
  if (events.length > MAX_EVENTS)
    throw new AppError('BAD_REQUEST', '这段时间的数据量太大，请缩短查询的日期范围');
  return events;
}

export async function campaignDailyReport(
  ctx: Ctx,
  actor: Actor,
  campaignId: string,
  from: string,
  to: string,
): Promise<DailyReportRow[]> {
  const campaign = await ownCampaign(ctx, requireMember(actor), campaignId);
  const { days, start } = daysOf(from, to);
  await limitHeavyCall(ctx, actor); // after the checks: a refused call changes nothing
  const end = start + days.length * DAY_MS;
  const { counters } = ctx.stores;
  const spend = new Map<string, Record<string, number>>();
  const stats = new Map<string, Record<string, number>>();
  await Promise.all(
    days.map(async (d) => {
      spend.set(d, (await counters.read(SPEND, [campaign.id], d))[campaign.id] ?? {});
      stats.set(d, (await counters.read(STATS, [campaign.id], d))[campaign.id] ?? {});
    }),
  );
  const events = await eventsOf(ctx, campaign.id, start - ATTRIBUTION_WINDOW_MS, end);
  const paid = await ctx.stores.orders.paidForCampaign(campaign.id, start, end, MAX_ORDERS + 1);
  if (paid.length > MAX_ORDERS)
    throw new AppError('BAD_REQUEST', '这段时间的订单太多，请缩短查询的日期范围');
  const inRange = new Set(days);
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
    // Impressions before the first day only mattered as clicks for attribution.
    events.filter((e) => e.type !== 'impression' || inRange.has(dayBucket(e.serverTime))),
    paid.map((o) => ({
      orderId: o.outTradeNo,
      openid: o.openid,
      paidAt: o.paidAt!,
      totalFen: o.totalFen,
      ...(o.state === 'refunded' && o.refundedAt !== undefined
        ? { refundedAt: o.refundedAt, refundFen: o.refundFen }
        : {}),
    })),
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
  const { days, start } = daysOf(from, to);
  await limitHeavyCall(ctx, actor); // after the checks: a refused call changes nothing
  const events = await eventsOf(ctx, campaign.id, start, start + days.length * DAY_MS);
  if (by === 'position')
    return breakdown(by, events, (e) => (e.position === undefined ? null : String(e.position)));
  const slateIds = [...new Set(events.flatMap((e) => (e.slateId ? [e.slateId] : [])))];
  const scenes = new Map<string, number | null>();
  for (let i = 0; i < slateIds.length; i += 500) {
    for (const s of await ctx.stores.slates.get(slateIds.slice(i, i + 500)))
      scenes.set(s.slateId, s.scene);
  }
  return breakdown(by, events, (e) => {
    const scene = e.slateId ? scenes.get(e.slateId) : undefined;
    return typeof scene === 'number' ? `scene:${scene}` : 'scene:unknown';
  });
}
