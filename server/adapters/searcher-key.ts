/**
 * The digest a search-queries row names its user by (热门搜索): an HMAC of the openid under the
 * server's identifier key, in a domain of its own, so the rows hold no openid, nobody who merely
 * knows an openid can recompute it, and it links to no other keyed identifier (comment
 * pseudonyms, erasure tombstones). Both adapters' search-queries and personal-data stores use it,
 * so a user's rows are found for export and erasure.
 */
import { createHmac } from 'node:crypto';
import { identifierKeyBytes, type Config } from '../config';

export type SearcherKeyConfig = Partial<Pick<Config, 'identifierKey' | 'blobEncryptionKey'>>;

/** openid → its searcher key (32 hex characters), under the configured identifier key. */
export function searcherKeyOf(config: SearcherKeyConfig): (openid: string) => string {
  const key = identifierKeyBytes({
    identifierKey: config.identifierKey ?? '',
    blobEncryptionKey: config.blobEncryptionKey ?? '',
  });
  return (openid) =>
    createHmac('sha256', key).update(`search-user\u0000${openid}`).digest('hex').slice(0, 32);
}
