/**
 * Which declared index serves a query the adapter sent (issue 21, point 5). The in-memory
 * service records the shape of every filtered or sorted query (fields compared for equality,
 * fields compared by range, sort keys); a shape is covered when some index of its collection
 * starts with its equality fields (in any order), then holds its sort keys in order (all in the
 * index's directions or all reversed), and holds its range fields — the equality, sort, range
 * rule by which MongoDB (under the cloud database) uses one index for a filter and a sort
 * without sorting in memory. A query by _id uses the primary index.
 */
import { ALL_COLLECTIONS, type IndexSpec } from '../../server/adapters/cloud/collections';

export interface QueryShape {
  collection: string;
  action: string;
  equality: string[];
  range: string[];
  sort: [string, 1 | -1][];
}

type AnyObject = Record<string, unknown>;
const isOperatorObject = (v: unknown): v is AnyObject =>
  !!v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  Object.keys(v).length > 0 &&
  Object.keys(v).every((k) => k.startsWith('$'));

/** The fields a filter compares, split into equality (incl. $in) and range conditions. */
export function filterFields(q: AnyObject): { equality: Set<string>; range: Set<string> } {
  const equality = new Set<string>();
  const range = new Set<string>();
  const walk = (node: AnyObject, inOr: boolean): void => {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$and' || k === '$or' || k === '$nor') {
        for (const branch of v as AnyObject[]) walk(branch, inOr || k !== '$and');
        continue;
      }
      const eq = !isOperatorObject(v) || Object.keys(v).every((op) => op === '$eq' || op === '$in');
      // A field compared for equality in one branch of an $or is a range over the whole query.
      if (eq && !inOr) equality.add(k);
      else range.add(k);
    }
  };
  walk(q, false);
  for (const f of equality) range.delete(f);
  return { equality, range };
}

export function shapeKey(s: QueryShape): string {
  return JSON.stringify([s.collection, s.equality, s.range, s.sort]);
}

function covers(ix: IndexSpec, s: QueryShape): boolean {
  const fields = ix.fields.map(([f]) => f);
  const dirs = new Map(ix.fields.map(([f, o]) => [f, o === 'asc' ? 1 : -1]));
  const eq = new Set(s.equality);
  if (![...eq].every((f, _i, all) => fields.slice(0, all.length).includes(f))) return false;
  const sort = s.sort.filter(([f]) => !eq.has(f));
  let at = eq.size;
  // Equality, then one selective range, then the sort (collections.ts: selectiveRange).
  if (ix.selectiveRange && s.range.includes(fields[at])) at += 1;
  for (let i = 0; i < sort.length; i++) if (fields[at + i] !== sort[i][0]) return false;
  if (sort.length > 0) {
    const flip = dirs.get(sort[0][0]) !== sort[0][1];
    if (!sort.every(([f, d]) => (dirs.get(f) !== d) === flip)) return false;
  }
  return s.range.every((f) => fields.slice(eq.size).includes(f));
}

/**
 * A filter's shapes: one, or one per branch of a top-level $or (also inside a top-level $and),
 * which the service plans as separate index scans.
 */
export function splitOr(q: AnyObject): AnyObject[] {
  const and = Array.isArray(q.$and) ? (q.$and as AnyObject[]) : null;
  const parts = and ?? [q];
  const i = parts.findIndex((p) => Array.isArray(p.$or) && Object.keys(p).length === 1);
  if (i < 0) {
    if (!and && Array.isArray(q.$or)) {
      const { $or, ...rest } = q;
      return ($or as AnyObject[]).map((b) => ({ $and: [rest, b] }));
    }
    return [q];
  }
  const others = parts.filter((_, j) => j !== i);
  return (parts[i].$or as AnyObject[]).map((b) => ({ $and: [...others, b] }));
}

/** The shapes no declared index serves (by _id lookups excluded). */
export function uncovered(shapes: Iterable<QueryShape>): string[] {
  const out = new Set<string>();
  for (const s of shapes) {
    if (s.equality.includes('_id')) continue;
    if (s.equality.length === 0 && s.range.length === 0 && s.sort.length === 0) continue;
    // A whole collection paged by _id (range and order on _id alone): the primary index serves it.
    const onlyId = (fs: readonly string[]) => fs.every((f) => f === '_id');
    if (s.equality.length === 0 && onlyId(s.range) && onlyId(s.sort.map(([f]) => f))) continue;
    const spec = ALL_COLLECTIONS.find((c) => c.name === s.collection);
    if (!spec || !spec.indexes.some((ix) => covers(ix, s)))
      out.add(
        `${s.collection} ${s.action}: equality [${s.equality}] range [${s.range}] sort [${s.sort.map(([f, d]) => `${f} ${d}`)}]`,
      );
  }
  return [...out].sort();
}

/**
 * Declares, last in a test file, the test that every query the file's cloud runs sent is served
 * by a declared index (collections.ts). Call it after the file's other describes.
 */
export function describeIndexCoverage(shapes: () => Map<string, QueryShape>): void {
  describe('declared cloud indexes', () => {
    it('serve the filter and sort of every query sent above', () => {
      const seen = shapes();
      expect(seen.size).toBeGreaterThan(0);
      expect(uncovered(seen.values())).toEqual([]);
    });
  });
}
