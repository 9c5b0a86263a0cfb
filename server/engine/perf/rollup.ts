/**
 * Performance rollups: what `train` keeps of the Mini Program's perf, tap and funnel events, one
 * cell per page × release version × platform × metric, so reports never scan the event log. A
 * cell of a distribution holds a quantile sketch; a cell of a count holds only the count. Cells
 * add up: merging the cells of two batches gives the cells of both.
 */
import type { VariantOf } from '../experiments/assign';
import type { Transition } from '../prefetch/transitions';
import type { StoredEvent } from '../records';
import { clickKey, SessionContexts, type SessionContext } from './sessions';
import { QuantileSketch } from './sketch';

/** One rollup cell. `sketch` (QuantileSketch.encode) for distributions, null for counts. */
export interface PerfCell {
  page: string;
  version: string;
  platform: string;
  metric: string;
  count: number;
  sum: number;
  sketch: string | null;
}

/** Stands for "every value" in a dimension: funnel cells' page, and cells rolled up before the dimension was known. */
export const ALL = '*';
/** A dimension a client did not send (clients before issue 18). */
export const UNKNOWN = 'unknown';

/** WeChat's experience-score budgets for setData (体验评分): bytes per call, calls per second. */
export const SET_DATA_MAX_BYTES = 256 * 1024;
export const SET_DATA_MAX_PER_SECOND = 20;

/**
 * The funnels, each an ordered list of steps: a step is an event type on an item or an ad, except
 * `ad.pay`, which counts pay-verified orders from the orders store (foldPaidOrders): a client's
 * own `order` / `pay` events prove nothing, and the ad page sends none. Their cells are per
 * version × platform (page ALL): a step's events carry no release, so each counts for the
 * version and platform its session's perf events named (SessionContexts), UNKNOWN when none did;
 * an order for the context of the ad click its attribution names. Cells rolled up before that
 * are under version and platform ALL.
 */
export const FUNNELS = {
  content: ['feed.impression', 'feed.open', 'detail.like', 'detail.comment', 'detail.share'],
  ad: ['ad.impression', 'ad.landing', 'ad.pay'],
} as const;

const CONTENT_STEP: Record<string, string> = {
  impression: 'feed.impression',
  click: 'feed.open',
  like: 'detail.like',
  comment: 'detail.comment',
  share: 'detail.share',
};
const AD_STEP: Record<string, string> = {
  impression: 'ad.impression',
  click: 'ad.landing',
};

/**
 * The prefetch A/B cells (issue 18) live beside the page cells: page `ab:<experiment id>`, version
 * the variant, platform ALL; metrics `timeToContent` (a sketch of the detail page's time to its
 * content) and the counts `prefetch.reports`, `prefetch.calls`, `prefetch.bytes`, `prefetch.hits`.
 */
export const AB_PAGE = 'ab:';
/** The experiments (feed.prefetch) whose variant a user was in at a time; none when not given. */
export type VariantsOf = (openid: string, at: number) => readonly VariantOf[];

/** Count cells of page moves: page = where a `route` entry went, metric = MOVE + where it came from. */
export const MOVE = 'move.from:';

/** The measured page moves (from → to, count) in the cells: the transition model's input. */
export function routeMoves(cells: readonly PerfCell[]): Transition[] {
  return cells
    .filter((c) => c.metric.startsWith(MOVE))
    .map((c) => ({ from: c.metric.slice(MOVE.length), to: c.page, count: c.count }));
}

export const cellKey = (c: Pick<PerfCell, 'page' | 'version' | 'platform' | 'metric'>): string =>
  `${c.metric}|${c.page}|${c.version}|${c.platform}`;

/** The cell of both (same key): counts added, sketches merged. */
export function mergeCells(a: PerfCell, b: PerfCell): PerfCell {
  let sketch = a.sketch ?? b.sketch;
  if (a.sketch && b.sketch)
    sketch = QuantileSketch.decode(a.sketch).merge(QuantileSketch.decode(b.sketch)).encode();
  return { ...a, count: a.count + b.count, sum: a.sum + b.sum, sketch };
}

