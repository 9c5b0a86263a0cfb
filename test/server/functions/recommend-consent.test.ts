/**
 * `recommend` and PIPL, on both adapters, with the same gate as `track` (server/privacy/gate.ts):
 * a user without a recorded consent, who withdrew it, or who is being erased gets the
 * non-personalised feed, and nothing tied to their openid is stored (the personal-data scan of
 * every collection and blob finds nothing) or read for it (no profile, no per-user counters);
 * their session still pages without repeats, its state carried in the cursor, ads capped by it.
 * A consented user's pages are logged as before.
 */
import type { Campaign, FeedCard, RecommendResponse } from '../../../typings';
import { emptyProfile } from '../../../server/engine/profiles/profile';
import recommend from '../../../server/functions/recommend';
import { openSession } from '../../../server/serving/session';
import { startErasure } from '../../../server/privacy/erasure';
import { toHandler } from '../../../server/runtime/function';
import { makeCampaign, makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, TEST_KEYS, type TestDeps } from '../../helpers/deps';
import { personalTraces } from '../../helpers/personal-scan';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(recommend);
const ITEMS = 24;
const SLOTS = [3, 10, 17];
const STRANGER = 'no-consent-4e1b';
const READER = 'consented-8c2d';
const contentIds = (cards: FeedCard[]): string[] =>
  cards.flatMap((c) => (c.kind === 'content' ? [c.item.id] : []));

