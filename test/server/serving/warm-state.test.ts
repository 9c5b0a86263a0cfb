/** The warm instance's neighbour-list cache: one read per list per TTL, absences kept too, bounded. */
import type { NeighbourList, Stores } from '../../../server/ports';
import { DEFAULT_WARM, WarmState } from '../../../server/serving/warm-state';
import { makeItem } from '../../helpers/fixtures';
import { openTempSqliteStores } from '../../helpers/sqlite-stores';

function storesWith(lists: NeighbourList[]): { stores: Stores; reads: string[][] } {
  const reads: string[][] = [];
  const neighbours = {
    get: async (ids: string[]) => {
      reads.push([...ids]);
      return lists.filter((l) => ids.includes(l.itemId));
    },
  };
  return { stores: { neighbours } as unknown as Stores, reads };
}

const list = (itemId: string, score: number): NeighbourList => ({
  itemId,
  updatedAt: 0,
  mass: 1,
  neighbours: [{ itemId: 'x', co: 1, score }],
});

describe('WarmState.neighbours', () => {
  it('reads each list once per TTL (absent ones too), then again', async () => {
    const lists = [list('a', 0.5), list('b', 0.7)];
    const { stores, reads } = storesWith(lists);
    const warm = new WarmState({ ...DEFAULT_WARM, neighbourTtlMs: 1000 });
    const first = await warm.neighbours(stores, ['a', 'c'], 10_000);
    expect([...first.keys()]).toEqual(['a']);
    const second = await warm.neighbours(stores, ['a', 'b', 'c'], 10_500);
    expect([...second.keys()].sort()).toEqual(['a', 'b']);
    expect(reads).toEqual([['a', 'c'], ['b']]);
    // Train rewrote a list: served once the TTL has passed.
    lists[0] = list('a', 0.9);
    expect((await warm.neighbours(stores, ['a'], 10_900)).get('a')!.neighbours[0].score).toBe(0.5);
    expect((await warm.neighbours(stores, ['a'], 11_000)).get('a')!.neighbours[0].score).toBe(0.9);
    expect(reads).toEqual([['a', 'c'], ['b'], ['a']]);
  });

  it('starts over when full', async () => {
    const { stores, reads } = storesWith([list('a', 1), list('b', 1), list('c', 1)]);
    const warm = new WarmState({ ...DEFAULT_WARM, neighbourMax: 2 });
    await warm.neighbours(stores, ['a', 'b'], 0);
    await warm.neighbours(stores, ['c'], 1);
    await warm.neighbours(stores, ['a'], 2);
    expect(reads).toEqual([['a', 'b'], ['c'], ['a']]);
  });
});

describe('WarmState.catalog', () => {
  it('stops serving an unpublished item within one version check (count and newest item unchanged)', async () => {
    const opened = await openTempSqliteStores();
    try {
      const { stores } = opened;
      const t = 1_700_000_000_000;
      await stores.catalog.upsert([
        makeItem('old', { publishedAt: t }),
        makeItem('mid', { publishedAt: t + 1 }),
        makeItem('new', { publishedAt: t + 2 }),
      ]);
      const warm = new WarmState();
      const now = t + 86_400_000;
      expect((await warm.catalog(stores, now)).items.has('mid')).toBe(true);
      await stores.catalog.upsert([makeItem('mid', { publishedAt: t + 1, status: 'unpublished' })]);
      // Until the next version check the snapshot stands; at it, the item is gone.
      expect(
        (await warm.catalog(stores, now + DEFAULT_WARM.catalogCheckMs - 1)).items.has('mid'),
      ).toBe(true);
      const after = await warm.catalog(stores, now + DEFAULT_WARM.catalogCheckMs);
      expect(after.items.has('mid')).toBe(false);
      expect(after.index.items.map((it) => it.id).sort()).toEqual(['new', 'old']);
    } finally {
      opened.cleanup();
    }
  });
});
