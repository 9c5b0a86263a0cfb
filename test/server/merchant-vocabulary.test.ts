/** The targeting vocabulary of a warm instance: one catalog scan per refresh, shared by the calls that arrive during it. */
import { targetingOptions, targetingVocabulary } from '../../server/merchant/vocabulary';
import { makeItem } from '../helpers/fixtures';
import { openTempSqliteStores } from '../helpers/sqlite-stores';

describe('targeting vocabulary', () => {
  it('concurrent calls share one scan, the TTL keeps it, and an expired one is scanned once again', async () => {
    const { stores, cleanup } = await openTempSqliteStores();
    try {
      await stores.catalog.upsert([
        makeItem('a', { category: '美食', tags: ['火锅'] }),
        makeItem('b', { category: '旅行', tags: ['露营'] }),
      ]);
      let scans = 0;
      const list = stores.catalog.list.bind(stores.catalog);
      stores.catalog.list = (q) => {
        scans++;
        return list(q);
      };
      const t0 = 1_000_000;
      const [all, options] = await Promise.all([
        targetingVocabulary(stores, t0),
        targetingOptions(stores, t0),
        targetingOptions(stores, t0),
      ]);
      expect(scans).toBe(1);
      expect([...all].sort()).toEqual(['旅行', '火锅', '美食', '露营'].sort());
      expect(options.categories.sort()).toEqual(['旅行', '美食'].sort());
      await targetingOptions(stores, t0 + 60_000);
      expect(scans).toBe(1);
      await Promise.all([
        targetingOptions(stores, t0 + 11 * 60_000),
        targetingVocabulary(stores, t0 + 11 * 60_000),
      ]);
      expect(scans).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
