/**
 * Folds a stream of stored events into user profiles and item neighbours, page by page:
 * the caller loads the stored profiles and neighbour lists an event page touches (see
 * `needs`), applies the page, and finally writes back what changed.
 */
import type { StoredEvent } from '../records';
import { NeighbourBuilder, type NeighbourList, type NeighbourParams } from './neighbours';
import {
  applySignal,
  decayTo,
  DEFAULT_PROFILE_PARAMS,
  emptyProfile,
  ENGAGING,
  type ItemMeta,
  type ProfileParams,
  type ProfileSignal,
  type UserProfile,
} from './profile';

const SIGNALS: ReadonlySet<string> = new Set<ProfileSignal>([
  'impression',
  'click',
  'like',
  'unlike',
  'comment',
  'share',
  'dwell',
  'pay',
  'hide',
]);

export interface AggregateStats {
  /** Events folded into a profile. */
  applied: number;
  /** Events of types that do not feed profiles (search, page_perf …). */
  ignored: number;
  /** Events refused as malformed (bad time, bad dwell, no user). */
  invalid: number;
}

export class EngagementAggregator {
  private readonly profiles = new Map<string, UserProfile>();
  private readonly changed = new Set<string>();
  private readonly neighbours: NeighbourBuilder;
  readonly stats: AggregateStats = { applied: 0, ignored: 0, invalid: 0 };

  constructor(
    private readonly params: ProfileParams = DEFAULT_PROFILE_PARAMS,
    neighbourParams?: NeighbourParams,
  ) {
    this.neighbours = new NeighbourBuilder(neighbourParams);
  }

  /** Users of a page whose profiles are not loaded yet. */
  missingUsers(events: readonly StoredEvent[]): string[] {
    return [...new Set(events.map((e) => e.openid))].filter(
      (id) => typeof id === 'string' && id && !this.profiles.has(id),
    );
  }

  /** Items whose neighbour lists a page may touch (its items and its users' recent items) and that are not loaded yet. */
  missingItems(events: readonly StoredEvent[]): string[] {
    const ids = new Set<string>();
    for (const e of events) {
      if (!e.itemId) continue;
      ids.add(e.itemId);
      for (const r of this.profiles.get(e.openid)?.recent ?? []) ids.add(r.itemId);
    }
    return [...ids].filter((id) => !this.neighbours.has(id));
  }

  /** Stored profiles (copied); users already held keep their in-memory state. */
  loadProfiles(stored: readonly UserProfile[]): void {
    for (const p of stored)
      if (!this.profiles.has(p.openid))
        this.profiles.set(p.openid, decayTo(p, p.updatedAt, this.params));
  }

  loadNeighbours(stored: readonly NeighbourList[]): void {
    this.neighbours.load(stored);
  }

  /** The profile of a user as held now (null if never seen), for feature building. */
  profile(openid: string): UserProfile | null {
    return this.profiles.get(openid) ?? null;
  }

  /** Folds a page of events; `items` gives category and tags of the items they name. */
  apply(events: readonly StoredEvent[], items: ReadonlyMap<string, ItemMeta | null>): void {
    for (const e of events) {
      if (!SIGNALS.has(e.type)) {
        this.stats.ignored++;
        continue;
      }
      const dwellMs = e.type === 'dwell' ? e.props.dwellMs : undefined;
      const badDwell =
        e.type === 'dwell' &&
        (typeof dwellMs !== 'number' || !(dwellMs >= 0 && dwellMs <= 24 * 3_600_000));
      if (
        typeof e.openid !== 'string' ||
        !e.openid ||
        !Number.isFinite(e.serverTime) ||
        e.serverTime <= 0 ||
        badDwell
      ) {
        this.stats.invalid++;
        continue;
      }
      const signal = e.type as ProfileSignal;
      let p = this.profiles.get(e.openid);
      if (!p) this.profiles.set(e.openid, (p = emptyProfile(e.openid, e.serverTime)));
      const recentBefore = p.recent;
      const item = e.itemId ? (items.get(e.itemId) ?? null) : null;
      applySignal(
        p,
        signal,
        e.serverTime,
        item,
        e.itemId,
        dwellMs as number | undefined,
        this.params,
      );
      if (e.itemId && ENGAGING.has(signal))
        this.neighbours.engage(e.itemId, e.serverTime, recentBefore);
      this.changed.add(e.openid);
      this.stats.applied++;
    }
  }

  changedProfiles(): UserProfile[] {
    return [...this.changed].map((id) => this.profiles.get(id)!);
  }

  changedNeighbours(): NeighbourList[] {
    return this.neighbours.lists();
  }
}
