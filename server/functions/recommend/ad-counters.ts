/**
 * Campaign-level ad counters of a warm instance — spend today, spend in total, lifetime
 * viewable impressions and clicks — read for the whole active campaign set at most every
 * `ttlMs` (AD_STATE_TTL_MS, default 1 s) and on a new CST day, instead of three reads per ad page.
 *
 * What staleness costs: pacing and the "budget left" check see spend at most `ttlMs` old, and
 * Thompson sampling posteriors lag by as much. Budgets still hold: `track` charges a click with
 * a conditional add against the budget (counters.addIf), so an ad served on a stale figure gets
 * its click refused past the budget, never overspent. With ttlMs 0 every page reads its own.
 * The user's own counters (frequency caps, hides) are not kept here: they are read per request.
 */
import { ALL, SPEND, STATS } from '../../engine/ads/counter-keys';
import type { CounterValues, Stores } from '../../ports';

export interface CampaignCounters {
  today: Record<string, CounterValues>;
  total: Record<string, CounterValues>;
  stats: Record<string, CounterValues>;
}

interface Snapshot extends CampaignCounters {
  day: string;
  at: number;
  ids: ReadonlySet<string>;
}

const read = async (stores: Pick<Stores, 'counters'>, ids: string[], day: string): Promise<CampaignCounters> => {
  const [today, total, stats] = await Promise.all([stores.counters.read(SPEND, ids, day), stores.counters.read(SPEND, ids, ALL), stores.counters.read(STATS, ids, ALL)]);
  return { today, total, stats };
};

export class CampaignCounterCache {
  private snap: Snapshot | null = null;
  private inflight: Promise<Snapshot> | null = null;

  /**
   * Counters of `wanted` (ids of `active`, the instance's active set). A snapshot is reused while
   * younger than `ttlMs`, of the same day, and holding every wanted id; otherwise all of `active`
   * is read once, shared by the requests waiting for it.
   */
  async get(stores: Pick<Stores, 'counters'>, active: readonly string[], wanted: string[], day: string, now: number, ttlMs: number): Promise<CampaignCounters> {
    if (ttlMs <= 0) return read(stores, wanted, day);
    const s = this.snap;
    if (s && s.day === day && now >= s.at && now - s.at < ttlMs && wanted.every((id) => s.ids.has(id))) return s;
    this.inflight ??= this.refresh(stores, active, wanted, day, now).finally(() => (this.inflight = null));
    const next = await this.inflight;
    // A refresh started for another day or set (a request racing the day change): read directly.
    return next.day === day && wanted.every((id) => next.ids.has(id)) ? next : read(stores, wanted, day);
  }

  private async refresh(stores: Pick<Stores, 'counters'>, active: readonly string[], wanted: string[], day: string, now: number): Promise<Snapshot> {
    const ids = [...new Set([...active, ...wanted])];
    const snap: Snapshot = { ...(await read(stores, ids, day)), day, at: now, ids: new Set(ids) };
    this.snap = snap;
    return snap;
  }
}
