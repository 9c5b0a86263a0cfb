/**
 * What `track` does for ads with newly stored events: the counters the auction reads (lifetime
 * impressions and clicks, the user's daily impressions per ad for the frequency cap, the ads the
 * user hid: adDeltas, stored in one unit with the events by ingest.ts), and charging each click
 * on a served ad its second price against the campaign's budgets (after the events are stored).
 *
 * A click is charged when its slate (logged by `recommend`) is the clicker's own, holds this ad
 * at this position with a price, had a viewable impression recorded at that position, and was
 * served at most CLICK_WINDOW_MS before. Each (slate, position) is charged at most once. Invalid
 * traffic is counted, never charged: a click on a position not served to the clicker or never
 * seen, a user's repeated click on one ad within REPEAT_WINDOW (this or the previous CST minute),
 * every click past CLICK_FLOOD_PER_MINUTE ad clicks of one user in a minute (the per-user
 * minute counters are short-lived: server/privacy/retention.ts), and every click of a
 * campaign-wide burst: many users' clicks on one campaign within this and the previous minute, far
 * above what its click rate lets one expect of its impressions in those minutes (campaignFlood).
 * Reports show them as 无效点击. The charge and the billed-click count go up together in
 * one guarded counter add — first today's, then the lifetime one (undone on the daily counter if
 * the lifetime budget refuses) — so neither budget is ever exceeded, however many clicks race.
 * A click past the budget is kept as an unbilled click. A failure is logged, never fails the batch
 * (the events are stored; a retry would not recount them), and loses at most that charge, in the
 * merchant's favour.
 */
import {
  ALL,
  ALL_CLICKS,
  CHARGED,
  CLICKS,
  chargedField,
  seenField,
  FREQ,
  HIDE,
  RATE,
  SPEND,
  STATS,
  adField,
} from '../engine/ads/counter-keys';
import { dayBucket, minuteBucket } from '../engine/time';
import type { CounterDelta, ServedSlate, StoredEvent } from '../ports';
import type { FunctionContext } from '../runtime/function';

export const CLICK_WINDOW_MS = 24 * 3_600_000;
/** Ad clicks of one user in one minute past which every further click is a flood. */
export const CLICK_FLOOD_PER_MINUTE = 5;
/**
 * A campaign-wide click flood: within this and the previous CST minute, more clicks on the
 * campaign than CAMPAIGN_FLOOD_MIN_CLICKS (counting each user's first click on it in the window,
 * as the per-user rules judge the rest: a burst of many users) and than CAMPAIGN_FLOOD_FACTOR times the clicks expected of its viewable
 * impressions in those minutes at its click rate — billed clicks over lifetime impressions,
 * shrunk to CAMPAIGN_CTR_PRIOR (a Beta prior's mean and weight in impressions) while it has little
 * history, so a new campaign is judged by a typical rate, and neither a flood's clicks (never
 * billed) nor the few billed before it was called one raise the bar much. Honest traffic at the
 * prior's 5 % passing it (over 10 clicks and a window CTR over 25 %) is a binomial tail of about
 * 1e-6 at 30 impressions, and smaller with more. Scripts that record an impression before each click give a window CTR
 * near 1; a typical feed ad's is a few per cent.
 */
export const CAMPAIGN_FLOOD_MIN_CLICKS = 10;
export const CAMPAIGN_FLOOD_FACTOR = 5;
export const CAMPAIGN_CTR_PRIOR = { mean: 0.05, weight: 1_000 };

export type ChargeOutcome =
  | 'charged'
  | 'duplicate'
  | 'not_served'
  | 'no_impression'
  | 'repeat'
  | 'flood'
  | 'campaign_flood'
  | 'expired'
  | 'unknown_campaign'
  | 'daily_budget'
  | 'total_budget';

/** Outcomes that are invalid traffic (无效点击), as opposed to valid clicks left unbilled (budget, age). */
export const INVALID_OUTCOMES: readonly ChargeOutcome[] = [
  'not_served',
  'no_impression',
  'duplicate',
  'repeat',
  'flood',
  'campaign_flood',
];

