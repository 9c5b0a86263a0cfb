/**
 * The label join: served slates + events → labelled impressions. A viewable impression with a
 * click on the same slate position within the window (30 min) is a positive, without one a
 * negative. Impressions younger than the window wait in the state (delayed feedback) and are
 * carried in the trainer's checkpoint; duplicates and events naming unknown slates are counted
 * and skipped. Likes, comments, shares, dwell, pay and hides on the position are kept as
 * further labels.
 *
 * With `early` (the trainer's default) nothing waits for the window to be learned. Once the
 * watermark has passed a viewable impression (every event up to it read), it comes out as a
 * positive if its click has arrived, else as a *provisional* negative; a click arriving later
 * (within the window) comes out as a positive then. This is the fake-negative stream of Ktena et al. 2019 ("Addressing delayed
 * feedback for continuous training with neural networks in CTR prediction", RecSys), except
 * that a click known at the first flush yields no fake negative. Learned as it is, it would
 * under-predict; the learner corrects it with importance weights (training-run.ts,
 * `provisionalWeight`): a positive weighs 1, a provisional negative (1 − p̂) / (1 − p̂·a), p̂
 * the model's click probability and a the share of clicks known at their impression's first
 * flush (counted here, `promptShare`). In expectation the gradient at x is then
 * p·(σ − 1) + w·σ·(1 − p·a), which is zero at σ = p: unbiased however late the clicks come
 * (FNW's importance weights for this stream). The window still bounds when a click counts.
 */
import type { EventType } from '../../../typings';
import type { UserFeatures } from '../features/transformer';
import type { ServedSlate, StoredEvent } from '../records';

export const CLICK_WINDOW_MS = 30 * 60_000;

const KNOWN_TYPES: ReadonlySet<string> = new Set<EventType>([
  'impression',
  'click',
  'like',
  'unlike',
  'comment',
  'share',
  'share_open',
  'dwell',
  'hide',
  'search',
  'order',
  'pay',
  'page_perf',
  'set_data',
  'api_call',
  'app_error',
  'tap',
  'prefetch',
]);
/** Signals kept as further labels when they name a slate position. */
const FURTHER: ReadonlySet<string> = new Set(['like', 'comment', 'share', 'dwell', 'pay', 'hide']);

/** One served card waiting for (or holding) its outcome. */
export interface PendingImpression {
  slateId: string;
  position: number;
  openid: string;
  itemId?: string;
  adId?: string;
  servedAt: number;
  modelVersion: string | null;
  variant: string | null;
  personalised: boolean;
  scene: number | null;
  score: number | null;
  propensity: number;
  /** Viewable impression time; null while only a click has arrived (out of order). */
  impressionAt: number | null;
  clickAt: number | null;
  /** First event seen for the position: an orphan click expires from here. */
  firstSeenAt: number;
  /** Arrival order of the position (ties in time resolve in log order, deterministically). */
  seq: number;
  liked: boolean;
  commented: boolean;
  shared: boolean;
  hidden: boolean;
  dwellMs: number;
  paidFen: number;
  /** The user's model features as they were when the position was first seen (no later events leak in). */
  user?: UserFeatures;
  /** Early mode: the impression already came out as a provisional negative. */
  provisional?: boolean;
}

/** Snapshot of a user's features at a time, taken when a position is first seen. */
export type UserSnapshot = (openid: string, at: number, personalised: boolean) => UserFeatures;

/** A resolved impression: the click label plus the further labels. */
export interface LabelledImpression extends Omit<
  PendingImpression,
  'impressionAt' | 'clickAt' | 'firstSeenAt' | 'seq'
> {
  impressionAt: number;
  clicked: 0 | 1;
}

/** What the join carries between runs (JSON-safe). */
export interface JoinState {
  pending: PendingImpression[];
  /** Early mode: clicks known at their impression's first flush, and clicks after it (absent: 0). */
  clicksPrompt?: number;
  clicksLate?: number;
  /** Resolved positions "slateId#position" and when to forget them (catches late duplicates). */
  done: [string, number][];
  /** Next arrival number. */
  seq: number;
}

