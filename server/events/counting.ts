/**
 * The counting rule of stored events: which real-time counters (per item, per ad, the user's
 * frequency and hides) each newly stored event bumps, per day of its server time. One rule for
 * every writer: `track`'s ingest (EventLog.appendCounted), a comment posted through `content`,
 * and the maintenance step that counts a `track` call stopped half-way (EventLog.finishPending).
 */
import type { TrackedEvent } from '../../typings';
import { dayBucket } from '../engine/time';
import type { CounterDelta, StoredEvent } from '../ports';
import { adDeltas } from './ad-events';

/** Which counter field an event type bumps, per item and per ad, per day. */
const COUNTED: Partial<Record<TrackedEvent['type'], string>> = {
  impression: 'impressions',
  click: 'clicks',
  like: 'likes',
  unlike: 'unlikes',
  comment: 'comments',
  share: 'shares',
  hide: 'hides',
  order: 'orders',
  pay: 'pays',
};

/** The counter deltas of newly stored events, summed per counter so each is written once. */
export function countersFor(events: StoredEvent[], day: string): CounterDelta[] {
  const sums = new Map<string, CounterDelta>();
  const bump = (scope: string, id: string, field: string, by: number) => {
    const key = `${scope}\u0000${id}\u0000${field}`;
    const d = sums.get(key);
    if (d) d.by += by;
    else sums.set(key, { scope, id, bucket: day, field, by });
  };
  for (const e of events) {
    const field = COUNTED[e.type];
    if (!field) continue;
    if (e.itemId) bump('item', e.itemId, field, 1);
    if (e.adId) bump('ad', e.adId, field, 1);
    if ((e.type === 'pay' || e.type === 'order') && e.adId)
      bump('ad', e.adId, `${e.type}Fen`, Number(e.props.amountFen));
  }
  return [...sums.values()];
}

/**
 * The counter deltas of newly stored events (items, ads, the user's frequency and hides), per day
 * of their server time: what EventLog.appendCounted stores with them, and what
 * EventLog.finishPending counts for a call that stopped in between (from the events alone).
 */
export function eventDeltas(events: StoredEvent[]): CounterDelta[] {
  const days = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const day = dayBucket(e.serverTime);
    (days.get(day) ?? days.set(day, []).get(day)!).push(e);
  }
  return [...days].flatMap(([day, list]) => [...countersFor(list, day), ...adDeltas(list, day)]);
}
