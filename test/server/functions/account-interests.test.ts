/**
 * Interests chosen at first launch on both adapters (cold start, issue 20's onboarding): `account`
 * interests.set / interests.get (needs consent, validates, replaces, an empty list withdraws,
 * withdrawn with consent, exported), and `recommend` leaning a cold user's first feed to them
 * only while personalised.
 */
import type { AccountResponse, ChosenInterestsView, RecommendResponse } from '../../../typings';
import recommend from '../../../server/functions/recommend';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { accountCalls } from '../../helpers/account-calls';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const recommendH = toHandler(recommend);
const NOW = Date.UTC(2026, 11, 6, 6, 0, 0);
const ME = 'demo-user-7';

describe.each(bothAdapters)('interests chosen at first launch on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { call, ok, consent } = accountCalls(() => deps, ME);
  const interests = async (payload: object): Promise<ChosenInterestsView | null> =>
    ((await ok(payload)) as { interests: ChosenInterestsView | null }).interests;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
  });
  afterEach(() => opened.cleanup());

  it('needs consent, then keeps the choice, replaces it, and an empty list withdraws it', async () => {
    const refused = await call({ action: 'interests.set', categories: ['美食'] });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(refused.ok ? '' : refused.message).toContain('请先同意隐私保护指引');
    expect(await interests({ action: 'interests.get' })).toBeNull();

    await consent(true);
    expect(await interests({ action: 'interests.set', categories: ['美食', '旅行'] })).toEqual({
      categories: ['美食', '旅行'],
      at: NOW,
    });
    expect(await interests({ action: 'interests.set', categories: ['体育'] })).toEqual({
      categories: ['体育'],
      at: NOW,
    });
    expect(await interests({ action: 'interests.get' })).toEqual({ categories: ['体育'], at: NOW });
    expect(await interests({ action: 'interests.set', categories: [] })).toBeNull();
    expect(await interests({ action: 'interests.get' })).toBeNull();
  });

  it('refuses bad input with a clear message and changes nothing', async () => {
    await consent(true);
    await ok({ action: 'interests.set', categories: ['美食'] });
    for (const [categories, words] of [
      [['美食', '美食'], '分类不能重复'],
      [Array.from({ length: 9 }, (_, i) => `分类${i}`), '最多选择 8 个分类'],
      [['$where'], '分类应为 1–16 个字'],
      [['很长很长很长很长很长很长很长很长很长'], '分类应为 1–16 个字'],
      [[''], '分类应为 1–16 个字'],
    ] as const) {
      const res = await call({ action: 'interests.set', categories });
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect(res.ok ? '' : res.message).toContain(words);
    }
    expect(await interests({ action: 'interests.get' })).toEqual({ categories: ['美食'], at: NOW });
  });

  it('is withdrawn with consent and exported with the account settings', async () => {
    await consent(true);
    await ok({ action: 'interests.set', categories: ['旅行'] });
    const page = (await ok({ action: 'export.page' })) as Extract<
      AccountResponse,
      { action: 'export.page' }
    >;
    const all: unknown[] = [page.page.records];
    let cursor = page.page.cursor;
    while (cursor) {
      const next = (await ok({ action: 'export.page', cursor })) as typeof page;
      all.push(next.page.records);
      cursor = next.page.cursor;
    }
    expect(JSON.stringify(all)).toContain('旅行');
    await consent(false);
    expect(await interests({ action: 'interests.get' })).toBeNull();
  });

  it("leans a cold user's first feed to the chosen categories, only while personalised", async () => {
    // Twenty items, the newest not travel: without a profile the feed is not about 旅行.
    await opened.stores.catalog.upsert([
      ...Array.from({ length: 14 }, (_, i) =>
        makeItem(`news-${i}`, { category: '科技', publishedAt: NOW - 60_000 - i }),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        makeItem(`trip-${i}`, { category: '旅行', publishedAt: NOW - 7 * 86_400_000 - i }),
      ),
    ]);
    await consent(true);
    const feed = async (): Promise<string[]> => {
      const res = await recommendH({ payload: { limit: 6 }, openid: ME }, deps);
      if (!res.ok) throw new Error(res.message);
      return (res.data as RecommendResponse).cards.flatMap((c) =>
        c.kind === 'content' ? [c.item.category] : [],
      );
    };
    const travelShare = (cats: string[]) => cats.filter((c) => c === '旅行').length / cats.length;
    const before = travelShare(await feed());
    await ok({ action: 'interests.set', categories: ['旅行'] });
    const seeded = travelShare(await feed());
    expect(seeded).toBeGreaterThan(before);
    expect(seeded).toBeGreaterThanOrEqual(0.5);
    await ok({ action: 'personalization.set', enabled: false });
    expect(travelShare(await feed())).toBeLessThan(seeded);
  });
});
