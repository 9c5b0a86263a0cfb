/** The response envelope every function returns, in the cloud and on the local host. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string };

/** Stable error codes. Clients branch on these; messages are for people. */
export type ErrorCode =
  | 'BAD_REQUEST' // the payload is not valid JSON or not an object
  | 'INVALID_INPUT' // a field has the wrong type, is missing, or is unknown
  | 'PAYLOAD_TOO_LARGE'
  | 'UNKNOWN_FUNCTION'
  | 'UNAUTHENTICATED' // no WeChat identity on the call
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'COMMENT_REJECTED' // the comment text breaks a rule (empty, too long, control characters, blocked words); the message says which
  | 'AUDIENCE_TOO_SMALL' // a campaign's gender / age band / city targeting reaches fewer users than the platform's minimum (MIN_AUDIENCE)
  | 'UNAVAILABLE' // a dependency (database, storage) failed; safe to retry
  | 'INTERNAL';

/** A field-level validation problem, returned inside INVALID_INPUT messages' details. */
export interface FieldIssue {
  path: string;
  message: string;
}
