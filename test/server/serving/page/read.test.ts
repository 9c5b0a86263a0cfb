/** servePage's read stage: the session's logged slates, and what a page reads of the user (and what it may not). */
import type { ServedSlate } from '../../../../server/ports';
import { emptyProfile } from '../../../../server/engine/profiles/profile';
import { readPageState, servedInSession } from '../../../../server/serving/page/read';
import type { PageRequest } from '../../../../server/serving/page/request';
import { WarmState } from '../../../../server/serving/warm-state';
import { testDeps, type TestDeps } from '../../../helpers/deps';
import { makeItem } from '../../../helpers/fixtures';
import { openTempSqliteStores, type OpenedStores } from '../../../helpers/sqlite-stores';

let opened: OpenedStores;
let deps: TestDeps;
beforeEach(async () => {
  opened = await openTempSqliteStores();
  deps = testDeps(opened.stores);
  await opened.stores.catalog.upsert([makeItem('a'), makeItem('b')]);
});
afterEach(() => opened.cleanup());

const slate = (slateId: string, openid: string, cards: ServedSlate['cards']): ServedSlate => ({
  slateId,
  openid,
  servedAt: deps.now() - 1000,
  modelVersion: null,
  variant: null,
  personalised: true,
  scene: null,
  cards,
});
const session = (page: number) => ({ id: 'sess', page, offset: page * 2, channel: 'foryou' });

describe('servedInSession', () => {
  it("reads the earlier pages' items and ads, and this page's slate when it was logged already", async () => {
    await opened.stores.slates.append(
      slate('sess.0', 'u1', [
        { position: 0, itemId: 'a', score: null, propensity: 1 },
        { position: 1, adId: 'c1', score: 0.1, propensity: 1, priceFen: 3 },
      ]),
    );
    const ctx = { stores: opened.stores, openid: 'u1' };
    expect(await servedInSession(ctx, { session: session(1), store: true })).toEqual({
      items: ['a'],
      ads: [{ adId: 'c1', at: deps.now() - 1000 }],
    });
    const own = slate('sess.1', 'u1', [{ position: 2, itemId: 'b', score: null, propensity: 1 }]);
    await opened.stores.slates.append(own);
    expect((await servedInSession(ctx, { session: session(1), store: true })).logged).toEqual(own);
    // A user who may not be stored never had a page logged: their own page is not looked up.
    expect(
      (await servedInSession(ctx, { session: session(1), store: false })).logged,
    ).toBeUndefined();
  });

  it("refuses another user's session and pages never served", async () => {
    await opened.stores.slates.append(slate('sess.0', 'u1', []));
    await expect(
      servedInSession(
        { stores: opened.stores, openid: 'u2' },
        { session: session(1), store: true },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      servedInSession(
        { stores: opened.stores, openid: 'u1' },
        { session: session(3), store: true },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reads nothing on a first page', async () => {
    expect(
      await servedInSession(
        { stores: opened.stores, openid: 'u1' },
        { session: session(0), store: true },
      ),
    ).toEqual({ items: [], ads: [] });
  });
});

describe('readPageState', () => {
  const request = (over: Partial<PageRequest> = {}): PageRequest => ({
    session: session(0),
    category: null,
    limit: 2,
    scene: null,
    personalised: true,
    store: true,
    riskTolerance: 5,
    ...over,
  });

  beforeEach(async () => {
    await opened.stores.profiles.put([
      {
        ...emptyProfile('u1', deps.now()),
        hidden: ['b'],
        payments: {
          segment: 'new',
          segmentLabel: '新客',
          orders: 1,
          monetaryFen: 100,
          recencyDays: 1,
          suggestedTolerance: 2,
          toleranceReason: 'newPayer',
          asOf: deps.now(),
        },
      },
    ]);
  });

  it("caps the stated tolerance by what the user's payments support, and seeds the profile for a personalised feed", async () => {
    const state = await readPageState(
      { ...deps, openid: 'u1' },
      new WarmState(),
      request({ chosenInterests: ['旅行'] }),
      deps.now(),
      false,
    );
    expect(state.req.riskTolerance).toBe(2);
    expect(state.stored?.hidden).toEqual(['b']);
    expect(state.profile?.interests).toMatchObject({ 'cat:旅行': expect.any(Number) });
    expect(state.snap.items.size).toBe(2);
    expect(state.read).toEqual({ items: [], ads: [] });
  });

  it('keeps the stored hides but no profile when personalisation is off; reads nothing of a user who may not be stored', async () => {
    const off = await readPageState(
      { ...deps, openid: 'u1' },
      new WarmState(),
      request({ personalised: false }),
      deps.now(),
      false,
    );
    expect(off.stored?.hidden).toEqual(['b']);
    expect(off.profile).toBeNull();
    const unstored = await readPageState(
      { ...deps, openid: 'u1' },
      new WarmState(),
      request({ store: false }),
      deps.now(),
      false,
    );
    expect(unstored.stored).toBeNull();
    // Not read, so not capped: the stated level stands.
    expect(unstored.req.riskTolerance).toBe(5);
    expect(unstored.ties).toEqual([]);
    expect(unstored.authors).toEqual([]);
  });

  it("does not read the session's slates when a kept continuation serves the page", async () => {
    const state = await readPageState(
      { ...deps, openid: 'u1' },
      new WarmState(),
      request({ session: session(5) }),
      deps.now(),
      true,
    );
    expect(state.read).toBeNull();
  });
});