/** Accumulates cells while events are folded in; `cells()` gives them encoded. */
export class PerfFolder {
  /**
   * `sessions`: the contexts known so far (the perf step's state), updated with those this batch
   * teaches; a fresh one when not given.
   */
  constructor(
    private readonly variantsOf: VariantsOf = () => [],
    readonly sessions: SessionContexts = new SessionContexts(),
  ) {}

  private readonly counts = new Map<string, PerfCell>();
  /**
   * Funnel steps and ad clicks of this batch, attributed when cells() is asked: a session's
   * perf event may come later in the same batch (the log's order within a call is not the client's).
   */
  private readonly steps = new Map<string, Map<string, number>>(); // session → step → count
  private readonly clicks: { sessionId: string; key: string; at: number }[] = [];
  private readonly sketches = new Map<string, { cell: PerfCell; sketch: QuantileSketch }>();

  private count(page: string, version: string, platform: string, metric: string, n = 1): void {
    const key = cellKey({ page, version, platform, metric });
    const cell = this.counts.get(key);
    if (cell) {
      cell.count += n;
      cell.sum += n;
    } else
      this.counts.set(key, { page, version, platform, metric, count: n, sum: n, sketch: null });
  }

  private measure(
    page: string,
    version: string,
    platform: string,
    metric: string,
    value: number,
    weight = 1,
  ): void {
    const key = cellKey({ page, version, platform, metric });
    let entry = this.sketches.get(key);
    if (!entry) {
      entry = {
        cell: { page, version, platform, metric, count: 0, sum: 0, sketch: null },
        sketch: QuantileSketch.empty(),
      };
      this.sketches.set(key, entry);
    }
    entry.sketch.add(value, weight);
  }

  /** Folds one stored event in; events of other types (and malformed props) add nothing. */
  add(e: StoredEvent): void {
    const p = e.props;
    const version = typeof p.appVersion === 'string' ? p.appVersion : UNKNOWN;
    const platform = typeof p.platform === 'string' ? p.platform : UNKNOWN;
    // Any event naming its release teaches its session's context (perf, setData, calls, errors, taps).
    if (typeof p.appVersion === 'string' && e.sessionId)
      this.sessions.learn(e.sessionId, { version, platform }, e.serverTime);
    const num = (k: string): number => (typeof p[k] === 'number' ? (p[k] as number) : Number.NaN);
    switch (e.type) {
      case 'page_perf':
        if (typeof p.metric === 'string' && num('durationMs') >= 0) {
          this.measure(e.page, version, platform, p.metric, num('durationMs'));
          // A navigation: one move of the next-page transition model (routeMoves).
          if (p.metric === 'route' && typeof p.fromPage === 'string' && p.fromPage !== e.page)
            this.count(e.page, ALL, ALL, MOVE + p.fromPage);
          if (p.metric === 'timeToContent')
            for (const v of this.variantsOf(e.openid, e.serverTime))
              this.measure(AB_PAGE + v.experimentId, v.variant, ALL, p.metric, num('durationMs'));
        }
        return;
      case 'prefetch':
        if (!(num('calls') >= 0 && num('bytes') >= 0 && num('hits') >= 0)) return;
        for (const v of this.variantsOf(e.openid, e.serverTime)) {
          const page = AB_PAGE + v.experimentId;
          this.count(page, v.variant, ALL, 'prefetch.reports');
          this.count(page, v.variant, ALL, 'prefetch.calls', num('calls'));
          this.count(page, v.variant, ALL, 'prefetch.bytes', num('bytes'));
          this.count(page, v.variant, ALL, 'prefetch.hits', num('hits'));
        }
        return;
      case 'set_data': {
        const calls = num('calls');
        if (!(calls > 0)) return;
        this.measure(
          e.page,
          version,
          platform,
          'setData.bytesPerCall',
          num('bytes') / calls,
          calls,
        );
        this.measure(e.page, version, platform, 'setData.maxBytes', num('maxBytes'));
        this.measure(e.page, version, platform, 'setData.peakPerSecond', num('peakPerSecond'));
        this.count(e.page, version, platform, 'setData.reports');
        if (num('maxBytes') > SET_DATA_MAX_BYTES || num('peakPerSecond') > SET_DATA_MAX_PER_SECOND)
          this.count(e.page, version, platform, 'setData.breach');
        return;
      }
      case 'api_call':
        if (typeof p.fn !== 'string' || !(num('durationMs') >= 0)) return;
        this.measure(e.page, version, platform, `call.${p.fn}`, num('durationMs'));
        if (p.ok === false) this.count(e.page, version, platform, `callFail.${p.fn}`);
        return;
      case 'app_error':
        if (typeof p.kind === 'string') this.count(e.page, version, platform, `error.${p.kind}`);
        return;
      case 'tap':
        if (typeof p.feature === 'string')
          this.count(e.page, version, platform, `tap.${p.feature}`);
        return;
      default: {
        const step = e.adId ? AD_STEP[e.type] : e.itemId ? CONTENT_STEP[e.type] : undefined;
        if (!step) return;
        let steps = this.steps.get(e.sessionId);
        if (!steps) this.steps.set(e.sessionId, (steps = new Map()));
        steps.set(step, (steps.get(step) ?? 0) + 1);
        if (step === 'ad.landing' && e.slateId !== undefined && e.position !== undefined)
          this.clicks.push({
            sessionId: e.sessionId,
            key: clickKey(e.slateId, e.position),
            at: e.serverTime,
          });
      }
    }
  }

