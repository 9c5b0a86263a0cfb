/**
 * A fresh WeChat cloud environment has no collections, and a request to a missing one fails
 * (DATABASE_COLLECTION_NOT_EXIST). The cloud adapter creates a declared collection on its first
 * write and retries; reads of a missing collection answer empty. Real wx-server-sdk over the
 * in-memory service in its fresh-environment mode.
 */
import { randomUUID } from 'node:crypto';
import { ALL_COLLECTIONS, isDeclaredCollection } from '../../server/adapters/cloud/collections';
import {
  isCollectionExists,
  isCollectionMissing,
  withCollectionsOnFirstUse,
} from '../../server/adapters/cloud/first-use';
import { settle, type Database } from '../../server/adapters/cloud/sdk';
import account from '../../server/functions/account';
import recommend from '../../server/functions/recommend';
import track from '../../server/functions/track';
import train from '../../server/functions/train';
import { toHandler } from '../../server/runtime/function';
import type { Stores } from '../../server/ports';
import { openFreshCloudEnvironment, type FreshCloud } from '../helpers/adapters';
import { testDeps } from '../helpers/deps';
import { buildMerchantWorld, OWNER_A, validInput } from '../helpers/merchant-world';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const trackH = toHandler(track);
const accountH = toHandler(account);
const recommendH = toHandler(recommend);
const trainH = toHandler(train);

const click = () => ({
  eventId: randomUUID(),
  type: 'click',
  clientTime: NOW - 1000,
  sessionId: 's',
  page: 'pages/feed/index',
  itemId: 'item-1',
  slateId: 'slate-1',
  position: 0,
});

