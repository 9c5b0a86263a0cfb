/**
 * The key of a user's erasure record (their tombstone): a hash of the openid, so that a
 * finished erasure keeps no identifier in the clear, yet a late batch from the same device
 * still finds it and is dropped.
 */
import { createHash } from 'node:crypto';

export function subjectOf(openid: string): string {
  return createHash('sha256').update(`recsys-erasure\u0000${openid}`).digest('hex');
}
