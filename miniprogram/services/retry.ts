/** The tracker's retry policy: which send failures to retry, and how long to wait between tries. */

// Codes (typings/api.ts ErrorCode) saying the server will never take this payload as it is:
// retrying the same batch would wedge the queue forever.
const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'INVALID_INPUT',
  'PAYLOAD_TOO_LARGE',
  'BAD_REQUEST',
]);

/**
 * True unless the error is an ApiError-like `{ code }` with a permanent code. Network errors,
 * UNAVAILABLE, INTERNAL, RATE_LIMITED, and also UNAUTHENTICATED or UNKNOWN_FUNCTION (a login or
 * deployment that is not ready yet) are retried: losing events is worse than waiting.
 */
export function isRetryable(err: unknown): boolean {
  const code =
    typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return !(typeof code === 'string' && PERMANENT_CODES.has(code));
}

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/**
 * Delay before retry number `attempt` (1, 2, …): exponential, capped, with "equal jitter"
 * (M. Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015): half the step is
 * fixed so the delay still grows, half is random so devices that failed together spread out.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  { baseMs, capMs }: BackoffOptions,
): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
