/**
 * The track use case: validate each event on its own, store the new ones exactly once, and
 * bump the real-time counters for what was newly stored.
 */
import type { z } from 'zod';
import type { RejectedEvent, TrackResponse, TrackedEvent } from '../../typings';
import { dayBucket, minuteBucket } from '../engine/time';
import { AppError, rateLimited } from '../errors';
import type { CounterDelta, StoredEvent } from '../ports';
import { trackGate } from '../privacy/gate';
import type { FunctionContext } from '../runtime/function';
import { recordAdEvents } from './ad-events';
import { eventDeltas } from './counting';
import { MAX_BATCH_BYTES, eventSchema, type trackInput } from './schema';

export const MAX_CLOCK_SKEW_MS = 24 * 3600_000;
export const RATE_LIMIT_PER_MINUTE = 600;

const BASE_KEYS = new Set([
  'eventId',
  'type',
  'clientTime',
  'sessionId',
  'page',
  'itemId',
  'adId',
  'slateId',
  'position',
  'variant',
]);

export function toStored(e: TrackedEvent, openid: string, now: number): StoredEvent {
  const props: StoredEvent['props'] = {};
  for (const [k, v] of Object.entries(e)) if (!BASE_KEYS.has(k)) props[k] = v as string | number;
  const stored: StoredEvent = {
    openid,
    eventId: e.eventId,
    type: e.type,
    serverTime: now,
    clientTime: e.clientTime,
    clockSkewed: Math.abs(e.clientTime - now) > MAX_CLOCK_SKEW_MS,
    sessionId: e.sessionId,
    page: e.page,
    props,
  };
  for (const k of ['itemId', 'adId', 'slateId', 'variant'] as const)
    if (e[k] !== undefined) stored[k] = e[k];
  if (e.position !== undefined) stored.position = e.position;
  return stored;
}

export async function ingest(
  req: z.output<typeof trackInput>,
  ctx: FunctionContext,
): Promise<TrackResponse> {
  if (Buffer.byteLength(JSON.stringify(req)) > MAX_BATCH_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `一批事件不能超过 ${MAX_BATCH_BYTES / 1024} KB，请分批发送`,
    );
  }
  const now = ctx.now();
  const rejected: RejectedEvent[] = [];
  const valid: StoredEvent[] = [];
  req.events.forEach((raw, index) => {
    const parsed = eventSchema.safeParse(raw);
    if (parsed.success) {
      valid.push(toStored(parsed.data, ctx.openid, now));
      return;
    }
    const eventId = (raw as { eventId?: unknown } | null)?.eventId;
    const issue = parsed.error.issues[0];
    rejected.push({
      index,
      ...(typeof eventId === 'string' && eventId.length <= 64 ? { eventId } : {}),
      reason: `${issue.path.join('.') || 'event'}: ${issue.message}`,
    });
  });

  const day = dayBucket(now);
  // PIPL: nothing is stored without a recorded consent, nor for an erased user: acknowledged, dropped, counted.
  const gate = valid.length > 0 ? await trackGate(ctx.stores, ctx.openid, now, ctx.config) : null;
  if (gate && !gate.store) {
    const field = gate.reason === 'erased' ? 'droppedErased' : 'droppedNoConsent';
    await ctx.stores.counters.add([
      { scope: 'ingest', id: 'all', bucket: day, field, by: valid.length },
    ]);
    return {
      accepted: [],
      duplicates: [],
      rejected,
      dropped: valid.length,
      sampling: ctx.config.trackSampling,
    };
  }
  // After an erasure, events the device made before it are late retries of erased data.
  const erasedAt = gate?.store ? gate.erasedAt : null;
  const late = erasedAt === null ? [] : valid.filter((e) => e.clientTime < erasedAt);
  if (late.length > 0) valid.splice(0, valid.length, ...valid.filter((e) => !late.includes(e)));
  if (valid.length > 0) {
    const [perMinute] = await ctx.stores.counters.add([
      {
        scope: 'rate',
        id: ctx.openid,
        bucket: minuteBucket(now),
        field: 'events',
        by: valid.length,
      },
    ]);
    if (perMinute > RATE_LIMIT_PER_MINUTE) {
      throw rateLimited(`事件发送过于频繁（每分钟最多 ${RATE_LIMIT_PER_MINUTE} 条），请稍后重试`);
    }
  }

  // The events and the counters of the new ones (items, ads, the user's frequency and hides) commit
  // as one unit: a failure or crash between them would leave stored events that a retry sees as
  // duplicates and never counts.
  const { inserted, duplicates } =
    valid.length > 0
      ? await ctx.stores.events.appendCounted(valid, eventDeltas)
      : { inserted: [], duplicates: [] };
  const fresh = new Set(inserted);
  // Each stored event once (an event id repeated within the batch is stored, and counted, once).
  const stored = valid.filter((e) => fresh.delete(e.eventId));
  const deltas: CounterDelta[] = [];
  // Ingestion health, per day: what devices dropped, what we rejected, skewed clocks (apart from the unit: a lost one is only a health figure).
  const health: [string, number][] = [
    ['accepted', inserted.length],
    ['duplicates', duplicates.length],
    ['rejected', rejected.length],
    ['clockSkewed', stored.filter((e) => e.clockSkewed).length],
    ['deviceDropped', req.dropped ?? 0],
    ['droppedErased', late.length],
  ];
  for (const [field, by] of health)
    if (by > 0) deltas.push({ scope: 'ingest', id: 'all', bucket: day, field, by });
  if (deltas.length > 0) await ctx.stores.counters.add(deltas);
  await recordAdEvents(stored, ctx);
  // The user's like state per item (their liked history): the latest tap wins, by device time. Applying
  // a tap again changes nothing, so a retried batch's duplicates are applied too: a call that stopped
  // after storing its events still gets its like states on the retry.
  const likes = valid.filter(
    (e) => (e.type === 'like' || e.type === 'unlike') && e.itemId !== undefined,
  );
  if (likes.length > 0)
    await ctx.stores.likes.apply(
      likes.map((e) => ({
        openid: e.openid,
        itemId: e.itemId!,
        liked: e.type === 'like',
        at: e.clientTime,
      })),
    );

  return {
    accepted: inserted,
    duplicates,
    rejected,
    ...(late.length > 0 ? { dropped: late.length } : {}),
    sampling: ctx.config.trackSampling,
  };
}
