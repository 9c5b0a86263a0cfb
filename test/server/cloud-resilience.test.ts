/**
 * The cloud adapter against the service's less kind answers (issue 21, points 1–3): dotted
 * updates through null fields, every duplicate-key variant, throttling, and the in-flight cap.
 */
import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../../server/ports';
import { MAX_IN_FLIGHT } from '../../server/adapters/cloud/sdk';
import { withResilience } from '../../server/adapters/cloud/resilience';
import { cloudTransport, openTempCloudStores } from '../helpers/adapters';
import { runningErasure } from '../helpers/fixtures';
import type { OpenedStores } from '../helpers/sqlite-stores';
import type { MemoryDatabase } from '../helpers/cloud-db-engine';
import type { CloudTransport } from '../helpers/cloud-transport';
import type * as WxServerSdk from 'wx-server-sdk';

const NOW = Date.UTC(2026, 11, 5, 2, 0, 0);

const event = (openid: string, eventId = randomUUID()): StoredEvent => ({
  openid,
  eventId,
  type: 'click',
  serverTime: NOW,
  clientTime: NOW,
  clockSkewed: false,
  sessionId: 's',
  page: 'pages/feed/index',
  props: {},
});

let opened: OpenedStores;
let db: MemoryDatabase;
let transport: CloudTransport;

beforeEach(async () => {
  opened = await openTempCloudStores();
  transport = cloudTransport()!;
  db = transport.db;
});
afterEach(() => opened.cleanup());

describe('the test transport is as strict as the service', () => {
  it('refuses a dotted update through a null or scalar field, and changes nothing', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk') as typeof WxServerSdk;
    const raw = cloud.database();
    await raw.collection('accounts').add({ data: { _id: 'a', consent: null, n: 3 } });
    // The SDK sends a nested object as dotted paths ($set {'consent.v': 1}).
    const err = await Promise.resolve(
      raw
        .collection('accounts')
        .doc('a')
        .update({ data: { consent: { v: 1 } } }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      errMsg: expect.stringContaining("Cannot create field 'v' in element {consent: null}"),
    });
    const err2 = await Promise.resolve(
      raw
        .collection('accounts')
        .doc('a')
        .update({ data: { n: { m: 1 } } }),
    ).catch((e: unknown) => e);
    expect(err2).toMatchObject({ errMsg: expect.stringContaining('Cannot create field') });
    expect(db.dump('accounts')).toEqual([{ _id: 'a', consent: null, n: 3 }]);
  });
});

describe('consent on a settings document created by another switch (point 1)', () => {
  it('records consent after the personalisation switch or demographics created the document', async () => {
    const p = opened.stores.privacy;
    await p.setPersonalised('u1', false, NOW);
    await p.recordConsent('u1', { noticeVersion: 'v1', granted: true, at: NOW + 1 });
    await p.setDemographics('u2', { city: '成都' }, NOW);
    await p.recordConsent('u2', { noticeVersion: 'v1', granted: true, at: NOW + 1 });
    await p.recordConsent('u2', { noticeVersion: 'v2', granted: false, at: NOW + 2 });
    expect((await p.getSettings('u1'))?.consent).toEqual({
      noticeVersion: 'v1',
      granted: true,
      at: NOW + 1,
    });
    expect(await p.getSettings('u2')).toMatchObject({
      consent: { noticeVersion: 'v2', granted: false, at: NOW + 2 },
      demographics: { city: '成都' },
    });
  });
});

describe.each(['e11000', 'duplicate-write', 'opaque'] as const)(
  'duplicate _id answered as %s (point 2)',
  (variant) => {
    it('stores an event once and reports the retry as a duplicate', async () => {
      db.answerDuplicatesAs(variant);
      const e = event('u1');
      expect((await opened.stores.events.append([e])).inserted).toHaveLength(1);
      const again = await opened.stores.events.append([e]);
      expect(again.inserted).toHaveLength(0);
      expect(again.duplicates).toEqual([e.eventId]);
      expect(db.dump('events')).toHaveLength(1);
    });

    it('answers a lost compare-and-set race on an erasure job, not an error', async () => {
      db.answerDuplicatesAs(variant);
      const job = runningErasure('s1', 'u1', NOW);
      expect(await opened.stores.privacy.saveErasure(job, 0)).toBe(true);
      expect(await opened.stores.privacy.saveErasure({ ...job, step: 1 }, 0)).toBe(false);
      expect(await opened.stores.privacy.getErasure('s1')).toMatchObject({ step: 0 });
    });
  },
);

