/** The SQLite slate log's group commit: concurrent appends share one transaction and each answers as a lone insert would. */
import type { ServedSlate } from '../../server/ports';
import { openTempSqliteStores } from '../helpers/sqlite-stores';

const slate = (slateId: string, openid: string, servedAt: number): ServedSlate => ({
  slateId,
  openid,
  servedAt,
  modelVersion: null,
  variant: null,
  personalised: true,
  scene: null,
  cards: [{ position: 0, itemId: `it-${slateId}`, score: 0.5, propensity: 1 }],
});

describe('SqliteSlateLog.append', () => {
  it('answers concurrent appends (a repeated id among them) as sequential ones, and each is readable once it answers', async () => {
    const { stores, cleanup } = await openTempSqliteStores();
    try {
      const ids = ['a', 'b', 'a', 'c', 'b', 'd'];
      const results = await Promise.all(
        ids.map((id, k) => stores.slates.append(slate(id, `u${k}`, 1000 + k))),
      );
      expect(results).toEqual([true, true, false, true, false, true]);
      // The first of each id was kept.
      const got = await stores.slates.get(['a', 'b', 'c', 'd']);
      expect(Object.fromEntries(got.map((s) => [s.slateId, s.openid]))).toEqual({
        a: 'u0',
        b: 'u1',
        c: 'u3',
        d: 'u5',
      });
      // A slate changed after append is stored as it was when appended.
      const s = slate('e', 'u9', 5);
      const pending = stores.slates.append(s);
      s.openid = 'changed';
      expect(await pending).toBe(true);
      expect((await stores.slates.get(['e']))[0].openid).toBe('u9');
    } finally {
      await cleanup();
    }
  });
});
