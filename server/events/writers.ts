/**
 * Timeouts of the functions that append events, and the trainer's settle window derived from
 * them: an event is stamped with the server time when its call starts and may land in the cloud
 * database as late as that call's timeout, so a reader that moves its cursor past a server time
 * before every call stamped earlier has finished skips the late writes for good.
 */

/** `track` (server/functions/track): batches of the Mini Program's events. */
export const TRACK_TIMEOUT_SECONDS = 10;
/** `content` (server/functions/content): `comment.post` appends the comment event itself. */
export const CONTENT_TIMEOUT_SECONDS = 10;
/** Clock differences between function instances the window also absorbs. */
export const CLOCK_MARGIN_MS = 2_000;

/** How far behind now the trainer reads: the longest event writer's timeout plus the margin. */
export function settleWindowMs(
  writerTimeoutsSeconds: readonly number[] = [TRACK_TIMEOUT_SECONDS, CONTENT_TIMEOUT_SECONDS],
  marginMs = CLOCK_MARGIN_MS,
): number {
  return Math.max(0, ...writerTimeoutsSeconds) * 1000 + marginMs;
}
