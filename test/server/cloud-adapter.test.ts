/**
 * What is specific to the cloud adapter beyond the shared contract: how it uses the service
 * (duplicate-key races, get() limits and paging, fileID mapping) and that payload text never
 * reaches a query as an operator. Runs the real wx-server-sdk over the in-memory transport.
 */
import type * as WxServerSdk from 'wx-server-sdk';
import { openCloudStores } from '../../server/adapters/cloud';
import { docId } from '../../server/adapters/cloud/sdk';
import type { Stores } from '../../server/ports';
import { makeEvent, makeItem } from '../helpers/fixtures';
import { installCloudTransport } from '../helpers/cloud-transport';
import { TEST_CLOUD_CONFIG, testCipher } from '../helpers/blob-key';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as typeof WxServerSdk;
cloud.init({ env: 'test-env' });

let s: Stores;
beforeEach(() => {
  transport.reset();
  s = openCloudStores(cloud, TEST_CLOUD_CONFIG);
});
afterAll(() => transport.restore());

const gets = (collection: string) =>
  transport.db.log.filter(
    (l) => l.action === 'database.getDocument' && l.collection === collection,
  );

describe('cloud event log', () => {
  it('relies on the unique _id: concurrent appends race on the insert and the losers see duplicates', async () => {
    const e = makeEvent();
    const results = await Promise.all(Array.from({ length: 6 }, () => s.events.append([e])));
    expect(results.filter((r) => r.inserted.length === 1)).toHaveLength(1);
    expect(results.flatMap((r) => r.duplicates)).toHaveLength(5);
    // All six really went to the service (no client-side shortcut): one stored document.
    expect(transport.actions.filter((a) => a === 'database.insertDocument')).toHaveLength(6);
    expect(transport.db.dump('events')).toHaveLength(1);
  });

  it('fails the call on other database errors instead of calling them duplicates', async () => {
    transport.db.failNext('database.insertDocument');
    await expect(s.events.append([makeEvent()])).rejects.toMatchObject({ errCode: -501002 });
  });

  it('pages past the 1000-document get() limit in order, without gaps or repeats', async () => {
    const all = Array.from({ length: 1100 }, (_, i) =>
      makeEvent({ serverTime: 1_000_000 + Math.floor(i / 3) }),
    );
    await s.events.append(all);
    const page = await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 5000);
    expect(page.events).toHaveLength(1100);
    const order = page.events.map((e) => e.serverTime);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(page.events.map((e) => e.eventId)).size).toBe(1100);
    expect(gets('events').length).toBeGreaterThanOrEqual(4); // 1100 events in pages of at most 300
    expect(gets('events').every((g) => (g.limit ?? 0) <= 1000)).toBe(true);
    // Equal serverTimes across a page boundary: the (serverTime, _id) cursor neither skips nor repeats.
    let cursor: string | null = null;
    const seen: string[] = [];
    for (;;) {
      const p: Awaited<ReturnType<Stores['events']['readAfter']>> = await s.events.readAfter(
        cursor,
        Number.MAX_SAFE_INTEGER,
        250,
      );
      if (p.events.length === 0) break;
      seen.push(...p.events.map((e) => e.eventId));
      cursor = p.cursor;
    }
    expect(seen).toEqual(page.events.map((e) => e.eventId));
  });

  it('keeps each page under the 1 MB result cap even when every event is a longest comment', async () => {
    const longest = '评'.repeat(499) + '"';
    const all = Array.from({ length: 650 }, () =>
      makeEvent({ type: 'comment', props: { text: longest }, variant: 'x'.repeat(128) }),
    );
    await s.events.append(all);
    // The in-memory service refuses results over 1 MB, as the real one does.
    expect((await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 650)).events).toHaveLength(650);
  });

  it('refuses a cursor it did not make with a stable code', async () => {
    await expect(s.events.readAfter('{"$gt":""}', Date.now(), 10)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const forged = Buffer.from(JSON.stringify([0, { $gt: '' }])).toString('base64url');
    await expect(s.events.readAfter(forged, Date.now(), 10)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('keeps operator-shaped input out of queries: strings stay values, objects are refused', async () => {
    await s.events.append([makeEvent({ openid: 'user-a' }), makeEvent({ openid: '{"$gt":""}' })]);
    expect(await s.events.countForUser('{"$gt":""}')).toBe(1);
    expect(await s.events.countForUser('_.exists(true)')).toBe(0);
    await expect(s.events.countForUser({ $gt: '' } as unknown as string)).rejects.toThrow(
      /must be a string/,
    );
    // Client-chosen props keys are stored as JSON text, never as field paths.
    await s.events.append([makeEvent({ props: { $set: 1, 'a.b': 'x' } })]);
    expect(transport.db.dump('events').every((d) => typeof d.props === 'string')).toBe(true);
  });
});

describe('cloud counters', () => {
  it('creates a new counter race-safely: update, insert, and on a lost insert update again', async () => {
    const d = { scope: 'ad', id: 'ad-1', bucket: '202611280100', field: 'spend', by: 5 };
    const results = await Promise.all(Array.from({ length: 10 }, () => s.counters.add([d])));
    expect(await s.counters.read('ad', ['ad-1'], '202611280100')).toEqual({
      'ad-1': { spend: 50 },
    });
    expect(Math.max(...results.flat())).toBe(50);
    // The race really happened: several callers tried the insert and all but one lost it.
    const inserts = transport.actions.filter((a) => a === 'database.insertDocument').length;
    expect(inserts).toBeGreaterThan(1);
    expect(transport.db.dump('counters')).toHaveLength(1);
  });

  it('reads many ids in chunks within the get() limit', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `item-${i}`);
    await s.counters.add(
      ids.map((id) => ({ scope: 'item', id, bucket: 'd', field: 'views', by: 1 })),
    );
    const read = await s.counters.read('item', [...ids, 'unknown'], 'd');
    expect(Object.keys(read)).toHaveLength(150);
    expect(read['item-149']).toEqual({ views: 1 });
    expect(gets('counters').every((g) => (g.limit ?? 0) <= 1000)).toBe(true);
  });

  it('refuses field names that would be update paths or operators, and changes nothing', async () => {
    for (const field of ['$set', 'a.b', '', 'f.x']) {
      await expect(
        s.counters.add([{ scope: 's', id: 'i', bucket: 'b', field, by: 1 }]),
      ).rejects.toThrow(/invalid counter field/);
    }
    await expect(
      s.counters.add([{ scope: 's', id: 'i', bucket: 'b', field: 'ok', by: Number.NaN }]),
    ).rejects.toThrow(/finite/);
    expect(transport.db.dump('counters')).toEqual([]);
  });
});