/** The stats field (adStats / campaign / day) counting the clicks of one unbilled outcome. */
export const unbilledField = (outcome: ChargeOutcome): string => `unbilled_${outcome}`;

/** Counter deltas of ad events: per-ad lifetime stats, per-user frequency and hides (stored with the events: ingest.ts). */
export function adDeltas(events: readonly StoredEvent[], day: string): CounterDelta[] {
  const out: CounterDelta[] = [];
  for (const e of events) {
    if (!e.adId) continue;
    if (e.type === 'impression') {
      out.push({ scope: STATS, id: e.adId, bucket: ALL, field: 'impressions', by: 1 });
      out.push({
        scope: RATE,
        id: e.adId,
        bucket: minuteBucket(e.serverTime),
        field: 'impressions',
        by: 1,
      });
      out.push({ scope: FREQ, id: e.openid, bucket: day, field: adField(e.adId), by: 1 });
      // Stored with the impression itself, so a click's charge can ask whether it was seen.
      if (e.slateId !== undefined && e.position !== undefined)
        out.push({
          scope: CHARGED,
          id: e.slateId,
          bucket: ALL,
          field: seenField(e.position),
          by: 1,
        });
    } else if (e.type === 'click') {
      out.push({ scope: STATS, id: e.adId, bucket: ALL, field: 'clicks', by: 1 });
    } else if (e.type === 'hide') {
      out.push({ scope: HIDE, id: e.openid, bucket: ALL, field: adField(e.adId), by: 1 });
    }
  }
  return out;
}

/** Charges one click on an ad (see the module header); the outcome says what happened. */
export async function chargeClick(
  ctx: Pick<FunctionContext, 'stores'>,
  click: StoredEvent,
  slate: ServedSlate | undefined,
): Promise<ChargeOutcome> {
  const { adId, position } = click;
  const card = slate?.cards.find((c) => c.position === position && c.adId === adId);
  const price = card?.priceFen;
  if (!slate || !card || !adId || position === undefined || slate.openid !== click.openid)
    return 'not_served';
  if (typeof price !== 'number' || !Number.isInteger(price) || price <= 0) return 'not_served';
  const { counters, ads } = ctx.stores;
  const seen = (await counters.read(CHARGED, [slate.slateId], ALL))[slate.slateId] ?? {};
  if (!((seen[seenField(position)] ?? 0) > 0)) return 'no_impression';
  const rate = await clickRate(ctx, click.openid, adId, click.serverTime);
  if (rate.all > CLICK_FLOOD_PER_MINUTE) return 'flood';
  if (rate.thisAd > 1) return 'repeat';
  // Past the per-user rules, so the burst counts each user's first click in the window: many users.
  if (await campaignFlood(ctx, adId, click.serverTime)) return 'campaign_flood';
  if (click.serverTime - slate.servedAt > CLICK_WINDOW_MS || click.serverTime < slate.servedAt)
    return 'expired';
  const once = await counters.addIf(
    { scope: CHARGED, id: slate.slateId, bucket: ALL },
    { [chargedField(position)]: 1 },
    { field: chargedField(position), max: 1 },
  );
  if (!once) return 'duplicate';
  const campaign = await ads.getCampaign(adId);
  if (!campaign) return 'unknown_campaign';
  const day = dayBucket(click.serverTime);
  const inc = { spentFen: price, clicks: 1 };
  if (
    !(await counters.addIf({ scope: SPEND, id: adId, bucket: day }, inc, {
      field: 'spentFen',
      max: campaign.dailyBudgetFen,
    }))
  )
    return 'daily_budget';
  if (
    !(await counters.addIf({ scope: SPEND, id: adId, bucket: ALL }, inc, {
      field: 'spentFen',
      max: campaign.totalBudgetFen,
    }))
  ) {
    await counters.add([
      { scope: SPEND, id: adId, bucket: day, field: 'spentFen', by: -price },
      { scope: SPEND, id: adId, bucket: day, field: 'clicks', by: -1 },
    ]);
    return 'total_budget';
  }
  return 'charged';
}

