/**
 * The share graph through the local host (fastify inject, SQLite): users consent, share and open
 * shares (`track`), the timer's `train` round runs the social step, and the caller gets a friend
 * recommendation (可能认识的人) and follows it; a share opened in a group joins it (推荐圈子).
 */
import { randomUUID } from 'node:crypto';
import { handleOf } from '../../../server/social/people';
import { inProcessHost } from '../../helpers/in-process-host';

let now = Date.UTC(2026, 11, 6, 2, 0, 0);
const host = inProcessHost({}, () => now);
beforeAll(() => host.start());
afterAll(() => host.stop());

const post = host.post;

const event = (type: string, extra: object) => ({
  eventId: randomUUID(),
  type,
  clientTime: now,
  sessionId: 's',
  page: 'pages/detail/index',
  ...extra,
});

it('shares → opens → train sees the edge → a friend recommendation → follow', async () => {
  for (const u of ['ann', 'bob', 'cid', 'dan'])
    await post('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, u);
  const share = async (sharer: string, openers: string[]) => {
    const shareId = randomUUID();
    await post(
      'track',
      { schemaVersion: 1, events: [event('share', { shareId, target: 'chat' })] },
      sharer,
    );
    for (const o of openers)
      await post('track', { schemaVersion: 1, events: [event('share_open', { shareId })] }, o);
  };
  await share('ann', ['bob', 'cid']);
  await share('bob', ['dan']);
  await share('cid', ['dan']);
  now += 60_000;
  await post('train', {});
  const s = await post('content', { action: 'social.suggestions' }, 'ann');
  expect(s.people).toEqual([expect.objectContaining({ handle: handleOf('dan') })]);
  const f = await post('content', { action: 'social.follow', handle: handleOf('dan') }, 'ann');
  expect(f.person).toMatchObject({ following: true });
  const followers = await post('content', { action: 'social.followers' }, 'dan');
  expect(followers.people).toEqual([expect.objectContaining({ handle: handleOf('ann') })]);
});

it('a share opened in a group (the test form of its cloudID) → train → 推荐圈子 for a tie; a forged cloudID writes nothing', async () => {
  for (const u of ['gia', 'hal', 'ivy'])
    await post('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, u);
  const shareId = randomUUID();
  await post(
    'track',
    { schemaVersion: 1, events: [event('share', { shareId, target: 'chat' })] },
    'gia',
  );
  await post(
    'track',
    { schemaVersion: 1, events: [event('share_open', { shareId, target: 'group' })] },
    'hal',
  );
  const joined = await post(
    'content',
    { action: 'social.group', cloudID: 'local-share-info:tGhostGroup', shareId },
    'hal',
  );
  expect(joined).toEqual({ action: 'social.group', joined: true });
  const forged = await host.call(
    'content',
    { action: 'social.group', cloudID: '27_realLookingButNotLocal' },
    'ivy',
  );
  expect(forged).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  // ivy is tied to hal (opened his share in a chat); she is not in the group.
  const other = randomUUID();
  await post(
    'track',
    { schemaVersion: 1, events: [event('share', { shareId: other, target: 'chat' })] },
    'hal',
  );
  await post(
    'track',
    { schemaVersion: 1, events: [event('share_open', { shareId: other })] },
    'ivy',
  );
  now += 60_000;
  await post('train', {});
  const s = await post('content', { action: 'social.suggestions' }, 'ivy');
  expect(s.groups).toEqual([expect.objectContaining({ name: '你的好友所在的群' })]);
  expect(JSON.stringify(s)).not.toContain('tGhostGroup');
  const g = await post('content', { action: 'social.suggestions' }, 'gia');
  expect((g.groups as { name: string }[]).map((x) => x.name)).not.toContain('你的好友所在的群');
});
