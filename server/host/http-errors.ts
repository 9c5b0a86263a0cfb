/** The local host's error answers: the { ok: false, code, message } envelope with an HTTP status. */
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../../typings';

/** HTTP status per error code: informative only, clients branch on `code`. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  INVALID_INPUT: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNKNOWN_FUNCTION: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  COMMENT_REJECTED: 422,
  AUDIENCE_TOO_SMALL: 422,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function fail(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.code(HTTP_STATUS[code]).send({ ok: false, code, message });
}
