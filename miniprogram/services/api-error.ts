/** The one error type the API client throws; pages branch on `code` and may show `message` to people. */
import type { ErrorCode } from '../../typings';

/** Server codes plus the client's own: the call never reached a server, or its answer was not an envelope. */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE';

export class ApiError extends Error {
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Every failure becomes an ApiError so callers need one catch branch; unknown throws keep their text for logs only. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('INTERNAL', '出了点问题，请稍后重试');
}
