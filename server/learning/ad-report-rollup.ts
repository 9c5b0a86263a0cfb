/**
 * The campaign report rollup a training run builds as it reads the event log (issue 14): per
 * campaign and CST day the ad's viewable impressions and tracked clicks (the `day` row), per
 * campaign, day, segment (slate position, launch scene) and user the same counts (each row is the
 * user's first-seen marker in that segment, so breakdowns count distinct users exactly), and the
 * orders and payments attributed to the ad by click-through: an order or payment naming the ad,
 * of the campaign's merchant, by a user who clicked the ad at most 24 h before (the clicks of the
 * last 24 h are kept in the trainer's state between runs). Saved with the trainer's state and
 * added stamped with its checkpoint revision like the experiment rollup (exactly once). Reports
 * read only these (server/merchant/reports.ts).
 */
import { ATTRIBUTION_WINDOW_MS } from '../engine/ads/report';
import { dayBucket } from '../engine/time';
import type { AdReportUnit, ServedSlate, StoredEvent } from '../ports';

/** [openid, campaign id, server time of the user's last click on it]. */
export type AdClick = [string, string, number];

export class AdReportRollup {
  private readonly units = new Map<string, AdReportUnit>();
  /** openid → campaign → last click time (the attribution window's memory). */
  private readonly clicks = new Map<string, Map<string, number>>();
  /** Orders and payments counted in this run: a resent one counts once. */
  private readonly orders = new Set<string>();

  /** `merchantOf`: the campaign's merchant (null: unknown campaign, nothing attributed). */
  constructor(
    private readonly merchantOf: (campaignId: string) => string | null,
    clicksBefore: readonly AdClick[] = [],
  ) {
    for (const [openid, adId, at] of clicksBefore) this.click(openid, adId, at);
  }

  /** The campaigns a page of events names (to look their merchants up before `ingest`). */
  static campaignIds(events: readonly StoredEvent[]): string[] {
    return [...new Set(events.flatMap((e) => (e.adId ? [e.adId] : [])))];
  }

  /** Adds a page of events; `slates` holds the slates they name (for the launch scene). */
  ingest(events: readonly StoredEvent[], slates: ReadonlyMap<string, ServedSlate>): void {
    for (const ev of events) {
      const adId = ev.adId;
      if (!adId) continue;
      const day = dayBucket(ev.serverTime);
      if (ev.type === 'impression' || ev.type === 'click') {
        const n = {
          impressions: ev.type === 'impression' ? 1 : 0,
          clicks: ev.type === 'click' ? 1 : 0,
        };
        this.add({ campaignId: adId, day, dim: 'day', key: '', openid: '' }, n);
        if (ev.position !== undefined)
          this.add(
            { campaignId: adId, day, dim: 'position', key: String(ev.position), openid: ev.openid },
            n,
          );
        const scene = ev.slateId ? slates.get(ev.slateId)?.scene : undefined;
        const key = typeof scene === 'number' ? `scene:${scene}` : 'scene:unknown';
        this.add({ campaignId: adId, day, dim: 'scene', key, openid: ev.openid }, n);
        if (ev.type === 'click') this.click(ev.openid, adId, ev.serverTime);
      } else if (ev.type === 'order' || ev.type === 'pay') this.attribute(ev, adId, day);
    }
  }

  private attribute(ev: StoredEvent, adId: string, day: string): void {
    const { orderId, amountFen, merchantId } = ev.props;
    if (
      typeof orderId !== 'string' ||
      typeof amountFen !== 'number' ||
      !(amountFen >= 0) ||
      merchantId !== this.merchantOf(adId)
    )
      return;
    const at = this.clicks.get(ev.openid)?.get(adId);
    if (at === undefined || ev.serverTime < at || ev.serverTime - at > ATTRIBUTION_WINDOW_MS)
      return;
    // An order counts once a day, a payment once (a retried event with a new id).
    const once = ev.type === 'order' ? `${adId}#order#${day}#${orderId}` : `${adId}#pay#${orderId}`;
    if (this.orders.has(once)) return;
    this.orders.add(once);
    this.add(
      {
        campaignId: adId,
        day,
        dim: ev.type === 'order' ? 'order' : 'pay',
        key: orderId,
        openid: ev.openid,
      },
      { events: 1, paidFen: ev.type === 'pay' ? amountFen : 0 },
    );
  }

  private click(openid: string, adId: string, at: number): void {
    const mine = this.clicks.get(openid) ?? this.clicks.set(openid, new Map()).get(openid)!;
    if ((mine.get(adId) ?? -Infinity) < at) mine.set(adId, at);
  }

  private add(
    id: Pick<AdReportUnit, 'campaignId' | 'day' | 'dim' | 'key' | 'openid'>,
    n: Partial<Pick<AdReportUnit, 'impressions' | 'clicks' | 'events' | 'paidFen'>>,
  ): void {
    const k = [id.campaignId, id.dim, id.day, id.key, id.openid].join('\u0000');
    const u =
      this.units.get(k) ??
      this.units.set(k, { ...id, impressions: 0, clicks: 0, events: 0, paidFen: 0 }).get(k)!;
    u.impressions += n.impressions ?? 0;
    u.clicks += n.clicks ?? 0;
    u.events += n.events ?? 0;
    u.paidFen += n.paidFen ?? 0;
  }

  /** This run's rows, to save with the trainer's state and add to the rollups. */
  snapshot(): AdReportUnit[] {
    return [...this.units.values()].map((u) => ({ ...u }));
  }

  /**
   * The clicks that can still attribute an order read after `now` (kept in the trainer's state):
   * twice the window, as an order may reach the log late (a device's queue, the settle window).
   */
  recentClicks(now: number): AdClick[] {
    const out: AdClick[] = [];
    for (const [openid, byAd] of this.clicks)
      for (const [adId, at] of byAd)
        if (now - at <= 2 * ATTRIBUTION_WINDOW_MS) out.push([openid, adId, at]);
    return out;
  }
}
