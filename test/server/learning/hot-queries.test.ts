/**
 * train's 热门搜索 step on both adapters, run as part of a whole round: a query shows only once
 * K distinct users searched it within the last 7 days (a user once however many days), most users
 * first, at most 10; days before the window are purged and stop counting; the rules run again,
 * so a row written around them (straight into the store) never shows; each scene gets its own list.
 */
import { HOT_LIMIT, HOT_MIN_USERS, HOT_WINDOW_DAYS } from '../../../server/content/hot-queries';
import { dayBucket } from '../../../server/engine/time';
import { runRound } from '../../../server/learning/round';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const DAY = 86_400_000;

describe.each(bothAdapters)("train's hot-queries step on %s", (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
  });
  afterEach(() => opened.cleanup());

  /** Users `from`…`from + n - 1` searched `query` `daysAgo` days before now. */
  const searched = async (query: string, n: number, daysAgo = 0, from = 0, scene = 'general') => {
    for (let i = from; i < from + n; i++)
      await deps.stores.searchQueries.record(`u${i}`, scene, dayBucket(NOW - daysAgo * DAY), query);
  };
  const round = () => runRound(deps, 8_000);
  const hot = async (scene = 'general') =>
    (await deps.stores.searchQueries.hot(scene))?.queries ?? null;

  it('shows a query only from K distinct users in the window, most users first', async () => {
    await searched('火锅', HOT_MIN_USERS - 1);
    await searched('火锅', HOT_MIN_USERS - 1, 1); // the same people the day before: still K − 1
    await searched('咖啡', HOT_MIN_USERS + 2);
    expect((await round()).hotQueries).toEqual({ purged: 0, shown: 1 });
    expect(await hot()).toEqual(['咖啡']);
    await searched('火锅', 1, 2, HOT_MIN_USERS - 1); // a K-th person, two days ago
    await round();
    expect(await hot()).toEqual(['咖啡', '火锅']);
    expect(await hot('finance')).toBeNull(); // only the deployment's scene is rolled up
  });

  it('forgets days before the window: purged, and no longer counted', async () => {
    await searched('旧闻', HOT_MIN_USERS, HOT_WINDOW_DAYS); // a day before the window's first
    await searched('旧闻', HOT_MIN_USERS - 1, HOT_WINDOW_DAYS - 1, 100);
    const r = await round();
    expect(r.hotQueries).toEqual({ purged: HOT_MIN_USERS, shown: 0 });
    expect(await hot()).toEqual([]);
  });

  it('shows at most HOT_LIMIT, and never a row that breaks the rules', async () => {
    for (let q = 0; q < HOT_LIMIT + 3; q++) await searched(`话题${q}`, HOT_MIN_USERS + q);
    await searched('13800138000', HOT_MIN_USERS + 50); // written around noteSearch's rules
    await searched('a\u0007b', HOT_MIN_USERS + 50);
    await round();
    const list = (await hot())!;
    expect(list).toHaveLength(HOT_LIMIT);
    expect(list[0]).toBe(`话题${HOT_LIMIT + 2}`);
    expect(list).not.toContain('13800138000');
    expect(list.some((q) => q.includes('\u0007'))).toBe(false);
  });
});
