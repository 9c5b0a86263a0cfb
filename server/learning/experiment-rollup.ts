/**
 * The experiment rollup a training run builds as it reads the event log: per experiment, variant
 * and user the sums the delta method needs (Deng et al. 2018) — viewable impressions of the
 * positions the experiment counts, clicks and likes on them by the user who saw them (a click or
 * like counts only on a position whose impression was counted in this run or the one before), and
 * what the user paid while it ran (under the variant PAID, joined to the user's exposed variant
 * when results are read): pay-verified orders from the orders store (`paid`), never a client's
 * `pay` event, which proves nothing — and what of it WeChat Pay later refunded (`refunded`: added
 * when the refund is confirmed, against the experiments the order counted for when paid, so the
 * gross paid amount is never rewritten and results show it net of refunds too). Each slate names its users' variants, so no assignment is replayed.
 * The run saves its sums with its trainer state and adds them to the rollups stamped with its
 * checkpoint revision (exactly once: server/learning/training-run.ts). Results read only these
 * (server/merchant/experiment-results.ts).
 */
import type { Experiment } from '../../typings';
import type { ExperimentUnit, Order, ServedSlate, StoredEvent } from '../ports';

/** The variant of a user's payments while an experiment ran (not a variant name: names are validated). */
export const PAID = '*paid';

const within = (e: Experiment, t: number): boolean =>
  e.startedAt !== null && t >= e.startedAt && (e.stoppedAt === null || t < e.stoppedAt);

/**
 * Whether an order's money counts for an experiment: a platform experiment's, every order; a
 * merchant's (a creative test), only the orders of that merchant, so its results never carry what
 * its exposed users paid other merchants.
 */
const counts = (e: Experiment, o: Order): boolean =>
  e.merchantId === null || e.merchantId === undefined || o.merchantId === e.merchantId;

export class ExperimentRollup {
  private readonly units = new Map<string, ExperimentUnit>();
  /** "slateId#position#type" counted in this run: a resent event counts once. */
  private readonly counted = new Set<string>();
  private readonly byId: Map<string, Experiment>;
  /** "slateId#position" of the impressions counted in this run and, given, in the run before. */
  private readonly seen: Set<string>;
  private readonly seenNow = new Set<string>();

  constructor(experiments: readonly Experiment[], seenBefore: readonly string[] = []) {
    this.byId = new Map(experiments.map((e) => [e.id, e]));
    this.seen = new Set(seenBefore);
  }

  /**
   * Adds a page of events; `slates` holds the slates they name (unknown ones are skipped).
   * `propensityOf` answers a user's current predicted purchase propensity (their profile's), kept
   * on the units it creates (the stored row keeps the first one: the propensity at exposure).
   */
  ingest(
    events: readonly StoredEvent[],
    slates: ReadonlyMap<string, ServedSlate>,
    propensityOf: (openid: string) => number | null = () => null,
  ): void {
    if (this.byId.size === 0) return;
    for (const ev of events) {
      if (ev.type !== 'impression' && ev.type !== 'click' && ev.type !== 'like') continue;
      if (ev.slateId === undefined || ev.position === undefined) continue;
      const slate = slates.get(ev.slateId);
      // Clicks and likes count for whoever saw the position: the slate's own user.
      if (!slate?.variant || slate.openid !== ev.openid) continue;
      const position = `${ev.slateId}#${ev.position}`;
      const once = `${position}#${ev.type}`;
      if (this.counted.has(once)) continue;
      if (ev.type !== 'impression' && !this.seen.has(position)) continue;
      this.counted.add(once);
      if (ev.type === 'impression') {
        this.seen.add(position);
        this.seenNow.add(position);
      }
      for (const label of slate.variant.split(',')) {
        const at = label.indexOf(':');
        const e = this.byId.get(label.slice(0, at));
        if (!e || !within(e, ev.serverTime)) continue;
        // A creative experiment counts only its campaign's card.
        if (
          e.campaignId &&
          !slate.cards.some((c) => c.position === ev.position && c.adId === e.campaignId)
        )
          continue;
        const u = this.unit(e.id, label.slice(at + 1), ev.openid);
        if (u.propensity === undefined) u.propensity = propensityOf(ev.openid);
        if (ev.type === 'impression') u.impressions++;
        else if (ev.type === 'click') u.clicks++;
        else u.likes++;
      }
    }
  }

  /**
   * Adds orders WeChat Pay confirmed, each read once by the run (the trainer's paid-order cursor):
   * its amount for every experiment running when it was paid (a merchant's: its own orders only). A later refund is added by
   * `refunded`, not subtracted here: the counters only grow.
   */
  paid(orders: readonly Order[]): void {
    if (this.byId.size === 0) return;
    for (const o of orders) {
      if (o.paidAt === undefined || !(o.totalFen > 0)) continue;
      for (const e of this.byId.values())
        if (within(e, o.paidAt) && counts(e, o))
          this.unit(e.id, PAID, o.openid).paidFen += o.totalFen;
    }
  }

  /**
   * Adds refunds WeChat Pay confirmed, each read once by the run (the trainer's refund cursor):
   * for every experiment that was running when the order was paid (those its `paid` counted it
   * for), one refund and its amount (never more than the order's), on the user's PAID unit. The
   * day that matters is the refund's: a refund confirmed after an experiment stopped still
   * counts against it, since the order it takes back was counted there.
   */
  refunded(orders: readonly Order[]): void {
    if (this.byId.size === 0) return;
    for (const o of orders) {
      if (o.state !== 'refunded' || o.paidAt === undefined || !(o.totalFen > 0)) continue;
      const fen = Math.min(Math.max(o.refundFen ?? 0, 0), o.totalFen);
      if (!(fen > 0)) continue;
      for (const e of this.byId.values())
        if (within(e, o.paidAt) && counts(e, o)) {
          const u = this.unit(e.id, PAID, o.openid);
          u.refunds = (u.refunds ?? 0) + 1;
          u.refundedFen = (u.refundedFen ?? 0) + fen;
        }
    }
  }

  private unit(experimentId: string, variant: string, openid: string): ExperimentUnit {
    const k = keyOf(experimentId, variant, openid);
    let u = this.units.get(k);
    if (!u) {
      u = {
        experimentId,
        variant,
        openid,
        impressions: 0,
        clicks: 0,
        likes: 0,
        paidFen: 0,
        refunds: 0,
        refundedFen: 0,
      };
      this.units.set(k, u);
    }
    return u;
  }

  /** The run's sums, one per experiment, variant and user. */
  snapshot(): ExperimentUnit[] {
    return [...this.units.values()];
  }

  /** The positions whose impressions this run counted (the next run's `seenBefore`). */
  seenPositions(): string[] {
    return [...this.seenNow];
  }
}

const keyOf = (e: string, v: string, u: string): string => `${e}\u0000${v}\u0000${u}`;
