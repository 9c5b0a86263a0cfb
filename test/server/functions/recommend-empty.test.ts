/** `recommend` bad input and empty slates: each empty slate says why; a value that is not a scene is a clear error (both adapters). */
import { emptyProfile } from '../../../server/engine/profiles/profile';
import recommend from '../../../server/functions/recommend';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(recommend);

describe.each(bothAdapters)('recommend empty slates on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: unknown) => handler({ payload, openid: 'user-a' }, deps);

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    await opened.stores.privacy.recordConsent('user-a', {
      noticeVersion: 'v1',
      granted: true,
      at: deps.now() - 60_000,
    });
  });
  afterEach(() => opened.cleanup());

  it('answers an empty catalog with an empty slate and its reason', async () => {
    expect(await call({ scene: 1001 })).toMatchObject({
      ok: true,
      data: { cards: [], cursor: null, reason: 'empty_catalog' },
    });
  });

  it('names an empty channel, an exhausted session, and gives no reason on a page with content', async () => {
    await opened.stores.catalog.upsert(
      Array.from({ length: 3 }, (_, i) =>
        makeItem(`it-${i}`, { category: '美食', publishedAt: deps.now() - 86_400_000 }),
      ),
    );
    expect(await call({ channel: '旅行' })).toMatchObject({
      ok: true,
      data: { cards: [], reason: 'empty_channel' },
    });
    const first = await call({ limit: 2 });
    if (!first.ok) throw new Error(first.message);
    expect(first.data.cards.filter((c) => c.kind === 'content')).toHaveLength(2);
    expect(first.data).not.toHaveProperty('reason');
    const second = await call({ limit: 2, cursor: first.data.cursor });
    if (!second.ok) throw new Error(second.message);
    expect(second.data.cards.filter((c) => c.kind === 'content')).toHaveLength(1);
    expect(second.data.cursor).toBeNull();
    // Everything hidden ("not interested"): nothing is left for this user.
    await opened.stores.profiles.put([
      { ...emptyProfile('user-a', deps.now()), hidden: ['it-0', 'it-1', 'it-2'] },
    ]);
    expect(await call({})).toMatchObject({
      ok: true,
      data: { cards: [], cursor: null, reason: 'exhausted' },
    });
  });

  it('refuses a scene that is not a WeChat scene value, with a message saying what a scene is', async () => {
    for (const scene of [3, 1001.5, 12345, '1001']) {
      const res = await call({ scene });
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      if (!res.ok) expect(res.message).toMatch(/scene 必须是微信场景值/);
    }
  });
});
