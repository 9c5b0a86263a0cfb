/** The warm instance's kept continuation pages: bounded in number and in time (expired ones are dropped as new ones arrive). */
import {
  continuationAfter,
  Continuations,
  type Continuation,
} from '../../../server/serving/continuation';

const cont = (openid: string): Continuation => ({
  openid,
  key: 'k',
  next: 1,
  limit: 1,
  cards: [{ itemId: 'i1' } as unknown as Continuation['cards'][number]],
  modelVersion: null,
  served: [],
  ads: [],
});

describe('Continuations', () => {
  it('drops the expired ones when a new one is kept, so sessions that stopped do not accumulate', () => {
    const c = new Continuations({ max: 1_000, ttlMs: 100 });
    for (let i = 0; i < 50; i++) c.put(`s${i}`, cont('u'), 0);
    expect(c.size).toBe(50);
    c.put('late', cont('u'), 100);
    expect(c.size).toBe(1);
    expect(c.take('late', 'u', 1, 1, 150)).toBeDefined();
  });

  it('keeps the live ones and never more than max', () => {
    const c = new Continuations({ max: 3, ttlMs: 100 });
    c.put('a', cont('u'), 0);
    c.put('b', cont('u'), 50);
    c.put('c', cont('u'), 99);
    expect(c.size).toBe(3);
    c.put('d', cont('u'), 120); // a expired; b, c live
    expect(c.size).toBe(3);
    expect(c.take('a', 'u', 1, 1, 120)).toBeUndefined();
    expect(c.take('b', 'u', 1, 1, 120)).toBeDefined();
  });
});

describe('continuationAfter', () => {
  it("keeps the next pages' cards for the page after this one, and the session's items and ads with this page's", () => {
    const card = (itemId: string) =>
      ({ itemId, score: 1, modelScore: null, source: 'popular', propensity: 1 }) as const;
    const c = continuationAfter(
      { openid: 'u', key: 'k1', page: 2, limit: 2, now: 500 },
      {
        ranked: [card('a'), card('b')],
        rest: [card('c'), card('d')],
        modelVersion: 'v1',
        before: { items: ['x'], ads: [{ adId: 'old', at: 100 }] },
      },
      [
        { position: 21, adId: 'new', score: 0.1, propensity: 1, priceFen: 5 },
        { position: 22, itemId: 'a', score: null, propensity: 1 },
      ],
    );
    expect(c).toEqual({
      openid: 'u',
      key: 'k1',
      next: 3,
      limit: 2,
      cards: [card('c'), card('d')],
      modelVersion: 'v1',
      served: ['x', 'a', 'b'],
      ads: [
        { adId: 'old', at: 100 },
        { adId: 'new', at: 500 },
      ],
    });
  });
});
