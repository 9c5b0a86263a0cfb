/**
 * Groups through the functions on both adapters: a user opens a share inside a group chat and
 * sends the share info's cloudID (`content` social.group); WeChat (the cloud transport's open
 * data, or the local stand-in's test form) vouches for it, the membership is stored under a
 * keyed digest, and a train round's social step suggests the group to the members' ties who are
 * not in it (推荐圈子). Bad input — forged, expired or another user's cloudIDs, no consent, a
 * flood — is refused with a clear error and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResult, ContentRequest, ContentResponse } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import { LOCAL_SHARE_INFO_PREFIX } from '../../../server/adapters/sqlite/local-open-data';
import { runSocialStep } from '../../../server/learning/social-step';
import { GROUP_OPENS_PER_MINUTE, groupKey } from '../../../server/social/groups';
import { toHandler } from '../../../server/runtime/function';
import { sendEvents } from '../../helpers/track-calls';
import { bothAdapters, cloudTransport } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const contentH = toHandler(content);
const accountH = toHandler(account);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const log = { info: () => undefined, error: () => undefined };
const GID = 'tGs8Yx3dDzD1qF_abc';

describe.each(bothAdapters)('groups on %s', (name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const wxOpenid = process.env.WX_OPENID;
  /** The share info's cloudID `openid` gets from wx.getShareInfo in the group `openGId`. */
  const cloudIdOf = (openid: string, openGId: string): string =>
    name === 'cloud'
      ? cloudTransport()!.openData.issueShareInfo(openid, openGId)
      : `${LOCAL_SHARE_INFO_PREFIX}${openGId}`;
  const call = (payload: object, openid: string): Promise<ApiResult<ContentResponse>> => {
    // The cloud runtime names the invoking user in WX_OPENID; WeChat checks cloudIDs against it.
    process.env.WX_OPENID = openid;
    return contentH({ payload, openid }, deps);
  };
  const ok = async (payload: ContentRequest, openid: string) => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
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
  /** `sharer` shares i1; each opener opens it (in a group when `openGId` is given). */
  const shareTo = async (sharer: string, openers: string[], openGId?: string) => {
    const shareId = randomUUID();
    await send(sharer, [base('share', { shareId, target: 'chat' })]);
    for (const o of openers) {
      await send(o, [base('share_open', { shareId, ...(openGId ? { target: 'group' } : {}) })]);
      if (openGId) await ok({ action: 'social.group', cloudID: cloudIdOf(o, openGId), shareId }, o);
    }
    return shareId;
  };
  const round = () => runSocialStep(opened.stores, () => deps.now() + 1000, log);
  const groupsOf = async (openid: string) => {
    const s = await ok({ action: 'social.suggestions' }, openid);
    if (s.action !== 'social.suggestions') throw new Error(s.action);
    return s.groups;
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    for (const u of ['ann', 'bob', 'cid', 'dan']) {
      const res = await accountH(
        { payload: { action: 'consent.set', noticeVersion: '2026-11', granted: true }, openid: u },
        deps,
      );
      if (!res.ok) throw new Error(res.message);
    }
  });
  afterEach(async () => {
    if (wxOpenid === undefined) delete process.env.WX_OPENID;
    else process.env.WX_OPENID = wxOpenid;
    await opened.cleanup();
  });

  it('a group open → the membership (digest only) → 推荐圈子 for a tie not in the group', async () => {
    // ann shares into the group; bob opens it there. cid is tied to bob (opened bob's share).
    const shareId = await shareTo('ann', ['bob'], GID);
    await shareTo('bob', ['cid']);
    expect(
      await ok({ action: 'social.group', cloudID: cloudIdOf('bob', GID), shareId }, 'bob'),
    ).toEqual({ action: 'social.group', joined: false });
    const stored = await opened.stores.social.allMemberships(null, 10);
    expect(stored).toEqual([{ openid: 'bob', group: groupKey(GID, deps), at: NOW, shareId }]);
    // The openGId itself is stored nowhere.
    expect(JSON.stringify(await opened.dumpAll!())).not.toContain(GID);
    await round();
    const gid = `group:${groupKey(GID, deps)}`;
    expect(await groupsOf('cid')).toEqual([
      { id: gid, name: '你的好友所在的群', score: expect.any(Number) },
    ]);
    // ann (the sharer) and bob (the opener) are in the group: it is not suggested to them.
    expect((await groupsOf('bob')).map((g) => g.id)).not.toContain(gid);
    expect((await groupsOf('ann')).map((g) => g.id)).not.toContain(gid);
  });

  it('refuses forged cloudIDs, no consent and floods with a clear error, writing nothing', async () => {
    const before = await opened.dumpAll!();
    const refused = async (payload: object, openid: string, code: string) => {
      const res = await call(payload, openid);
      expect(res).toMatchObject({ ok: false, code });
      if (!res.ok) expect(res.message).toMatch(/[\u4e00-\u9fff]/);
    };
    const forged = [
      '27_Ih-9vxDaOhIbh48Bdpk90DUkUoNMAPaNtg7OSGM-P2wPEk1NbspjKGoql_g',
      `${LOCAL_SHARE_INFO_PREFIX}`,
      name === 'cloud' ? `${LOCAL_SHARE_INFO_PREFIX}${GID}` : 'tGnot-the-test-form',
    ];
    for (const cloudID of forged)
      await refused({ action: 'social.group', cloudID }, 'bob', 'INVALID_INPUT');
    for (const cloudID of ['', 'a b', 'x'.repeat(257), { $ne: 1 }])
      await refused({ action: 'social.group', cloudID }, 'bob', 'INVALID_INPUT');
    await refused(
      { action: 'social.group', cloudID: cloudIdOf('bob', GID), extra: 1 },
      'bob',
      'INVALID_INPUT',
    );
    await refused(
      { action: 'social.group', cloudID: cloudIdOf('stranger', GID) },
      'stranger',
      'FORBIDDEN',
    );
    if (name === 'cloud') {
      // Another user's cloudID, and an expired one.
      const res = await call({ action: 'social.group', cloudID: cloudIdOf('ann', GID) }, 'bob');
      expect(res).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
        message: '群聊信息无效，请从群聊里重新打开这条分享',
      });
      const t = cloudTransport()!;
      const id = cloudIdOf('bob', GID);
      const ttl = t.openData.ttlMs;
      t.openData.ttlMs = -1;
      try {
        const late = await call({ action: 'social.group', cloudID: id }, 'bob');
        expect(late).toMatchObject({ ok: false, message: expect.stringContaining('已过期') });
      } finally {
        t.openData.ttlMs = ttl;
      }
    }
    expect(await opened.dumpAll!()).toEqual(before);
    expect(await opened.stores.social.allMemberships(null, 10)).toEqual([]);
    // A flood: the minute's allowance, then RATE_LIMITED with nothing more written.
    for (let i = 0; i < GROUP_OPENS_PER_MINUTE; i++)
      await ok({ action: 'social.group', cloudID: cloudIdOf('bob', `tG${i}`) }, 'bob');
    await refused(
      { action: 'social.group', cloudID: cloudIdOf('bob', 'tGlast') },
      'bob',
      'RATE_LIMITED',
    );
    expect(await opened.stores.social.allMemberships(null, 100)).toHaveLength(
      GROUP_OPENS_PER_MINUTE,
    );
  });
});
