/**
 * Retention beyond raw events, on both adapters: the derived state of inactive users (interest
 * profile, like states, ad hide counters) is deleted after INACTIVE_RETENTION_DAYS without a
 * stored event, by a sweep that resumes across rounds; erasure tombstones expire after
 * ERASURE_TOMBSTONE_DAYS (keyed, so nothing of the openid is left before that either).
 */
import { ALL, adField, HIDE } from '../../../server/engine/ads/counter-keys';
import { emptyProfile } from '../../../server/engine/profiles/profile';
import { functions } from '../../../server/functions';
import type { ErasureJob, Stores } from '../../../server/ports';
import {
  forgetInactiveUsers,
  INACTIVE_SWEEP_USERS,
  purgeTombstones,
} from '../../../server/privacy/retention';
import { subjectOf } from '../../../server/privacy/subject';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { storedEventAt } from '../../helpers/fixtures';
import { testDeps, TEST_KEYS } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';
import { loadConfig } from '../../../server/config';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

/** A user with a profile, two like states and an ad hide, whose latest event was `lastEventAt` (null: none kept). */
async function userWithState(s: Stores, openid: string, lastEventAt: number | null): Promise<void> {
  if (lastEventAt !== null) await s.events.append([storedEventAt(openid, lastEventAt)]);
  await s.profiles.put([emptyProfile(openid, lastEventAt ?? NOW - 200 * DAY)]);
  await s.likes.apply([
    { openid, itemId: 'it-1', liked: true, at: NOW - 120 * DAY },
    { openid, itemId: 'it-2', liked: true, at: NOW - 100 * DAY },
  ]);
  await s.counters.add([{ scope: HIDE, id: openid, bucket: ALL, field: adField('ad-1'), by: 1 }]);
}

async function stateOf(s: Stores, openid: string) {
  return {
    profile: (await s.profiles.get([openid])).length,
    likes: (await s.likes.list(openid, null, 10)).length,
    hides: Object.keys(await s.counters.read(HIDE, [openid], ALL)).length,
  };
}

const KEPT = { profile: 1, likes: 2, hides: 1 };
const GONE = { profile: 0, likes: 0, hides: 0 };

const tombstone = (openid: string, finishedAt: number | null): ErasureJob => ({
  subject: subjectOf(openid, TEST_KEYS),
  openid: finishedAt === null ? openid : null,
  status: finishedAt === null ? 'running' : 'done',
  startedAt: (finishedAt ?? NOW) - 60_000,
  updatedAt: finishedAt ?? NOW,
  finishedAt,
  step: 0,
  deleted: {},
  rev: 1,
});

