/**
 * The key of a user's erasure record (their tombstone): an HMAC of the openid under the server's
 * identifier key, so that a finished erasure keeps no identifier in the clear and nobody who
 * merely knows an openid can tell whether that person erased their data (an unkeyed hash could
 * be recomputed by anyone), yet a late batch from the same device still finds it and is dropped.
 */
import { createHmac } from 'node:crypto';
import { identifierKeyBytes, type Config } from '../config';

export type IdentifierKeyConfig = Pick<Config, 'identifierKey' | 'blobEncryptionKey'>;

export function subjectOf(openid: string, config: IdentifierKeyConfig): string {
  return createHmac('sha256', identifierKeyBytes(config))
    .update(`recsys-erasure\u0000${openid}`)
    .digest('hex');
}
