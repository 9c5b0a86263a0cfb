/** The index-coverage rule itself (test/helpers/index-coverage.ts), so the suites' check can fail. */
import { splitOr, uncovered, type QueryShape } from '../helpers/index-coverage';

const shape = (over: Partial<QueryShape>): QueryShape => ({
  collection: 'events',
  action: 'database.getDocument',
  equality: [],
  range: [],
  sort: [],
  ...over,
});

describe('index coverage', () => {
  it('accepts the training read (serverTime, then _id as the tie-breaker)', () => {
    expect(
      uncovered([
        shape({
          range: ['serverTime'],
          sort: [
            ['serverTime', 1],
            ['_id', 1],
          ],
        }),
      ]),
    ).toEqual([]);
  });

  it('refuses a sort the index does not hold, a direction mix, an unknown collection', () => {
    expect(uncovered([shape({ range: ['serverTime'], sort: [['type', 1]] })])).toHaveLength(1);
    expect(
      uncovered([
        shape({
          collection: 'catalog',
          sort: [
            ['publishedAt', -1],
            ['id', 1],
          ],
        }),
      ]),
    ).toHaveLength(1);
    expect(uncovered([shape({ collection: 'nope', equality: ['x'] })])).toHaveLength(1);
  });

  it('takes equality first in any order, and lookups by _id as served', () => {
    expect(
      uncovered([
        shape({ equality: ['type', 'openid'] }),
        shape({ collection: 'accounts', equality: ['_id', 'rev'] }),
      ]),
    ).toEqual([]);
  });

  it('plans each branch of a top-level $or on its own', () => {
    expect(splitOr({ $or: [{ a: 1 }, { b: 2 }], c: 3 })).toEqual([
      { $and: [{ c: 3 }, { a: 1 }] },
      { $and: [{ c: 3 }, { b: 2 }] },
    ]);
  });
});
