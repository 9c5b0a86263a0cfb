/**
 * Validation of tracked events, one event at a time, mirroring typings/events.ts.
 * Objects are strict: an unknown key (including `$`-operators or dotted paths) is rejected,
 * and every value is a bounded string or number, so nothing from the payload can act as a
 * query operator downstream.
 */
import { z } from 'zod';
import { TIMING_METRICS } from '../engine/perf/metrics';
import type { EventSchemaVersion, EventType, TrackedEvent } from '../../typings';

export const SCHEMA_VERSION: EventSchemaVersion = 1;
export const MAX_EVENTS_PER_BATCH = 100;
export const MAX_BATCH_BYTES = 64 * 1024;
export const MAX_COMMENT_CHARS = 500;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'may only contain letters, digits and _ : . -');
const epochMs = z.number().int().min(0).max(8.64e15);

const base = {
  eventId: z.uuid(),
  clientTime: epochMs,
  sessionId: id,
  page: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_/-]+$/, 'must be a page route like pages/feed/index'),
  itemId: id.optional(),
  adId: id.optional(),
  slateId: id.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  variant: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_:.,=-]+$/)
    .optional(),
};

const ev = <T extends EventType, S extends z.ZodRawShape>(type: T, extra: S) =>
  z.strictObject({ ...base, type: z.literal(type), ...extra });

/** A route as the base library names pages (no leading slash, no query). */
const pageRoute = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_/-]+$/, 'must be a page route like pages/feed/index');
/** A short lowercase name: a version, a platform, a network type, a function or feature name. */
const token = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.-]+$/, 'may only contain letters, digits and _ . -');

/** Where a performance event was measured (optional: clients before issue 18 did not send it). */
const perfContext = {
  appVersion: token(32).optional(),
  platform: token(16).optional(),
  network: token(16).optional(),
};
const count = (max: number) => z.number().int().min(0).max(max);

const money = {
  orderId: id,
  amountFen: z.number().int().min(1).max(1_000_000_000),
  merchantId: id,
};

export const eventSchema = z.discriminatedUnion('type', [
  ev('impression', {}),
  ev('click', {}),
  ev('like', {}),
  ev('unlike', {}),
  ev('comment', {
    text: z
      .string()
      .trim()
      .min(1, 'comment is empty')
      .max(MAX_COMMENT_CHARS, `comment is longer than ${MAX_COMMENT_CHARS} characters`),
  }),
  ev('share', { shareId: id, target: z.enum(['chat', 'group', 'timeline']) }),
  ev('share_open', { shareId: id, target: z.enum(['chat', 'group', 'timeline']).optional() }),
  ev('dwell', {
    dwellMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600_000),
  }),
  ev('hide', { reason: z.string().min(1).max(64) }),
  ev('search', { query: z.string().trim().min(1).max(100) }),
  ev('order', money),
  ev('pay', money),
  ev('page_perf', {
    metric: z.enum(TIMING_METRICS),
    durationMs: z.number().min(0).max(600_000),
    fromPage: pageRoute.optional(),
    ...perfContext,
  }),
  ev('set_data', {
    calls: count(100_000).min(1),
    bytes: count(1e9),
    maxBytes: count(1e8),
    peakPerSecond: count(100_000),
    windowMs: count(24 * 3600_000),
    ...perfContext,
  }),
  ev('api_call', {
    fn: token(32),
    durationMs: z.number().min(0).max(600_000),
    ok: z.boolean(),
    ...perfContext,
  }),
  ev('app_error', {
    kind: z.enum(['error', 'rejection', 'memory']),
    level: count(100).optional(),
    ...perfContext,
  }),
  ev('tap', { feature: token(48), ...perfContext }),
  ev('prefetch', {
    calls: count(100_000),
    bytes: count(1e9),
    hits: count(100_000),
    ...perfContext,
  }),
]);

// Compile-time guard: the schema and the shared contract describe the same events.
type Parsed = z.infer<typeof eventSchema>;
const _sameEvents: [
  Parsed extends TrackedEvent ? true : false,
  TrackedEvent extends Parsed ? true : false,
] = [true, true];
void _sameEvents;

/** The batch envelope; events are validated one by one in the handler so good ones are kept. */
export const trackInput = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  events: z
    .array(z.unknown())
    .min(1, 'a batch needs at least one event')
    .max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per batch`),
  dropped: z.number().int().min(0).max(1_000_000).optional(),
});