/**
 * Counts one click of a user on an ad in the user's minute counter and answers, after it, the
 * user's ad clicks this minute and their clicks on this ad this minute and the previous one.
 */
async function clickRate(
  ctx: Pick<FunctionContext, 'stores'>,
  openid: string,
  adId: string,
  at: number,
): Promise<{ all: number; thisAd: number }> {
  const field = adField(adId);
  const bucket = minuteBucket(at);
  const [all, thisAd] = await ctx.stores.counters.add([
    { scope: CLICKS, id: openid, bucket, field: ALL_CLICKS, by: 1 },
    { scope: CLICKS, id: openid, bucket, field, by: 1 },
  ]);
  const before = (await ctx.stores.counters.read(CLICKS, [openid], minuteBucket(at - 60_000)))[
    openid
  ];
  return { all, thisAd: thisAd + (before?.[field] ?? 0) };
}

/**
 * Counts one click on the campaign (a user's first on it in the window) in its minute counter and
 * answers whether the campaign's clicks of this and the previous minute are a flood
 * (CAMPAIGN_FLOOD_*: far above its expected clicks).
 */
async function campaignFlood(
  ctx: Pick<FunctionContext, 'stores'>,
  adId: string,
  at: number,
): Promise<boolean> {
  const { counters } = ctx.stores;
  const [clicks, views] = await counters.add([
    { scope: RATE, id: adId, bucket: minuteBucket(at), field: 'clicks', by: 1 },
    { scope: RATE, id: adId, bucket: minuteBucket(at), field: 'impressions', by: 0 },
  ]);
  const before = (await counters.read(RATE, [adId], minuteBucket(at - 60_000)))[adId] ?? {};
  const windowClicks = clicks + (before.clicks ?? 0);
  if (windowClicks <= CAMPAIGN_FLOOD_MIN_CLICKS) return false;
  const windowViews = views + (before.impressions ?? 0);
  const billed = (await counters.read(SPEND, [adId], ALL))[adId]?.clicks ?? 0;
  const seen = (await counters.read(STATS, [adId], ALL))[adId]?.impressions ?? 0;
  const { mean, weight } = CAMPAIGN_CTR_PRIOR;
  const ctr = (billed + mean * weight) / (seen + weight);
  return windowClicks > CAMPAIGN_FLOOD_FACTOR * ctr * Math.max(windowViews, 1);
}

/** Records the ad side of newly stored events; called by `ingest` after they are stored. */
export async function recordAdEvents(
  stored: readonly StoredEvent[],
  ctx: FunctionContext,
): Promise<void> {
  const adEvents = stored.filter((e) => e.adId !== undefined);
  if (adEvents.length === 0) return;
  const day = dayBucket(ctx.now());
  const clicks = adEvents.filter(
    (e) => e.type === 'click' && e.slateId !== undefined && e.position !== undefined,
  );
  let slates = new Map<string, ServedSlate>();
  try {
    if (clicks.length > 0)
      slates = new Map(
        (await ctx.stores.slates.get([...new Set(clicks.map((c) => c.slateId!))])).map((s) => [
          s.slateId,
          s,
        ]),
      );
  } catch (err) {
    ctx.log.error('ad clicks not charged: slates unreadable', {
      events: adEvents.length,
      error: err instanceof Error ? err.message : String(err),
    });
    return;
  }
  for (const click of clicks) {
    try {
      const outcome = await chargeClick(ctx, click, slates.get(click.slateId!));
      if (outcome !== 'charged') {
        await ctx.stores.counters.add([
          { scope: STATS, id: click.adId!, bucket: day, field: unbilledField(outcome), by: 1 },
        ]);
      }
    } catch (err) {
      ctx.log.error('ad click not charged', {
        adId: click.adId,
        slateId: click.slateId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