export interface JoinStats {
  impressions: number;
  clicks: number;
  positives: number;
  negatives: number;
  /** A second impression or click of a position. */
  duplicates: number;
  /** Events naming a slate that was never logged. */
  unknownSlate: number;
  /** Events naming another user's slate. */
  foreignSlate: number;
  /** Events naming a position the slate does not have. */
  unknownPosition: number;
  /** Malformed events: bad time or position, unknown type. */
  invalid: number;
  unknownType: number;
  /** Clicks more than the window after their impression. */
  lateClicks: number;
  /** Clicks whose impression never arrived within the window. */
  clicksWithoutImpression: number;
  /** Further-label events whose position was not pending. */
  unmatchedSignals: number;
  /** Pending positions resolved early because the state was full. */
  overflow: number;
  /** Resolved positions forgotten before their time because the memory of them was full. */
  forgotten: number;
}

export const emptyJoinState = (): JoinState => ({ pending: [], done: [], seq: 0 });

const emptyStats = (): JoinStats => ({
  impressions: 0,
  clicks: 0,
  positives: 0,
  negatives: 0,
  duplicates: 0,
  unknownSlate: 0,
  foreignSlate: 0,
  unknownPosition: 0,
  invalid: 0,
  unknownType: 0,
  lateClicks: 0,
  clicksWithoutImpression: 0,
  unmatchedSignals: 0,
  overflow: 0,
  forgotten: 0,
});

export interface JoinOptions {
  windowMs: number;
  /**
   * Learn at once (see the header): each impression comes out as a provisional negative when
   * first flushed, its click as a positive as soon as both have arrived. Off: one label per
   * impression, when its click arrives or its window closes.
   */
  early?: boolean;
  /** Most positions held pending; beyond it the oldest are resolved early (as negatives if unclicked). */
  maxPending: number;
  /** How long a resolved position is remembered to catch duplicates, after its impression. */
  rememberMs: number;
  /** Most resolved positions remembered; beyond it the earliest resolved are forgotten first. */
  maxDone: number;
}

/**
 * The caps bound the trainer's state, which every `train` round reads whole, holds while it runs
 * and writes back (a JSON blob, trainer-state.ts). Both structures otherwise grow with the event
 * rate times their horizon (30 min pending, 2 h remembered): at the soak's hundreds of impressions
 * a second it held 70,000 pending positions (51 MB of JSON) after four minutes, on its way to the
 * former cap of 200,000, and the primary that trains grew to 1.5 GB (docs/reliability.md, Soak). Sized by the cloud `train` function's 256 MB: a
 * pending position costs about 5.6 KB at a round's peak, when the state is read and written
 * (measured on a soak's state: the blob's bytes 0.7, its text 1.4 — two bytes a character, for
 * the user snapshots' Chinese interests — the parsed state 0.7, the join's copy 0.4, its
 * snapshot 0.3, the text written 1.4 and its bytes 0.7), so 12,000 hold about 67 MB; a
 * remembered position (its key and time) about 0.3 KB, so 48,000 hold about 14 MB. Past the pending cap the oldest positions resolve early
 * (a click after that counts as late, `overflow` says how many); past the remembered cap a late
 * duplicate impression of a forgotten position could be counted again (`forgotten`) — `track`
 * already stores each event id once, so only a client re-sending under a new id gets there.
 */
export const DEFAULT_JOIN_OPTIONS: JoinOptions = {
  windowMs: CLICK_WINDOW_MS,
  maxPending: 12_000,
  rememberMs: 4 * CLICK_WINDOW_MS,
  maxDone: 48_000,
};

const keyOf = (slateId: string, position: number): string => `${slateId}#${position}`;

export class LabelJoin {
  readonly stats: JoinStats = emptyStats();
  private readonly pending = new Map<string, PendingImpression>();
  private readonly done = new Map<string, number>();
  private readonly ready: (LabelledImpression & { seq: number })[] = [];
  private seq: number;
  private clicksPrompt: number;
  private clicksLate: number;

  constructor(
    state: JoinState = emptyJoinState(),
    private readonly opts: JoinOptions = DEFAULT_JOIN_OPTIONS,
  ) {
    for (const p of state.pending) this.pending.set(keyOf(p.slateId, p.position), { ...p });
    for (const [k, until] of state.done) this.remember(k, until);
    this.seq = state.seq ?? 0;
    this.clicksPrompt = state.clicksPrompt ?? 0;
    this.clicksLate = state.clicksLate ?? 0;
    // A state saved under larger caps (or none) is brought within these before anything else.
    this.enforceLimit();
  }

