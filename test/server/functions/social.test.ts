/**
 * The social actions of `content` on both adapters, end to end through the functions: users share
 * and open shares (`track`), a train round's social step builds the ties, the caller sees people
 * to follow and follows one; bad input (self, unknown or forged handles, floods) writes nothing;
 * social proof shows only counts of at least 3 consenting, unhidden ties; erasure removes edges.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResult, ContentItem, ContentRequest, ContentResponse } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import { runSocialStep, scrubSocial } from '../../../server/learning/social-step';
import { FOLLOWS_PER_MINUTE, handleOf } from '../../../server/social/people';
import { proofFor, socialSource } from '../../../server/social/proof';
import { toHandler } from '../../../server/runtime/function';
import { sendEvents } from '../../helpers/track-calls';
import { bothAdapters } from '../../helpers/adapters';
import { publishedItem } from '../../helpers/fixtures';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const contentH = toHandler(content);
const accountH = toHandler(account);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const log = { info: () => undefined, error: () => undefined };

const item = (id: string): ContentItem => publishedItem(id, NOW);

describe.each(bothAdapters)('social on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: object, openid: string): Promise<ApiResult<ContentResponse>> =>
    contentH({ payload, openid }, deps);
  const ok = async (payload: ContentRequest, openid: string) => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };
  const consent = async (openid: string) => {
    const res = await accountH(
      { payload: { action: 'consent.set', noticeVersion: '2026-11', granted: true }, openid },
      deps,
    );
    if (!res.ok) throw new Error(res.message);
  };
  const send = (openid: string, events: object[]) => sendEvents(deps, openid, events);
  const base = (type: string, extra: object) => ({
    eventId: randomUUID(),
    type,
    clientTime: NOW,
    sessionId: 's-1',
    page: 'pages/detail/index',
    itemId: 'i1',
    ...extra,
  });
  /** `sharer` shares i1, each opener opens that share. */
  const shareTo = async (sharer: string, openers: string[]) => {
    const shareId = randomUUID();
    await send(sharer, [base('share', { shareId, target: 'chat' })]);
    for (const o of openers) await send(o, [base('share_open', { shareId })]);
  };
  const round = () => runSocialStep(opened.stores, () => deps.now() + 1000, log);

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([item('i1'), item('i2'), item('i3')]);
    for (const u of ['ann', 'bob', 'cid', 'dan', 'eve']) await consent(u);
  });
  afterEach(() => opened.cleanup());

  it('shares → opens → the edge → a suggestion → follow, listed as 关注 and 粉丝', async () => {
    await shareTo('ann', ['bob', 'cid']);
    await shareTo('bob', ['cid', 'dan']);
    await shareTo('cid', ['dan']);
    await round();
    expect((await opened.stores.social.links('bob', 'tie', 10)).map((l) => l.other).sort()).toEqual(
      ['ann', 'cid', 'dan'],
    );
    const s = await ok({ action: 'social.suggestions' }, 'ann');
    if (s.action !== 'social.suggestions') throw new Error(s.action);
    expect(s.people).toEqual([
      { handle: handleOf('dan'), name: expect.stringMatching(/^微信用户 /) },
    ]);
    expect(JSON.stringify(s)).not.toContain('dan');
    expect(s.hidden).toBe(false);
    const f = await ok({ action: 'social.follow', handle: handleOf('dan') }, 'ann');
    expect(f).toEqual({
      action: 'social.follow',
      person: expect.objectContaining({ following: true }),
    });
    expect(await ok({ action: 'social.following' }, 'ann')).toEqual({
      action: 'social.following',
      people: [expect.objectContaining({ handle: handleOf('dan'), following: true })],
    });
    expect(await ok({ action: 'social.followers' }, 'dan')).toEqual({
      action: 'social.followers',
      people: [expect.objectContaining({ handle: handleOf('ann'), following: false })],
    });
    // Followed: no longer suggested.
    const after = await ok({ action: 'social.suggestions' }, 'ann');
    expect(after.action === 'social.suggestions' && after.people).toEqual([]);
    await ok({ action: 'social.unfollow', handle: handleOf('dan') }, 'ann');
    expect(await opened.stores.social.following('ann', null, 10)).toEqual([]);
  });

  it('refuses self-follow, unknown and forged handles, and floods — writing no edge', async () => {
    await shareTo('ann', ['bob']);
    await round();
    const self = await call({ action: 'social.follow', handle: handleOf('ann') }, 'ann');
    expect(self).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: '不能关注自己' });
    const unknown = await call({ action: 'social.follow', handle: handleOf('zed') }, 'ann');
    expect(unknown).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    for (const handle of ['bob', 'x'.repeat(17), '$where:1=1.....']) {
      expect(await call({ action: 'social.follow', handle }, 'ann')).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
    expect(
      await call({ action: 'social.follow', handle: handleOf('bob'), extra: 1 }, 'ann'),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    const noConsent = await call({ action: 'social.follow', handle: handleOf('bob') }, 'stranger');
    expect(noConsent).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await opened.stores.social.allFollows(null, 10)).toEqual([]);
    // Refused requests are not taps: fill the minute with follow / unfollow of bob, ending unfollowed.
    for (let i = 0; i < FOLLOWS_PER_MINUTE; i++)
      await ok(
        i % 2 === 0
          ? { action: 'social.follow', handle: handleOf('bob') }
          : { action: 'social.unfollow', handle: handleOf('bob') },
        'ann',
      );
    const flood = await call({ action: 'social.follow', handle: handleOf('bob') }, 'ann');
    expect(flood).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(await opened.stores.social.allFollows(null, 10)).toEqual([]);
  });

  it('social proof: counts only, at least 3 ties, hidden or non-consenting ties left out', async () => {
    await shareTo('ann', ['bob', 'cid', 'dan', 'eve']);
    await round();
    const like = (u: string, itemId: string) => send(u, [base('like', { itemId })]);
    for (const u of ['bob', 'cid', 'dan']) await like(u, 'i1');
    for (const u of ['bob', 'cid']) await like(u, 'i2');
    expect([
      ...(await proofFor(opened.stores, 'ann', ['i1', 'i2', 'i3'], deps.now(), deps.config)),
    ]).toEqual([['i1', 3]]);
    expect(
      (await socialSource(opened.stores, 'ann', new Set(), 10, deps.now(), deps.config)).map(
        (c) => c.itemId,
      ),
    ).toEqual(['i1', 'i2']);
    // The detail page's item.get carries the count, and nothing below 3.
    expect(await ok({ action: 'item.get', itemId: 'i1' }, 'ann')).toMatchObject({ socialProof: 3 });
    expect(await ok({ action: 'item.get', itemId: 'i2' }, 'ann')).not.toHaveProperty('socialProof');
    // dan hides himself: i1 drops below 3.
    await ok({ action: 'social.hide', hidden: true }, 'dan');
    expect((await proofFor(opened.stores, 'ann', ['i1'], deps.now(), deps.config)).size).toBe(0);
    await ok({ action: 'social.hide', hidden: false }, 'dan');
    expect((await proofFor(opened.stores, 'ann', ['i1'], deps.now(), deps.config)).get('i1')).toBe(
      3,
    );
    // cid withdraws consent: no longer counted.
    await accountH(
      {
        payload: { action: 'consent.set', noticeVersion: '2026-11', granted: false },
        openid: 'cid',
      },
      deps,
    );
    deps.setNow(NOW + 10_000);
    expect((await proofFor(opened.stores, 'ann', ['i1'], deps.now(), deps.config)).size).toBe(0);
  });

  it('erasure removes the user’s edges and features', async () => {
    await shareTo('ann', ['bob', 'cid']);
    await round();
    await opened.stores.social.follow({ follower: 'bob', followee: 'ann', at: NOW });
    expect(await scrubSocial(opened.stores, 'ann', 'erasure:test', deps.now())).toBe(true);
    expect(await opened.stores.social.record('ann')).toBeNull();
    expect(await opened.stores.social.links('bob', 'tie', 10)).toEqual([]);
    expect(await opened.stores.social.following('bob', null, 10)).toEqual([]);
    await round();
    expect(await opened.stores.social.record('ann')).toBeNull();
  });
});