describe.each(bothAdapters)('recommend and consent on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const page = async (
    openid: string,
    cursor?: string | null,
    limit = 7,
  ): Promise<RecommendResponse> => {
    const res = await handler({ payload: { limit, ...(cursor ? { cursor } : {}) }, openid }, deps);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };
  /** Pages from `cursor` to the end of the session. */
  const rest = async (
    openid: string,
    cursor: string | null | undefined,
    pages: RecommendResponse[] = [],
  ): Promise<RecommendResponse[]> => {
    for (let k = 0; k < 10; k++) {
      const res = await page(openid, cursor);
      pages.push(res);
      cursor = res.cursor;
      if (!cursor) return pages;
    }
    throw new Error('session did not end');
  };
  const consent = (openid: string, granted = true) =>
    opened.stores.privacy.recordConsent(openid, {
      noticeVersion: 'v1',
      granted,
      at: deps.now() - 60_000,
    });
  const slatesOf = async (openid: string) =>
    (await opened.stores.personal.read('slates', openid, null, 100)).records;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    deps.config = { ...deps.config, adSlots: SLOTS };
    const now = deps.now();
    await opened.stores.catalog.upsert(
      Array.from({ length: ITEMS }, (_, i) =>
        makeItem(`it-${String(i).padStart(2, '0')}`, {
          publishedAt: now - 86_400_000 + i * 60_000,
          category: i % 2 ? '美食' : '旅行',
          tags: [],
        }),
      ),
    );
    const broad = (id: string): Campaign =>
      makeCampaign(id, {
        targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
        startAt: now - 86_400_000,
        endAt: now + 86_400_000,
      });
    await opened.stores.ads.upsertCampaigns([
      broad('camp-a'),
      broad('camp-b'),
      broad('camp-c'),
      broad('camp-d'),
    ]);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return opened.cleanup();
  });

  it('serves a user without consent the whole feed once, with ads, and stores and reads nothing of theirs', async () => {
    // Even a profile left from before would not be used (nor read).
    await opened.stores.profiles.put([
      { ...emptyProfile(STRANGER, deps.now()), hidden: ['it-00'] },
    ]);
    const before = (await opened.dumpAll!())['user_profiles'] ?? [];
    const profileReads = jest.spyOn(opened.stores.profiles, 'get');
    const counterReads = jest.spyOn(opened.stores.counters, 'read');

    const pages = await rest(STRANGER, undefined);
    const cards = pages.flatMap((p) => p.cards);
    const content = contentIds(cards);
    expect(content).toHaveLength(ITEMS);
    expect(new Set(content).size).toBe(ITEMS);
    expect(content).toContain('it-00');
    expect(cards.map((c) => c.position)).toEqual(Array.from({ length: cards.length }, (_, i) => i));
    expect(cards.filter((c) => c.kind === 'ad').map((c) => c.position)).toEqual(SLOTS);
    // The session's state rode in the cursor (items as a filter, ads with their time), not in the slate log.
    const carried = openSession(pages[0].cursor!, 'foryou').carried!;
    expect(contentIds(pages[0].cards).every((id) => carried.items.has(id))).toBe(true);
    expect(carried.ads).toEqual([
      {
        adId: (pages[0].cards.find((c) => c.kind === 'ad') as { adId: string }).adId,
        at: deps.now(),
      },
    ]);

    expect(await opened.stores.slates.get(pages.map((p) => p.slateId))).toEqual([]);
    expect(profileReads).not.toHaveBeenCalled();
    expect(counterReads.mock.calls.filter(([, ids]) => ids.includes(STRANGER))).toEqual([]);
    const dump = await opened.dumpAll!();
    // Only the profile put above names them: nothing was written for them.
    expect(personalTraces({ ...dump, user_profiles: [] }, STRANGER)).toEqual([]);
    expect(dump['user_profiles'] ?? []).toEqual(before);
  });

  it("caps an ad's frequency within the session from the cursor", async () => {
    deps.config = { ...deps.config, adFrequencyCap: 1 };
    await opened.stores.ads.upsertCampaigns([
      makeCampaign('camp-b', { status: 'paused' }),
      makeCampaign('camp-c', { status: 'paused' }),
      makeCampaign('camp-d', { status: 'paused' }),
    ]);
    const ads = (await rest(STRANGER, undefined))
      .flatMap((p) => p.cards)
      .filter((c) => c.kind === 'ad');
    expect(ads.map((c) => (c as { adId: string }).adId)).toEqual(['camp-a']);
  });

  it("logs a consented user's pages as before (the cursor names the session, the state stays server-side)", async () => {
    await consent(READER);
    const pages = await rest(READER, undefined);
    expect(new Set(pages.flatMap((p) => contentIds(p.cards))).size).toBe(ITEMS);
    expect(pages.every((p) => p.cursor === null || !p.cursor.includes('.'))).toBe(true);
    expect(await opened.stores.slates.get(pages.map((p) => p.slateId))).toHaveLength(pages.length);
  });

  it('stops logging at once when consent is withdrawn mid-session, and the session goes on without repeats', async () => {
    await consent(READER);
    const first = await page(READER);
    expect(await slatesOf(READER)).toHaveLength(1);
    await consent(READER, false);
    const pages = await rest(READER, first.cursor, [first]);
    expect(pages.length).toBeGreaterThan(2);
    const content = pages.flatMap((p) => contentIds(p.cards));
    expect(content).toHaveLength(ITEMS);
    expect(new Set(content).size).toBe(ITEMS);
    expect(
      pages
        .flatMap((p) => p.cards)
        .filter((c) => c.kind === 'ad')
        .map((c) => c.position),
    ).toEqual(SLOTS);
    expect(await slatesOf(READER)).toHaveLength(1); // only the page served while consent stood
  });

  it('logs from the page after consent is given mid-session, under an id of its own when the carried one is taken', async () => {
    const first = await page(STRANGER);
    await consent(STRANGER);
    // Someone already holds the id the next page would take (a forged cursor naming this session).
    const { id: s } = openSession(first.cursor!, 'foryou');
    await opened.stores.slates.append({
      slateId: `${s}.1`,
      openid: 'someone-else',
      servedAt: deps.now(),
      modelVersion: null,
      variant: null,
      personalised: true,
      scene: null,
      cards: [],
    });
    const second = await page(STRANGER, first.cursor);
    expect(second.slateId).not.toBe(`${s}.1`);
    const third = await page(STRANGER, second.cursor);
    expect(third.slateId).toBe(`${s}.2`);
    const logged = await opened.stores.slates.get([second.slateId, third.slateId]);
    expect(logged.map((x) => x.openid)).toEqual([STRANGER, STRANGER]);
    expect((await opened.stores.slates.get([`${s}.1`]))[0].openid).toBe('someone-else');
    const content = [first, second, third].flatMap((p) => contentIds(p.cards));
    expect(new Set(content).size).toBe(content.length);
  });

  it('logs nothing while the user is being erased', async () => {
    await consent(READER);
    await startErasure(opened.stores, READER, deps.now(), TEST_KEYS, { budgetMs: 0 });
    const res = await page(READER);
    expect(res.cards.length).toBeGreaterThan(0);
    expect(res.cursor).toContain('.');
    expect(await opened.stores.slates.get([res.slateId])).toEqual([]);
  });

  it('refuses a carried cursor that was tampered with', async () => {
    const { cursor } = await page(STRANGER);
    const [head, filter] = cursor!.split('.');
    for (const bad of [
      `${head}.${filter.slice(0, -4)}`,
      `${head}.${filter}.x`,
      `${head}.${filter.replace(/^./, '*')}`,
      head,
    ]) {
      expect(
        await handler({ payload: { limit: 7, cursor: bad }, openid: STRANGER }, deps),
      ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await handler({ payload: { limit: 7, cursor }, openid: STRANGER }, deps)).toMatchObject({
      ok: true,
    });
  });
});
