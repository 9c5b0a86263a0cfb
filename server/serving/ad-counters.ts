/**
 * Campaign-level ad counters of a warm instance — spend today, spend in total, lifetime
 * viewable impressions and clicks — read for the whole active campaign set at most every
 * `ttlMs` (AD_STATE_TTL_MS, default 1 s), on a new CST day and with each refreshed campaign set,
 * instead of three reads per ad page.
 *
 * What staleness costs: pacing and the "budget left" check see spend at most `ttlMs` old, and
 * Thompson sampling posteriors lag by as much. Budgets still hold: `track` charges a click with
 * a conditional add against the budget (counters.addIf), so an ad served on a stale figure gets
 * its click refused past the budget, never overspent. With ttlMs 0 every page reads its own.
 * The user's own counters (frequency caps, hides) are not kept here: they are read per request.
 */
import { ALL, SPEND, STATS } from '../engine/ads/counter-keys';
import type { CounterValues, Stores } from '../ports';
import type { CampaignSet } from './ad-campaigns';

export interface CampaignCounters {
  today: Record<string, CounterValues>;
  total: Record<string, CounterValues>;
  stats: Record<string, CounterValues>;
}

interface Snapshot extends CampaignCounters {
  /** The campaign set read (CampaignCache's object: a refreshed set may hold new campaigns). */
  set: CampaignSet;
  day: string;
  at: number;
}

const read = async (
  stores: Pick<Stores, 'counters'>,
  set: CampaignSet,
  day: string,
): Promise<CampaignCounters> => {
  const ids = set.campaigns.map((c) => c.id);
  const [today, total, stats] = await Promise.all([
    stores.counters.read(SPEND, ids, day),
    stores.counters.read(SPEND, ids, ALL),
    stores.counters.read(STATS, ids, ALL),
  ]);
  return { today, total, stats };
};

export class CampaignCounterCache {
  private snap: Snapshot | null = null;
  private inflight: Promise<Snapshot> | null = null;

  /**
   * Counters of every campaign in `set`, the warm instance's active set. A snapshot is reused
   * while younger than `ttlMs`, of the same CST day and of the same set; otherwise the set is
   * read once, shared by the requests waiting for it.
   */
  async get(
    stores: Pick<Stores, 'counters'>,
    set: CampaignSet,
    day: string,
    now: number,
    ttlMs: number,
  ): Promise<CampaignCounters> {
    const of = (s: Snapshot | null): s is Snapshot => s !== null && s.set === set && s.day === day;
    if (of(this.snap) && now >= this.snap.at && now - this.snap.at < ttlMs) return this.snap;
    if (ttlMs <= 0) return read(stores, set, day);
    this.inflight ??= this.refresh(stores, set, day, now).finally(() => (this.inflight = null));
    const next = await this.inflight;
    // A refresh begun for another set or day (a request racing the change) is not this one's: read directly.
    return of(next) ? next : read(stores, set, day);
  }

  private async refresh(
    stores: Pick<Stores, 'counters'>,
    set: CampaignSet,
    day: string,
    now: number,
  ): Promise<Snapshot> {
    const snap: Snapshot = { ...(await read(stores, set, day)), set, day, at: now };
    this.snap = snap;
    return snap;
  }
}