describe.each(bothAdapters)('retention of inactive users and tombstones on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it("deletes an inactive user's profile, like states and hides, and keeps an active user's", async () => {
    const s = opened.stores;
    await userWithState(s, 'active', NOW - 89 * DAY);
    await userWithState(s, 'idle', NOW - 91 * DAY);
    await userWithState(s, 'ghost', null); // events already purged
    const clock = () => 0;
    const cleared = await forgetInactiveUsers(s, NOW, { budgetMs: 1_000, clock, inactiveDays: 90 });
    expect(cleared).toBe(2);
    expect(await stateOf(s, 'active')).toEqual(KEPT);
    expect(await stateOf(s, 'idle')).toEqual(GONE);
    expect(await stateOf(s, 'ghost')).toEqual(GONE);
    // Its events are the raw-event retention's to purge, not this sweep's.
    expect(await s.events.countForUser('idle')).toBe(1);
  });

  it('walks the users a page per round, resuming where it stopped, then starts over', async () => {
    const s = opened.stores;
    const n = INACTIVE_SWEEP_USERS + 20;
    const u = (i: number) => `u${String(i).padStart(4, '0')}`;
    await s.likes.apply(
      Array.from({ length: n }, (_, i) => ({
        openid: u(i),
        itemId: 'it-1',
        liked: true,
        at: NOW - DAY,
      })),
    );
    await userWithState(s, 'zz-active', NOW - DAY);
    const opts = { budgetMs: 1_000, clock: () => 0, inactiveDays: 90 };
    expect(await forgetInactiveUsers(s, NOW, opts)).toBe(INACTIVE_SWEEP_USERS);
    expect(await s.likes.list(u(0), null, 1)).toEqual([]);
    expect(await s.likes.list(u(n - 1), null, 1)).toHaveLength(1);
    expect(await forgetInactiveUsers(s, NOW, opts)).toBe(20);
    expect(await s.likes.list(u(n - 1), null, 1)).toEqual([]);
    expect(await stateOf(s, 'zz-active')).toEqual(KEPT);
    // Back at the start: a user gone inactive since is found on the next pass.
    await userWithState(s, 'a-new', null);
    expect(await forgetInactiveUsers(s, NOW, opts)).toBe(1);
    expect(await stateOf(s, 'a-new')).toEqual(GONE);
  });

  it('stops at its budget and goes on from there next time', async () => {
    const s = opened.stores;
    for (const u of ['a', 'b', 'c']) await userWithState(s, u, null);
    let t = 0;
    const clock = () => (t += 1_000);
    // The budget allows one user per call (the clock is read once to start and before each user).
    const opts = { budgetMs: 1_500, clock, inactiveDays: 90 };
    expect(await forgetInactiveUsers(s, NOW, opts)).toBe(1);
    expect(await stateOf(s, 'b')).toEqual(KEPT);
    t = 0;
    expect(await forgetInactiveUsers(s, NOW, opts)).toBe(1);
    expect(await stateOf(s, 'b')).toEqual(GONE);
    expect(await stateOf(s, 'c')).toEqual(KEPT);
  });

  it('purges finished erasure tombstones past their window, never a running job', async () => {
    const s = opened.stores;
    await s.privacy.saveErasure(tombstone('old', NOW - 31 * DAY), 0);
    await s.privacy.saveErasure(tombstone('recent', NOW - 29 * DAY), 0);
    await s.privacy.saveErasure(tombstone('running', null), 0);
    const n = await purgeTombstones(s, NOW, {
      budgetMs: 1_000,
      clock: () => 0,
      tombstoneDays: 30,
    });
    expect(n).toBe(1);
    expect(await s.privacy.getErasure(subjectOf('old', TEST_KEYS))).toBeNull();
    expect(await s.privacy.getErasure(subjectOf('recent', TEST_KEYS))).toMatchObject({
      status: 'done',
    });
    expect(await s.privacy.getErasure(subjectOf('running', TEST_KEYS))).toMatchObject({
      status: 'running',
    });
  });

  it("runs in train's maintenance with the configured windows", async () => {
    const s = opened.stores;
    // No event left to learn from (a training run would rebuild a profile from one it has not read yet).
    await userWithState(s, 'idle', null);
    await userWithState(s, 'active', NOW - 13 * DAY);
    await s.privacy.saveErasure(tombstone('old', NOW - 8 * DAY), 0);
    const deps = testDeps(s, NOW);
    deps.config = loadConfig({ INACTIVE_RETENTION_DAYS: '14', ERASURE_TOMBSTONE_DAYS: '7' });
    const res = await toHandler(functions.train)({ payload: {}, openid: undefined }, deps);
    expect(res).toMatchObject({ ok: true });
    expect(await stateOf(s, 'idle')).toEqual(GONE);
    expect((await stateOf(s, 'active')).likes).toBe(2);
    expect(await s.privacy.getErasure(subjectOf('old', TEST_KEYS))).toBeNull();
  });
});

describe('retention configuration', () => {
  it('defaults to 90 days of inactivity and 30 of tombstones, and refuses a window past the events', () => {
    const c = loadConfig({});
    expect([c.inactiveRetentionDays, c.erasureTombstoneDays]).toEqual([90, 30]);
    expect(loadConfig({ EVENT_RETENTION_DAYS: '30' }).inactiveRetentionDays).toBe(30);
    expect(() => loadConfig({ EVENT_RETENTION_DAYS: '30', INACTIVE_RETENTION_DAYS: '60' })).toThrow(
      /INACTIVE_RETENTION_DAYS/,
    );
  });
});
