/**
 * Reports of one of the caller's campaigns over a range of CST days: reads its counters, train's
 * report rollups (server/learning/ad-report-rollup.ts; never raw events, so no cap on traffic),
 * and its pay-verified orders with the slates they name (attribution), and hands them to the pure
 * report in server/engine/ads/report.ts. Segments are the launch scenes of the slates the ad was
 * served on. Impressions are current as of train's last round (every 5 minutes); clicks, spend,
 * invalid clicks and orders are current to the call.
 */
import { limitHeavyCall } from './rate-limit';
import type { Breakdown, DailyReportRow } from '../../typings';
import { STATS, SPEND } from '../engine/ads/counter-keys';
import { breakdown, clickedThrough, dailyReport, type PaidOrder } from '../engine/ads/report';
import { RFM_SEGMENT_LABELS, type RfmSegment } from '../engine/payments/features';
import { cstDayStart } from '../engine/ads/schedule';
import { dayBucket } from '../engine/time';
import { AppError, invalidInput } from '../errors';
import { INVALID_OUTCOMES, unbilledField } from '../events/ad-events';
import type { Order } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { requireMember, type Actor } from './access';
import { ownCampaign } from './campaigns';

export const MAX_REPORT_DAYS = 31;
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
  const { counters } = ctx.stores;
  const spend = new Map<string, Record<string, number>>();
  const stats = new Map<string, Record<string, number>>();
  await Promise.all(
    days.map(async (d) => {
      spend.set(d, (await counters.read(SPEND, [campaign.id], d))[campaign.id] ?? {});
      stats.set(d, (await counters.read(STATS, [campaign.id], d))[campaign.id] ?? {});
    }),
  );
  const units = await ctx.stores.rollups.adReportUnits(campaign.id, days, ['day']);
  const end = start + days.length * DAY_MS;
  // Orders paid in the range (their days' orders, amounts and net), and every refund confirmed in
  // it, also of orders paid before it began: the refunds column is what WeChat Pay gave back in
  // the range (the report counts each order once, a refund on the day it was confirmed).
  const [paid, refunded] = await Promise.all([
    paidThroughAd(ctx, campaign.id, start, end),
    refundedThroughAd(ctx, campaign.id, start, end),
  ]);
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
    [...paid, ...refunded],
  );
}

/** The campaign's orders paid in [start, end) that came through the ad (report.ts clickedThrough). */
async function paidThroughAd(
  ctx: Ctx,
  campaignId: string,
  start: number,
  end: number,
): Promise<PaidOrder[]> {
  return throughAd(
    ctx,
    campaignId,
    await ctx.stores.orders.paidForCampaign(campaignId, start, end, MAX_ORDERS + 1),
  );
}

/** The campaign's orders whose refund was confirmed in [start, end), whenever paid, that came through the ad. */
async function refundedThroughAd(
  ctx: Ctx,
  campaignId: string,
  start: number,
  end: number,
): Promise<PaidOrder[]> {
  return throughAd(
    ctx,
    campaignId,
    await ctx.stores.orders.refundedForCampaign(campaignId, start, end, MAX_ORDERS + 1),
  );
}

async function throughAd(
  ctx: Ctx,
  campaignId: string,
  read: readonly Order[],
): Promise<PaidOrder[]> {
  if (read.length > MAX_ORDERS)
    throw new AppError('BAD_REQUEST', '这段时间的订单太多，请缩短查询的日期范围');
  const orders: PaidOrder[] = read.flatMap((o) =>
    o.paidAt === undefined
      ? []
      : [
          {
            orderId: o.outTradeNo,
            openid: o.openid,
            paidAt: o.paidAt,
            totalFen: o.totalFen,
            ...(o.attribution.slateId !== undefined ? { slateId: o.attribution.slateId } : {}),
            ...(o.attribution.position !== undefined ? { position: o.attribution.position } : {}),
            ...(o.state === 'refunded' && o.refundedAt !== undefined
              ? { refundedAt: o.refundedAt, refundFen: o.refundFen }
              : {}),
          },
        ],
  );
  const slateIds = [...new Set(orders.flatMap((o) => (o.slateId ? [o.slateId] : [])))];
  const slates = new Map(
    (slateIds.length ? await ctx.stores.slates.get(slateIds) : []).map((s) => [s.slateId, s]),
  );
  return orders.filter((o) =>
    clickedThrough(o, campaignId, o.slateId ? slates.get(o.slateId) : undefined),
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
  if (by === 'buyers') return buyerBreakdown(ctx, campaign.id, start, start + days.length * DAY_MS);
  const units = await ctx.stores.rollups.adReportUnits(campaign.id, days, [
    by === 'position' ? 'position' : 'scene',
  ]);
  return breakdown(by, units);
}

/**
 * The buyers of the orders paid through the ad in [start, end) by their RFM segment (train's
 * payment step keeps it in each buyer's profile; a buyer without one is `rfm:unknown`): orders,
 * paid amount, what was refunded of them so far and the net kept, with the
 * same k-anonymity and complementary suppression as every breakdown: a segment of fewer than
 * K_ANONYMITY buyers is never shown in any form.
 */
async function buyerBreakdown(
  ctx: Ctx,
  campaignId: string,
  start: number,
  end: number,
): Promise<Breakdown> {
  const paid = await paidThroughAd(ctx, campaignId, start, end);
  const buyers = [...new Set(paid.map((o) => o.openid))];
  const segment = new Map(
    (buyers.length ? await ctx.stores.profiles.get(buyers) : []).map((p) => [
      p.openid,
      p.payments?.segment,
    ]),
  );
  const b = breakdown(
    'buyers',
    paid.map((o) => ({
      key: `rfm:${segment.get(o.openid) ?? 'unknown'}`,
      openid: o.openid,
      impressions: 0,
      clicks: 0,
      orders: 1,
      paidFen: o.totalFen,
      // Net of every refund confirmed of it so far, as the daily report's net per paid day.
      refundedFen:
        o.refundedAt !== undefined ? Math.min(Math.max(o.refundFen ?? 0, 0), o.totalFen) : 0,
    })),
  );
  // The segments' names come from their one owner (engine/payments/features.ts), not the client.
  const labelOf = (key: string): string =>
    RFM_SEGMENT_LABELS[key.replace(/^rfm:/, '') as RfmSegment] ?? UNKNOWN_SEGMENT_LABEL;
  return { ...b, rows: b.rows.map((r) => ({ ...r, label: labelOf(r.key) })) };
}

/** A buyer without a payment summary (no profile: orders alone are no consent to profiling). */
export const UNKNOWN_SEGMENT_LABEL = '未知分群';
