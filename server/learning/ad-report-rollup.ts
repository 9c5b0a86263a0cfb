/**
 * The campaign report rollup a training run builds as it reads the event log (issue 14): per
 * campaign and CST day the ad's viewable impressions and tracked clicks (the `day` row), per
 * campaign, day, segment (slate position, launch scene) and user the same counts (each row is the
 * user's first-seen marker in that segment, so breakdowns count distinct users exactly). Orders
 * are not counted from the log (a client's order / pay events prove nothing): reports take the
 * pay-verified orders from the orders store (server/merchant/reports.ts). Saved with the
 * trainer's state and added stamped with its checkpoint revision like the experiment rollup
 * (exactly once). Reports read only these and the counters.
 */
import { dayBucket } from '../engine/time';
import type { AdReportUnit, ServedSlate, StoredEvent } from '../ports';

export class AdReportRollup {
  private readonly units = new Map<string, AdReportUnit>();

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
      }
    }
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
}
