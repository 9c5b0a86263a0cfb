/**
 * The social graph in the account export and erasure, on both adapters: a user's follows both
 * ways, their group memberships, record and links, links of others naming them and the hide-me
 * switch are exported
 * (showing only the user's own side: no other openid ever appears) and erased with the rest.
 */
import type { ExportPage } from '../../../typings';
import account from '../../../server/functions/account';
import { MODEL_CHECK_MS } from '../../../server/learning/model-versions';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const accountH = toHandler(account);
const SOCIAL = [
  'social_follows',
  'social_groups',
  'social_records',
  'social_links',
  'social_hidden',
];
const FEATURES = {
  degree: 2,
  activity: 3.5,
  influence: 1.2,
  clustering: 0.5,
  community: 4,
  sharedInterest: 0.25,
};

describe.each(bothAdapters)('social data in the account export on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const ok = async (openid: string, payload: object) => {
    const res = await accountH({ payload, openid }, deps);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data as { page: ExportPage; erasure?: { status: string } };
  };
  const exportAll = async (openid: string): Promise<ExportPage[]> => {
    const pages: ExportPage[] = [];
    let cursor: string | undefined;
    do {
      const { page } = await ok(openid, { action: 'export.page', ...(cursor ? { cursor } : {}) });
      pages.push(page);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return pages;
  };
  const social = (pages: ExportPage[]) =>
    Object.fromEntries(
      SOCIAL.map((c) => [c, pages.filter((p) => p.collection === c).flatMap((p) => p.records)]),
    );

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    const now = deps.now();
    for (const u of ['ann', 'bob'])
      await ok(u, { action: 'consent.set', noticeVersion: '2026-11', granted: true });
    const s = opened.stores.social;
    await s.follow({ follower: 'ann', followee: 'bob', at: now - 2000 });
    await s.follow({ follower: 'cid', followee: 'ann', at: now - 1000 });
    await s.follow({ follower: 'bob', followee: 'cid', at: now });
    await s.putRecord({ openid: 'ann', features: FEATURES, updatedAt: now }, [
      { kind: 'tie', other: 'bob', weight: 2 },
      { kind: 'person', other: 'dan', weight: 0.5 },
      { kind: 'group', other: 'community:4', weight: 0.25 },
    ]);
    await s.putRecord({ openid: 'bob', features: FEATURES, updatedAt: now }, [
      { kind: 'tie', other: 'ann', weight: 2 },
      { kind: 'tie', other: 'cid', weight: 1 },
    ]);
    await s.setHidden('ann', true);
    await s.joinGroup({ openid: 'ann', group: 'gdigest1', at: now, shareId: 'share-1' });
    await s.joinGroup({ openid: 'bob', group: 'gdigest1', at: now, shareId: null });
  });
  afterEach(() => opened.cleanup());

  it('exports the user’s social data with every other party shown as nobody', async () => {
    const got = social(await exportAll('ann'));
    expect(got.social_follows).toHaveLength(2);
    expect(got.social_follows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ follower: 'ann', followee: null, at: deps.now() - 2000 }),
        expect.objectContaining({ follower: null, followee: 'ann', at: deps.now() - 1000 }),
      ]),
    );
    expect(got.social_records).toEqual([
      expect.objectContaining({ openid: 'ann', features: FEATURES }),
    ]);
    // Ann's three links, and bob's link naming her (his side hidden).
    expect(got.social_links).toHaveLength(4);
    expect(got.social_links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ openid: 'ann', kind: 'tie', other: null, weight: 2 }),
        expect.objectContaining({ openid: 'ann', kind: 'person', other: null, weight: 0.5 }),
        expect.objectContaining({ openid: null, kind: 'tie', other: 'ann', weight: 2 }),
      ]),
    );
    expect(got.social_hidden).toEqual([expect.objectContaining({ openid: 'ann' })]);
    // Her group membership (the group's digest), not who else is in it.
    expect(got.social_groups).toEqual([expect.objectContaining({ openid: 'ann', at: deps.now() })]);
    expect(JSON.stringify(got)).not.toMatch(/bob|cid|dan/);
    // Bob's export has his own follow of cid and ann's follow of him, and not the switch of ann.
    const bob = social(await exportAll('bob'));
    expect(bob.social_follows).toHaveLength(2);
    expect(bob.social_hidden).toEqual([]);
    expect(JSON.stringify(bob)).not.toMatch(/ann|cid/);
  });

  it('erasure deletes all of it and leaves the others’ own data', async () => {
    expect((await ok('ann', { action: 'erase.start' })).erasure).toMatchObject({
      status: 'running',
    });
    deps.setNow(deps.now() + GATE_TTL_MS + MODEL_CHECK_MS);
    const done = (await ok('ann', { action: 'erase.status' })).erasure;
    // The learning scrub (scrubSocial) removes them first; the collections' own sweep finds the rest.
    expect(done).toMatchObject({ status: 'done' });
    expect(Object.values(social(await exportAll('ann'))).flat()).toEqual([]);
    const s = opened.stores.social;
    expect(await s.following('bob', null, 10)).toEqual([
      expect.objectContaining({ followee: 'cid' }),
    ]);
    expect(await s.links('bob', 'tie', 10)).toEqual([{ kind: 'tie', other: 'cid', weight: 1 }]);
    expect(await s.hidden(['ann'])).toEqual([]);
    expect((await s.allMemberships(null, 10)).map((m) => m.openid)).toEqual(['bob']);
  });
});