describe('an add whose answer was lost (point 2)', () => {
  it('reads the _id back: a document there is answered as a duplicate (never counted twice)', async () => {
    db.failNextAfterApplying('database.insertDocument', 'SYS_ERR', 'connection reset');
    const job = runningErasure('s2', 'u1', NOW);
    expect(await opened.stores.privacy.saveErasure(job, 0)).toBe(false);
    // The caller's compare-and-set path re-reads and finds the job it wrote.
    expect(await opened.stores.privacy.getErasure('s2')).toMatchObject({ rev: 1 });
  });

  it('still fails when nothing was written', async () => {
    db.failNext('database.insertDocument', 'SYS_ERR', 'connection reset');
    await expect(
      opened.stores.privacy.recordConsent('u9', { noticeVersion: 'v', granted: true, at: NOW }),
    ).rejects.toMatchObject({ errCode: -501001 });
  });
});

describe('throttling (point 3)', () => {
  it.each(['EXCEED_REQUEST_LIMIT', 'EXCEED_CONCURRENT_REQUEST_LIMIT', 'SERVER_TIMEOUT'])(
    'retries a read answered %s',
    async (code) => {
      await opened.stores.privacy.setPersonalised('u1', false, NOW);
      for (let i = 0; i < 3; i++) db.failNext('database.getDocument', code, 'throttled');
      expect(await opened.stores.privacy.getSettings('u1')).toMatchObject({ personalised: false });
    },
  );

  it.each(['EXCEED_REQUEST_LIMIT', 'EXCEED_CONCURRENT_REQUEST_LIMIT'])(
    'retries a write refused with %s, storing it once',
    async (code) => {
      db.failNext('database.insertDocument', code, 'throttled');
      db.failNext('database.insertDocument', code, 'throttled');
      const e = event('u1');
      expect((await opened.stores.events.append([e])).inserted).toHaveLength(1);
      expect(db.dump('events')).toHaveLength(1);
    },
  );

  it('does not repeat a write that timed out (it may have run)', async () => {
    await opened.stores.privacy.setPersonalised('u1', false, NOW);
    db.failNext('database.modifyDocument', 'SERVER_TIMEOUT', 'timeout');
    await expect(opened.stores.privacy.setPersonalised('u1', true, NOW + 1)).rejects.toMatchObject({
      errCode: -501002,
    });
  });

  it('gives up after its retries with the service error', async () => {
    for (let i = 0; i < 10; i++)
      db.failNext('database.getDocument', 'EXCEED_REQUEST_LIMIT', 'throttled');
    await expect(opened.stores.privacy.getSettings('u1')).rejects.toMatchObject({
      errCode: -501003,
    });
  });

  it(`keeps at most ${MAX_IN_FLIGHT} requests in flight however many calls run at once`, async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      id: `i${i}`,
      title: `t${i}`,
      category: '美食',
      tags: [],
      publishedAt: NOW - i,
      status: 'published' as const,
    }));
    await opened.stores.catalog.upsert(items as never);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => opened.stores.privacy.getSettings(`u${i}`)),
    );
    expect(MAX_IN_FLIGHT).toBeLessThanOrEqual(4);
    expect(transport.peakInFlight()).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(transport.peakInFlight()).toBeGreaterThan(1);
  });

  it('waits a jittered, growing delay between attempts', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk') as typeof WxServerSdk;
    const delays: number[] = [];
    const { db: wrapped } = withResilience(cloud.database(), {
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    for (let i = 0; i < 3; i++)
      db.failNext('database.getDocument', 'EXCEED_CONCURRENT_REQUEST_LIMIT', 'busy');
    await wrapped.collection('accounts').get();
    expect(delays).toEqual([25, 50, 100]);
  });
});