  /**
   * Early mode: the share of clicks that were known when their impression was first flushed,
   * a, with a uniform prior ((prompt + 1) ÷ (all + 2)): a provisional negative's importance
   * weight is (1 − p̂) ÷ (1 − p̂·a) (see the header).
   */
  get promptShare(): number {
    return (this.clicksPrompt + 1) / (this.clicksPrompt + this.clicksLate + 2);
  }

  /** Slate ids a page of events refers to (to load from the slate log). */
  static slateIds(events: readonly StoredEvent[]): string[] {
    return [
      ...new Set(
        events
          .map((e) => e.slateId)
          .filter((s): s is string => typeof s === 'string' && s.length > 0),
      ),
    ];
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Folds a page of events (in log order); `slates` must hold every slate the page names that exists. */
  ingest(
    events: readonly StoredEvent[],
    slates: ReadonlyMap<string, ServedSlate>,
    snapshot?: UserSnapshot,
  ): void {
    for (const e of events) this.joinEvent(e, slates, snapshot);
    this.enforceLimit();
  }

  /** Joins one event with its slate: a new pending impression, its click, or a further label. */
  private joinEvent(
    e: StoredEvent,
    slates: ReadonlyMap<string, ServedSlate>,
    snapshot?: UserSnapshot,
  ): void {
    if (!KNOWN_TYPES.has(e.type)) {
      this.stats.unknownType++;
      return;
    }
    const isImpression = e.type === 'impression';
    const isClick = e.type === 'click';
    if (!isImpression && !isClick && !FURTHER.has(e.type)) return;
    if (e.slateId === undefined) return; // not from a feed slate: nothing to join
    if (
      !Number.isFinite(e.serverTime) ||
      e.serverTime <= 0 ||
      !Number.isInteger(e.position) ||
      e.position! < 0
    ) {
      this.stats.invalid++;
      return;
    }
    const position = e.position!;
    const key = keyOf(e.slateId, position);
    if (this.done.has(key)) {
      if (isImpression) this.stats.duplicates++;
      else if (isClick) this.stats.lateClicks++;
      else this.stats.unmatchedSignals++;
      return;
    }
    let p = this.pending.get(key);
    if (!p) {
      if (!isImpression && !isClick) {
        this.stats.unmatchedSignals++;
        return;
      }
      const slate = slates.get(e.slateId);
      if (!slate) return void this.stats.unknownSlate++;
      if (slate.openid !== e.openid) return void this.stats.foreignSlate++;
      const card = slate.cards.find((c) => c.position === position);
      if (!card) return void this.stats.unknownPosition++;
      p = {
        slateId: slate.slateId,
        position,
        openid: slate.openid,
        servedAt: slate.servedAt,
        modelVersion: slate.modelVersion,
        variant: slate.variant,
        personalised: slate.personalised,
        scene: slate.scene,
        score: card.score,
        propensity: card.propensity,
        impressionAt: null,
        clickAt: null,
        firstSeenAt: e.serverTime,
        seq: this.seq++,
        liked: false,
        commented: false,
        shared: false,
        hidden: false,
        dwellMs: 0,
        paidFen: 0,
      };
      if (card.itemId !== undefined) p.itemId = card.itemId;
      if (card.adId !== undefined) p.adId = card.adId;
      if (snapshot) p.user = snapshot(slate.openid, e.serverTime, slate.personalised);
      this.pending.set(key, p);
    } else if (p.openid !== e.openid) {
      return void this.stats.foreignSlate++;
    }
    if (isImpression) {
      if (p.impressionAt !== null) return void this.stats.duplicates++;
      p.impressionAt = e.serverTime;
      this.stats.impressions++;
      if (p.clickAt !== null && p.clickAt - e.serverTime > this.opts.windowMs) {
        p.clickAt = null;
        this.stats.lateClicks++;
      }
    } else if (isClick) {
      if (p.clickAt !== null) return void this.stats.duplicates++;
      if (p.impressionAt !== null && e.serverTime - p.impressionAt > this.opts.windowMs)
        return void this.stats.lateClicks++;
      p.clickAt = e.serverTime;
      this.stats.clicks++;
    } else {
      this.further(p, e);
    }
  }

  private further(p: PendingImpression, e: StoredEvent): void {
    switch (e.type) {
      case 'like':
        p.liked = true;
        break;
      case 'comment':
        p.commented = true;
        break;
      case 'share':
        p.shared = true;
        break;
      case 'hide':
        p.hidden = true;
        break;
      case 'dwell': {
        const ms = e.props.dwellMs;
        if (typeof ms === 'number' && ms >= 0 && ms <= 24 * 3_600_000) p.dwellMs += ms;
        else this.stats.invalid++;
        break;
      }
      case 'pay': {
        const fen = e.props.amountFen;
        if (typeof fen === 'number' && Number.isInteger(fen) && fen > 0 && fen <= 1e9)
          p.paidFen += fen;
        else this.stats.invalid++;
        break;
      }
    }
  }

  /**
   * Resolves every position whose window has closed by `watermark` (no event older than it is
   * still to come) and returns all labelled impressions ready so far, oldest first.
   */
  flush(watermark: number): LabelledImpression[] {
    for (const [key, p] of this.pending) {
      // Early mode judges an impression once every event up to it has been read (the watermark).
      if (this.opts.early && p.impressionAt !== null && p.impressionAt <= watermark) {
        // A click is final the moment it has arrived: learned now, not when the window closes.
        if (p.clickAt !== null) {
          if (p.provisional) this.clicksLate++;
          else this.clicksPrompt++;
          this.resolve(key, p);
          continue;
        }
        if (!p.provisional) {
          p.provisional = true;
          this.ready.push({ ...this.labelled(p, p.impressionAt), clicked: 0, provisional: true });
        }
      }
      const start = p.impressionAt ?? p.firstSeenAt;
      if (start + this.opts.windowMs <= watermark) this.resolve(key, p);
    }
    for (const [key, until] of this.done) if (until <= watermark) this.done.delete(key);
    return this.ready
      .splice(0)
      .sort(
        (a, b) =>
          a.impressionAt - b.impressionAt ||
          a.seq - b.seq ||
          Number(b.provisional === true) - Number(a.provisional === true),
      )
      .map(({ seq: _s, ...ex }) => ex);
  }

  /** The position as a labelled impression (the click label set by the caller). */
  private labelled(
    p: PendingImpression,
    impressionAt: number,
  ): Omit<LabelledImpression, 'clicked'> & { seq: number } {
    const { clickAt: _c, firstSeenAt: _f, impressionAt: _i, provisional: _p, ...rest } = p;
    return { ...rest, impressionAt };
  }

  private resolve(key: string, p: PendingImpression): void {
    this.pending.delete(key);
    if (p.impressionAt === null) {
      this.stats.clicksWithoutImpression++;
      this.remember(key, p.firstSeenAt + this.opts.rememberMs);
      return;
    }
    const clicked = p.clickAt !== null ? 1 : 0;
    if (clicked) this.stats.positives++;
    else this.stats.negatives++;
    const impressionAt = p.impressionAt;
    // An unclicked impression that came out as a provisional negative was learned already.
    if (clicked || !p.provisional) this.ready.push({ ...this.labelled(p, impressionAt), clicked });
    this.remember(key, impressionAt + this.opts.rememberMs);
  }

  /**
   * Remembers a resolved position until `until`, within maxDone: the map keeps resolution order,
   * which follows the impressions' time, so the first entries are the nearest to expiring anyway.
   */
  private remember(key: string, until: number): void {
    this.done.delete(key);
    this.done.set(key, until);
    while (this.done.size > this.opts.maxDone) {
      this.done.delete(this.done.keys().next().value!);
      this.stats.forgotten++;
    }
  }

  get doneCount(): number {
    return this.done.size;
  }

  /** Resolves the oldest positions early when more than maxPending wait. */
  private enforceLimit(): void {
    const extra = this.pending.size - this.opts.maxPending;
    if (extra <= 0) return;
    const oldest = [...this.pending]
      .sort(
        (a, b) => (a[1].impressionAt ?? a[1].firstSeenAt) - (b[1].impressionAt ?? b[1].firstSeenAt),
      )
      .slice(0, extra);
    for (const [key, p] of oldest) {
      this.stats.overflow++;
      this.resolve(key, p);
    }
  }

  /** The state to carry to the next run (resolved-but-unreturned impressions must be flushed first). */
  snapshot(): JoinState {
    return {
      pending: [...this.pending.values()].map((p) => ({ ...p })),
      done: [...this.done],
      seq: this.seq,
      ...(this.clicksPrompt || this.clicksLate
        ? { clicksPrompt: this.clicksPrompt, clicksLate: this.clicksLate }
        : {}),
    };
  }
}