  /** Counts the batch's funnel steps for their sessions' contexts (UNKNOWN without one), once. */
  private attributeSteps(): void {
    const unknown = { version: UNKNOWN, platform: UNKNOWN };
    for (const [sessionId, steps] of this.steps) {
      const ctx = this.sessions.of(sessionId) ?? unknown;
      for (const [step, n] of steps)
        this.count(ALL, ctx.version, ctx.platform, `funnel.${step}`, n);
    }
    for (const c of this.clicks)
      this.sessions.noteClick(c.key, this.sessions.of(c.sessionId) ?? unknown, c.at);
    this.steps.clear();
    this.clicks.length = 0;
  }

  cells(): PerfCell[] {
    this.attributeSteps();
    const out = [...this.counts.values()];
    for (const { cell, sketch } of this.sketches.values())
      out.push({ ...cell, count: sketch.count, sum: sketch.sum, sketch: sketch.encode() });
    return out;
  }
}

/**
 * The cells of the ad funnel's last step: pay-verified orders (each bought on an ad's landing),
 * each counted for the context of the ad click its attribution names (slate and position), UNKNOWN
 * when it names none or the click was not seen.
 */
export function paidOrdersCells(
  orders: readonly { attribution: { slateId?: string; position?: number } }[],
  sessions: SessionContexts,
): PerfCell[] {
  const cells = new Map<string, PerfCell>();
  for (const o of orders) {
    const { slateId, position } = o.attribution;
    const ctx: SessionContext = (slateId !== undefined && position !== undefined
      ? sessions.click(clickKey(slateId, position))
      : undefined) ?? { version: UNKNOWN, platform: UNKNOWN };
    const cell: PerfCell = {
      page: ALL,
      ...ctx,
      metric: 'funnel.ad.pay',
      count: 0,
      sum: 0,
      sketch: null,
    };
    const key = cellKey(cell);
    const c = cells.get(key) ?? cell;
    c.count += 1;
    c.sum += 1;
    cells.set(key, c);
  }
  return [...cells.values()];
}

/** The cells of a batch of events. */
export function foldEvents(events: Iterable<StoredEvent>, variantsOf?: VariantsOf): PerfCell[] {
  const f = new PerfFolder(variantsOf);
  for (const e of events) f.add(e);
  return f.cells();
}
