/**
 * Simulated users for the local host, so the learning loop is visible: a seeded population with
 * hidden interests per category browse the feed through `recommend`, send viewable impressions,
 * and click (and sometimes like and dwell) with a probability that follows their interest and
 * the position (position bias), all through the real `track` contract.
 */
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type { ApiResult, FunctionMap, FunctionName, RecommendResponse, TrackedEvent } from '../../typings';

/** Calls a function as a user: in process or over HTTP, the caller decides. */
export type CallAs = <N extends FunctionName>(fn: N, openid: string, payload: FunctionMap[N]['req']) => Promise<ApiResult<FunctionMap[N]['res']>>;

export interface SimUser {
  openid: string;
  /** Hidden click propensity per category, 0..1. */
  affinity: Record<string, number>;
}

export interface RoundReport {
  slates: number;
  impressions: number;
  clicks: number;
  rejected: number;
}

export class Simulation {
  private rng: RandomGenerator;
  readonly users: SimUser[];

  private readonly consented = new Set<string>();

  constructor(
    seed: number,
    readonly categories: readonly string[],
    userCount = 40,
  ) {
    this.rng = xoroshiro128plus(seed);
    this.users = Array.from({ length: userCount }, (_, u) => {
      // Each user loves one or two categories and barely cares for the rest.
      const loves = new Set([this.pick(categories), this.pick(categories)]);
      const affinity = Object.fromEntries(categories.map((c) => [c, loves.has(c) ? 0.5 + 0.3 * this.uniform() : 0.03 * this.uniform()]));
      return { openid: `sim-user-${String(u).padStart(3, '0')}`, affinity };
    });
  }

  private uniform(): number {
    return unsafeUniformIntDistribution(0, 1_000_000, this.rng) / 1_000_001;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[unsafeUniformIntDistribution(0, xs.length - 1, this.rng)];
  }

  private uuid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => unsafeUniformIntDistribution(0, 15, this.rng).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[unsafeUniformIntDistribution(0, 3, this.rng)]}${hex(3)}-${hex(12)}`;
  }

  /** Click probability of a user for a card: interest × position bias. */
  clickProbability(user: SimUser, category: string, position: number): number {
    return (user.affinity[category] ?? 0) / (1 + 0.15 * (position % 10));
  }

  /** Every user opens the feed (a channel or "for you", one or two pages) and reacts to what is shown. */
  async round(call: CallAs, clientTime: number): Promise<RoundReport> {
    const report: RoundReport = { slates: 0, impressions: 0, clicks: 0, rejected: 0 };
    for (const user of this.users) {
      // A simulated user agrees to the privacy notice once, as the app records it (track stores nothing without it).
      if (!this.consented.has(user.openid)) {
        const res = await call('account', user.openid, { action: 'consent.set', noticeVersion: 'simulated', granted: true });
        if (res.ok) this.consented.add(user.openid);
      }
      const channel = this.uniform() < 0.5 ? 'foryou' : this.pick(this.categories);
      const pages = 1 + unsafeUniformIntDistribution(0, 1, this.rng);
      let cursor: string | undefined;
      const events: TrackedEvent[] = [];
      const sessionId = `sim-${this.uuid().slice(0, 8)}`;
      for (let p = 0; p < pages; p++) {
        const res = await call('recommend', user.openid, { channel, limit: 10, scene: 1001, ...(cursor ? { cursor } : {}) });
        if (!res.ok) break;
        const slate: RecommendResponse = res.data;
        report.slates++;
        for (const card of slate.cards) {
          // Simulated users read content only for now; ad cards get no simulated events.
          if (card.kind !== 'content') continue;
          const base = { sessionId, page: 'pages/feed/index', clientTime, itemId: card.item.id, slateId: slate.slateId, position: card.position };
          events.push({ ...base, eventId: this.uuid(), type: 'impression' });
          report.impressions++;
          if (this.uniform() < this.clickProbability(user, card.item.category, card.position)) {
            events.push({ ...base, eventId: this.uuid(), type: 'click' });
            report.clicks++;
            events.push({ ...base, eventId: this.uuid(), type: 'dwell', dwellMs: 5_000 + unsafeUniformIntDistribution(0, 60_000, this.rng) });
            if (this.uniform() < 0.3) events.push({ ...base, eventId: this.uuid(), type: 'like' });
          }
        }
        if (!slate.cursor) break;
        cursor = slate.cursor;
      }
      for (let i = 0; i < events.length; i += 100) {
        const res = await call('track', user.openid, { schemaVersion: 1, events: events.slice(i, i + 100) });
        if (res.ok) report.rejected += res.data.rejected.length;
        else report.rejected += Math.min(100, events.length - i);
      }
    }
    return report;
  }
}