describe('cloud catalog', () => {
  it('lists past the get() limit with keyset paging', async () => {
    const t = 1_700_000_000_000;
    await s.catalog.upsert(
      Array.from({ length: 1050 }, (_, i) =>
        makeItem(`it-${String(i).padStart(4, '0')}`, { publishedAt: t + Math.floor(i / 2) }),
      ),
    );
    const items = await s.catalog.list({ limit: 1020 });
    expect(items).toHaveLength(1020);
    expect(items[0].id).toBe('it-1049');
    expect(new Set(items.map((i) => i.id)).size).toBe(1020);
    expect(gets('catalog').every((g) => (g.limit ?? 0) <= 1000)).toBe(true);
    expect(await s.catalog.count()).toBe(1050);
  });

  it('matches filters as values only', async () => {
    await s.catalog.upsert([
      makeItem('a', { category: '_.exists' }),
      makeItem('b', { category: '美食' }),
    ]);
    expect((await s.catalog.list({ category: '_.exists', limit: 10 })).map((i) => i.id)).toEqual([
      'a',
    ]);
    await expect(
      s.catalog.list({ category: { $ne: 'x' } as unknown as string, limit: 10 }),
    ).rejects.toThrow(/must be a string/);
  });
});

describe('cloud blobs', () => {
  const files = () => transport.storage.paths();
  const fileOf = (key: string) =>
    (transport.db.dump('blobs') as unknown as { key: string; fileID: string }[]).find(
      (d) => d.key === key,
    )!.fileID;
  const pathOf = (fileID: string) => fileID.slice(fileID.indexOf('/', 'cloud://'.length) + 1);

  it('stores each blob sealed at an unguessable path in one storage folder and maps each key to its fileID', async () => {
    const plain = Buffer.from('{"pending":[{"openid":"oSecretUser"}]}');
    await s.blobs.put('train/state/r1.json', plain);
    const path = testCipher().pathOf('train/state/r1.json');
    expect(path).toMatch(/^[0-9a-f]{64}$/);
    expect(files()).toEqual([`recsys/blobs/${path}`]);
    expect(transport.db.dump('blobs')).toEqual([
      expect.objectContaining({
        key: 'train/state/r1.json',
        size: plain.length,
        sealed: 1,
        fileID: expect.stringMatching(new RegExp(`^cloud://test-env\\..*/recsys/blobs/${path}$`)),
      }),
    ]);
    const stored = transport.storage.read(files()[0])!;
    expect(stored.includes('oSecretUser')).toBe(false);
    expect(stored.includes('train')).toBe(false);
    expect(stored.length).toBe(plain.length + 4 + 8 + 12 + 16);
    expect(Buffer.from((await s.blobs.get('train/state/r1.json'))!).equals(plain)).toBe(true);
    // Overwriting keeps one file (same path, fresh IV); the ciphertext changes.
    await s.blobs.put('train/state/r1.json', plain);
    expect(files()).toHaveLength(1);
    expect(transport.storage.read(files()[0])!.equals(stored)).toBe(false);
  });

  it('refuses a changed, truncated or swapped file, and a file sealed under another key', async () => {
    await s.blobs.put('models/ctr/v1.bin', new Uint8Array([1, 2, 3, 4, 5]));
    await s.blobs.put('models/ctr/v2.bin', new Uint8Array([9, 9, 9, 9, 9]));
    const p1 = pathOf(fileOf('models/ctr/v1.bin'));
    const p2 = pathOf(fileOf('models/ctr/v2.bin'));
    const good1 = transport.storage.read(p1)!;
    const overwrite = (path: string, bytes: Buffer) =>
      cloud.uploadFile({ cloudPath: path, fileContent: bytes });

    const flipped = Buffer.from(good1);
    flipped[flipped.length - 20] ^= 0x01;
    await overwrite(p1, flipped);
    await expect(s.blobs.get('models/ctr/v1.bin')).rejects.toMatchObject({
      name: 'BlobIntegrityError',
      code: 'BLOB_TAMPERED',
    });
    await overwrite(p1, good1.subarray(0, good1.length - 3));
    await expect(s.blobs.get('models/ctr/v1.bin')).rejects.toMatchObject({ code: 'BLOB_TAMPERED' });
    await overwrite(p1, Buffer.from([1, 2, 3, 4, 5]));
    await expect(s.blobs.get('models/ctr/v1.bin')).rejects.toMatchObject({ code: 'BLOB_TAMPERED' });
    // v2's intact file put in v1's place: authenticated for v2's key only.
    await overwrite(p1, transport.storage.read(p2)!);
    await expect(s.blobs.get('models/ctr/v1.bin')).rejects.toMatchObject({ code: 'BLOB_TAMPERED' });
    await overwrite(p1, good1);
    expect(Array.from((await s.blobs.get('models/ctr/v1.bin'))!)).toEqual([1, 2, 3, 4, 5]);

    const other = openCloudStores(cloud, {
      ...TEST_CLOUD_CONFIG,
      blobEncryptionKey: Buffer.alloc(32, 7).toString('base64'),
    });
    await expect(other.blobs.get('models/ctr/v1.bin')).rejects.toMatchObject({
      code: 'BLOB_KEY_MISMATCH',
      message: expect.stringMatching(/BLOB_ENCRYPTION_KEY/),
    });
  });

  it('seals a plaintext blob from before sealing on first read and deletes its old file', async () => {
    // As the adapter stored blobs before: the key as the path, no `sealed` mark.
    const { fileID } = await cloud.uploadFile({
      cloudPath: 'recsys/blobs/train/state/r7.json',
      fileContent: Buffer.from('{"openid":"oOld"}'),
    });
    await cloud
      .database()
      .collection('blobs')
      .doc(docId('train/state/r7.json'))
      .set({ data: { key: 'train/state/r7.json', fileID, size: 17, updatedAt: 1 } });
    expect(Buffer.from((await s.blobs.get('train/state/r7.json'))!).toString()).toBe(
      '{"openid":"oOld"}',
    );
    expect(files()).toEqual([`recsys/blobs/${testCipher().pathOf('train/state/r7.json')}`]);
    expect(transport.storage.read(files()[0])!.includes('oOld')).toBe(false);
    expect(transport.db.dump('blobs')).toEqual([expect.objectContaining({ sealed: 1 })]);
    expect(Buffer.from((await s.blobs.get('train/state/r7.json'))!).toString()).toBe(
      '{"openid":"oOld"}',
    );

    // Overwritten before it was read: the old plaintext file goes too.
    const old = await cloud.uploadFile({
      cloudPath: 'recsys/blobs/models/ctr/v3.bin',
      fileContent: Buffer.from('plain'),
    });
    await cloud
      .database()
      .collection('blobs')
      .doc(docId('models/ctr/v3.bin'))
      .set({ data: { key: 'models/ctr/v3.bin', fileID: old.fileID, size: 5, updatedAt: 1 } });
    await s.blobs.put('models/ctr/v3.bin', Buffer.from('new'));
    expect(files()).not.toContain('recsys/blobs/models/ctr/v3.bin');
    expect(Buffer.from((await s.blobs.get('models/ctr/v3.bin'))!).toString()).toBe('new');
  });

  it('will not open without a blob encryption key', () => {
    expect(() => openCloudStores(cloud, { cloudEnv: '', blobEncryptionKey: '' })).toThrow(
      /BLOB_ENCRYPTION_KEY is not set/,
    );
  });

  it('answers null when the file is gone from storage but its record remains', async () => {
    await s.blobs.put('k.bin', new Uint8Array([7]));
    const [{ fileID }] = transport.db.dump('blobs') as unknown as { fileID: string }[];
    await cloud.deleteFile({ fileList: [fileID] });
    expect(await s.blobs.get('k.bin')).toBeNull();
    await expect(s.blobs.delete('k.bin')).resolves.toBeUndefined();
    expect(transport.db.dump('blobs')).toEqual([]);
  });
});
