/**
 * Finds what in a store dump (every table / collection / blob, see OpenedStores.dumpAll) is
 * still tied to a user: the openid in clear, or an identifier derived from it by hashing — a
 * plain digest of the openid, the erasure subject, or a document id hashed from the openid
 * together with the record's own fields (the cloud adapter keys counters by
 * sha1(scope, id, bucket), events by sha1(openid, eventId), profiles by sha1(openid), like states
 * by sha1(openid, itemId)): such a record names the user even when no field holds the openid.
 * Comments name their author by openid and are found in clear. Search-query rows (热门搜索) name
 * them by their searcher key, under either test adapter's identifier key.
 */
import { TEST_KEYS } from './deps';
import { createHash } from 'node:crypto';
import { docId } from '../../server/adapters/cloud/sdk';
import { subjectOf } from '../../server/privacy/subject';
import { searcherKeyOf } from '../../server/adapters/searcher-key';
import { TEST_CLOUD_CONFIG } from './blob-key';

export interface Trace {
  collection: string;
  /** How the record is tied to the user: 'openid' (in clear), 'subject' (the erasure tombstone's key), or the hash that matched. */
  via: string;
  record: string;
}

const digests = (s: string): [string, string][] =>
  (['sha1', 'sha256', 'md5'] as const).flatMap((alg) => {
    const h = createHash(alg).update(s).digest();
    return [
      [alg, h.toString('hex')],
      [`${alg}/base64url`, h.toString('base64url')],
    ] as [string, string][];
  });

/** String values of a parsed record, one level deep (ids, scopes, buckets, event ids). */
function fieldValues(record: string): string[] {
  try {
    const v: unknown = JSON.parse(record);
    if (!v || typeof v !== 'object') return [];
    return Object.entries(v as Record<string, unknown>)
      .filter(([k, x]) => k !== '_id' && typeof x === 'string' && x.length <= 200)
      .map(([, x]) => x as string);
  } catch {
    return []; // a blob, not a record
  }
}

/** Ids hashed from the openid and up to two of the record's own values, in any order (docId joins its parts). */
function derivedIds(openid: string, values: string[]): string[] {
  const out = [docId(openid)];
  for (const x of values) {
    out.push(docId(openid, x), docId(x, openid));
    for (const y of values) out.push(docId(x, openid, y), docId(openid, x, y), docId(x, y, openid));
  }
  return out;
}

export function personalTraces(dump: Record<string, string[]>, openid: string): Trace[] {
  const plain = digests(openid);
  const subject = subjectOf(openid, TEST_KEYS);
  const searcherKeys = [searcherKeyOf(TEST_KEYS), searcherKeyOf(TEST_CLOUD_CONFIG)].map((k) =>
    k(openid),
  );
  const subjectIds = [subject, docId(subject), ...searcherKeys];
  const out: Trace[] = [];
  for (const [collection, records] of Object.entries(dump)) {
    for (const record of records) {
      const hit = (via: string) => out.push({ collection, via, record: record.slice(0, 160) });
      if (record.includes(openid)) hit('openid');
      else if (subjectIds.some((s) => record.includes(s))) hit('subject');
      else {
        const d = plain.find(([, h]) => record.includes(h));
        if (d) hit(d[0]);
        else if (derivedIds(openid, fieldValues(record)).some((h) => record.includes(h)))
          hit('docId');
      }
    }
  }
  return out;
}