describe('cloud collections on first use', () => {
  let env: FreshCloud;
  const creates = (name?: string) =>
    env.db.log.filter(
      (l) => l.action === 'database.addCollection' && (name === undefined || l.collection === name),
    );

  beforeEach(async () => {
    env = await openFreshCloudEnvironment();
  });
  afterEach(() => env.cleanup());

  it('starts with no collection, and a raw write to one fails as on the real service', async () => {
    expect(env.db.collectionNames()).toEqual([]);
    const raw = env.sdk.database();
    await expect(settle(raw.collection('events').add({ data: { a: 1 } }))).rejects.toMatchObject({
      errCode: -502005,
    });
  });

  it('serves the first account, track and recommend calls of a fresh environment', async () => {
    const deps = testDeps(env.stores, NOW);
    const consent = await accountH(
      { payload: { action: 'consent.set', noticeVersion: 'v1', granted: true }, openid: 'user-a' },
      deps,
    );
    expect(consent).toMatchObject({ ok: true });
    const events = [click(), click()];
    const tracked = await trackH({ payload: { schemaVersion: 1, events }, openid: 'user-a' }, deps);
    expect(tracked).toMatchObject({ ok: true, data: { accepted: events.map((e) => e.eventId) } });
    expect(deps.errors).toEqual([]);
    expect(
      (await env.stores.events.readAfter(null, Number.MAX_SAFE_INTEGER, 10)).events,
    ).toHaveLength(2);
    expect(await recommendH({ payload: { scene: 1001 }, openid: 'user-a' }, deps)).toMatchObject({
      ok: true,
      data: { cards: [], reason: 'empty_catalog' },
    });
    // Each collection was created once, by the write that needed it; the empty catalog was only read.
    const names = env.db.collectionNames();
    expect(names).toEqual(expect.arrayContaining(['accounts', 'consents', 'events']));
    expect(names).not.toContain('catalog');
    expect(names.every(isDeclaredCollection)).toBe(true);
    expect(
      creates()
        .map((l) => l.collection)
        .sort(),
    ).toEqual(names);
  });

  it("runs train's timer round on a fresh environment, before and after the first events", async () => {
    const deps = testDeps(env.stores, NOW);
    const first = await trainH({ payload: {}, openid: undefined }, deps);
    expect(first).toMatchObject({ ok: true, data: { events: 0 } });
    await accountH(
      { payload: { action: 'consent.set', noticeVersion: 'v1', granted: true }, openid: 'user-a' },
      deps,
    );
    await trackH({ payload: { schemaVersion: 1, events: [click()] }, openid: 'user-a' }, deps);
    deps.setNow(NOW + 60_000);
    expect(await trainH({ payload: {}, openid: undefined }, deps)).toMatchObject({
      ok: true,
      data: { events: 1 },
    });
    expect(deps.errors).toEqual([]);
    expect(env.db.collectionNames().every(isDeclaredCollection)).toBe(true);
  });

  it('serves the first merchant calls of a fresh environment', async () => {
    const w = await buildMerchantWorld(env.stores);
    const { campaign } = await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() });
    expect((await w.ok(OWNER_A, { action: 'campaign.list' })).campaigns.map((c) => c.id)).toEqual([
      campaign.id,
    ]);
    expect(env.db.collectionNames()).toEqual(
      expect.arrayContaining([
        'campaigns',
        'campaign_audit',
        'catalog',
        'merchant_invitations',
        'merchant_members',
        'merchants',
      ]),
    );
    expect(creates().length).toBe(env.db.collectionNames().length);
  });

  it('answers reads of missing collections empty and creates nothing for them', async () => {
    const s = env.stores;
    expect(await s.events.readAfter(null, NOW, 10)).toEqual({ events: [], cursor: null });
    expect(await s.events.countForUser('user-a')).toBe(0);
    expect(await s.catalog.list({ status: 'published', limit: 5 })).toEqual([]);
    expect(await s.catalog.count()).toBe(0);
    expect(await s.models.serving()).toBeNull();
    expect(await s.privacy.getSettings('user-a')).toBeNull();
    expect(await s.counters.read('item', ['item-1'], '20261128')).toEqual({});
    expect(await s.personal.eventCounts('user-a')).toEqual({});
    expect(env.db.collectionNames()).toEqual([]);
    expect(creates()).toEqual([]);
  });

  it('shares one create among concurrent writes of one instance', async () => {
    const events = Array.from({ length: 20 }, () => ({
      ...click(),
      openid: 'user-a',
      serverTime: NOW,
    }));
    const res = await env.stores.events.append(events as never);
    expect(res.inserted).toHaveLength(20);
    expect(creates('events')).toHaveLength(1);
    expect(env.db.dump('events')).toHaveLength(20);
  });

  it('lets concurrent cold starts create the same collection: one creates, the others find it created, no write is lost', async () => {
    const instances: Stores[] = [env.stores, env.another(), env.another(), env.another()];
    const perInstance = instances.map(() =>
      Array.from({ length: 3 }, () => ({ ...click(), openid: 'user-a', serverTime: NOW })),
    );
    const results = await Promise.all(
      instances.map((s, i) => s.events.append(perInstance[i] as never)),
    );
    expect(results.map((r) => r.inserted.length)).toEqual([3, 3, 3, 3]);
    expect(env.db.dump('events')).toHaveLength(12);
    // Every instance tried (none knew of the others); all but the first were told it exists.
    expect(creates('events').length).toBe(4);
    expect(env.db.collectionNames()).toEqual(['events']);
  });

  it('tolerates "already exists" when another instance created the collection after the write failed', async () => {
    env.db.createCollection('likes');
    // The write sees the collection missing (created just after it was sent); the create answers "exists".
    env.db.failNext(
      'database.insertDocument',
      'DATABASE_COLLECTION_NOT_EXIST',
      '[ResourceNotFound] Db or Table not exist: likes',
    );
    await env.stores.likes.apply([{ openid: 'user-a', itemId: 'item-1', liked: true, at: NOW }]);
    expect(creates('likes')).toHaveLength(1);
    expect(await env.stores.likes.list('user-a', null, 10)).toEqual([
      { itemId: 'item-1', at: NOW },
    ]);
  });

  it("fails the write with the create's own error when the collection cannot be created, and works once it can", async () => {
    env.db.failNext(
      'database.addCollection',
      'DATABASE_COLLECTION_EXCEED_LIMIT',
      'collection limit reached',
    );
    await expect(
      env.stores.slates.append({
        slateId: 's-1',
        openid: 'user-a',
        servedAt: NOW,
        modelVersion: null,
        variant: 'v',
        personalised: true,
        scene: 1001,
        cards: [],
      }),
    ).rejects.toMatchObject({
      // wx-server-sdk 4.0.2's createCollection reports every service error as errCode -1 with the service's text.
      errMsg: expect.stringMatching(/^createCollection:fail .*collection limit reached/),
    });
    expect(env.db.collectionNames()).toEqual([]);
    await env.stores.slates.append({
      slateId: 's-2',
      openid: 'user-a',
      servedAt: NOW,
      modelVersion: null,
      variant: 'v',
      personalised: true,
      scene: 1001,
      cards: [],
    });
    expect(env.db.dump('slates')).toHaveLength(1);
  });

  it('creates the collections a failed transaction touched and runs it again', async () => {
    const db = withCollectionsOnFirstUse(env.sdk.database());
    let runs = 0;
    // wx-server-sdk types the callback's argument as any; its transaction has the collection API.
    const out = await db.runTransaction(async (tx: Pick<Database, 'collection'>) => {
      runs += 1;
      const got = await settle(tx.collection('leases').doc('l-1').get()).catch(() => null);
      await tx
        .collection('leases')
        .doc('l-1')
        .set({ data: { holder: got ? 'again' : 'a' } });
      // Reached only once leases exists: the next rerun discovers this one.
      await tx
        .collection('checkpoints')
        .doc('c-1')
        .set({ data: { rev: 1 } });
      return 'done';
    });
    expect(out).toBe('done');
    expect(runs).toBe(3);
    expect(env.db.dump('leases')).toEqual([{ _id: 'l-1', holder: 'a' }]);
    expect(env.db.dump('checkpoints')).toEqual([{ _id: 'c-1', rev: 1 }]);
    expect(creates('leases')).toHaveLength(1);
    expect(creates('checkpoints')).toHaveLength(1);
    // An undeclared collection in a transaction is not created: the failure stands.
    await expect(
      db.runTransaction(async (tx: Pick<Database, 'collection'>) =>
        tx
          .collection('nope')
          .doc('x')
          .set({ data: { a: 1 } }),
      ),
    ).rejects.toThrow(/-502005 .*Db or Table not exist: nope/);
    expect(creates('nope')).toEqual([]);
  });

  it('does not create an undeclared collection', async () => {
    const db = withCollectionsOnFirstUse(env.sdk.database());
    await expect(settle(db.collection('evnets').add({ data: { a: 1 } }))).rejects.toMatchObject({
      errCode: -502005,
    });
    expect(creates()).toEqual([]);
  });
});

