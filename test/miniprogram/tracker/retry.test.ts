/** The retry policy: which failures are retried and the backoff schedule. */
import { backoffDelay, isRetryable } from '../../../miniprogram/services/retry';

const policy = { baseMs: 1000, capMs: 60_000 };

test('delays double per attempt, between half and all of the step', () => {
  expect([1, 2, 3, 4].map((a) => backoffDelay(a, () => 0, policy))).toEqual([
    500, 1000, 2000, 4000,
  ]);
  expect([1, 2, 3, 4].map((a) => backoffDelay(a, () => 0.999999, policy))).toEqual([
    1000, 2000, 4000, 8000,
  ]);
});

test('the step is capped', () => {
  expect(backoffDelay(7, () => 0.999999, policy)).toBe(60_000);
  expect(backoffDelay(50, () => 0, policy)).toBe(30_000);
});

test('permanent refusals are not retried; everything else is', () => {
  for (const code of ['INVALID_INPUT', 'PAYLOAD_TOO_LARGE', 'BAD_REQUEST'])
    expect(isRetryable({ code })).toBe(false);
  for (const code of [
    'UNAVAILABLE',
    'INTERNAL',
    'RATE_LIMITED',
    'NETWORK',
    'BAD_RESPONSE',
    'UNAUTHENTICATED',
  ])
    expect(isRetryable({ code })).toBe(true);
  expect(isRetryable(new Error('request:fail'))).toBe(true);
  expect(isRetryable(undefined)).toBe(true);
});
