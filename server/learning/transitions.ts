/**
 * Where the page-transition model learns its moves (issue 18), behind one interface so either
 * source plugs in: today moves derived from the stored events (a session's events in client-time
 * order; a click on a feed card also implies its destination: the item's detail page or the ad
 * page), and once the perf collection stores `route` navigation entries (page, from-page), a
 * source reading those instead: implement TransitionSource over them and pass it to
 * learnTransitions (the one switch; see docs/simulation.md).
 */
import type { StoredEvent } from '../engine/records';
import {
  fitTransitions,
  type Transition,
  type TransitionModel,
} from '../engine/prefetch/transitions';
import type { Stores } from '../ports';

export const DETAIL_PAGE = 'pages/detail/index';
export const AD_PAGE = 'pages/ad/index';

export interface TransitionSource {
  /**
   * Adds the moves in `events` (one page of the log, storage order) to `moves`; `last` keeps each
   * session's last page across pages of the log.
   */
  collect(
    events: readonly StoredEvent[],
    last: Map<string, string>,
    moves: Map<string, number>,
  ): void;
}

/** The pages an event puts its session on, in order: its own, then a click's destination. */
function pagesOf(e: StoredEvent): string[] {
  const page = e.page.replace(/^\/+/, '');
  if (e.type !== 'click') return [page];
  if (e.adId !== undefined) return [page, AD_PAGE];
  if (e.itemId !== undefined && page !== DETAIL_PAGE) return [page, DETAIL_PAGE];
  return [page];
}

/** Moves from the events already stored: consecutive pages of each session. */
export const eventSource: TransitionSource = {
  collect(events, last, moves) {
    const sorted = [...events].sort((a, b) => a.clientTime - b.clientTime);
    for (const e of sorted) {
      const key = `${e.openid}\u0000${e.sessionId}`;
      for (const page of pagesOf(e)) {
        const prev = last.get(key);
        if (prev !== undefined && prev !== page) {
          const m = `${prev}\u0000${page}`;
          moves.set(m, (moves.get(m) ?? 0) + 1);
        }
        last.set(key, page);
      }
    }
  },
};

export interface LearnOptions {
  /** Events with serverTime before this only. */
  before: number;
  /** Read at most this many events (newest first is not possible on the log: the first this many). */
  maxEvents: number;
  pageSize: number;
}

/** The transition model of the stored log, read in pages through the event log port. */
export async function learnTransitions(
  stores: Pick<Stores, 'events'>,
  source: TransitionSource = eventSource,
  o: LearnOptions = { before: Date.now(), maxEvents: 1_000_000, pageSize: 1000 },
): Promise<TransitionModel> {
  const last = new Map<string, string>();
  const moves = new Map<string, number>();
  let cursor: string | null = null;
  for (let read = 0; read < o.maxEvents;) {
    const page = await stores.events.readAfter(
      cursor,
      o.before,
      Math.min(o.pageSize, o.maxEvents - read),
    );
    if (!page.events.length) break;
    source.collect(page.events, last, moves);
    read += page.events.length;
    cursor = page.cursor;
  }
  const list: Transition[] = [...moves].map(([k, count]) => {
    const [from, to] = k.split('\u0000');
    return { from, to, count };
  });
  return fitTransitions(list);
}