describe('collection errors', () => {
  it('recognises a missing collection by errCode or by its texts', () => {
    expect(isCollectionMissing({ errCode: -502005, errMsg: '' })).toBe(true);
    expect(
      isCollectionMissing({
        errCode: -1,
        errMsg: 'collection.get:fail DATABASE_COLLECTION_NOT_EXIST',
      }),
    ).toBe(true);
    expect(
      isCollectionMissing(
        new Error(
          'collection.get:fail -502005 database collection not exists. [ResourceNotFound] Db or Table not exist.',
        ),
      ),
    ).toBe(true);
    expect(isCollectionMissing({ errCode: -502001, errMsg: 'E11000 duplicate key error' })).toBe(
      false,
    );
    expect(isCollectionMissing(null)).toBe(false);
  });

  it('recognises "already exists" by its texts only, never by the shared errCodes', () => {
    expect(
      isCollectionExists({
        errCode: -1,
        errMsg: 'createCollection:fail [ResourceUnavailable.ResourceExist] Table exist.',
      }),
    ).toBe(true);
    expect(
      isCollectionExists({
        errCode: -501001,
        errMsg:
          'createCollection:fail -501001 resource system error. DATABASE_COLLECTION_ALREADY_EXIST',
      }),
    ).toBe(true);
    expect(
      isCollectionExists({
        errCode: -501001,
        errMsg: 'createCollection:fail -501001 resource system error.',
      }),
    ).toBe(false);
    expect(isCollectionExists({ errCode: -1, errMsg: 'createCollection:fail timeout' })).toBe(
      false,
    );
  });

  it('declares each collection once, with index names unique within it', () => {
    const names = ALL_COLLECTIONS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of ALL_COLLECTIONS)
      expect(new Set(c.indexes.map((i) => i.name)).size).toBe(c.indexes.length);
  });
});
