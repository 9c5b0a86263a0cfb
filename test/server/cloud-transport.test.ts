/**
 * Pins what the cloud adapter and the test transport rely on inside wx-server-sdk /
 * @cloudbase/node-sdk: versions, the two transport seams, and how the real SDK surfaces the
 * service's replies. If the SDK is upgraded, these fail first and say what to re-verify.
 */
import type * as WxServerSdk from 'wx-server-sdk';
import { isDuplicateKey } from '../../server/adapters/cloud/sdk';
import { installCloudTransport, PINNED } from '../helpers/cloud-transport';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as typeof WxServerSdk;
cloud.init({ env: 'test-env' });
const db = cloud.database();

beforeEach(() => transport.reset());
afterAll(() => transport.restore());

describe('wx-server-sdk transport seams', () => {
  it('runs the pinned SDK versions', () => {
    for (const [pkg, version] of Object.entries(PINNED)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect((require(`${pkg}/package.json`) as { version: string }).version).toBe(version);
    }
  });

  it('sends database calls through the replaced TCB API request, with EJSON query strings', async () => {
    await db.collection('probe').add({
      data: [
        { _id: 'a', n: 1, when: db.serverDate() },
        { _id: 'b', n: 0 },
      ],
    });
    // Only 'a' matches: had the SDK stopped sending the query as an EJSON string, the engine would match both.
    const res = await db
      .collection('probe')
      .where({ n: db.command.gte(1) })
      .get();
    expect(transport.actions).toEqual(['database.insertDocument', 'database.getDocument']);
    expect(res).toMatchObject({ data: [{ _id: 'a', n: 1, when: expect.any(Date) }] });
  });

  it('surfaces a duplicate _id as the service does: errCode -502001 with the E11000 text', async () => {
    await db.collection('probe').add({ data: { _id: 'dup' } });
    const err = await Promise.resolve(db.collection('probe').add({ data: { _id: 'dup' } })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      errCode: -502001,
      errMsg: expect.stringMatching(/E11000 duplicate key error .* index: _id_ dup key/),
    });
    expect(isDuplicateKey(err)).toBe(true);
  });

  it('does not take other database failures for duplicates', async () => {
    transport.db.failNext('database.insertDocument', 'DATABASE_REQUEST_FAILED', 'connection reset');
    const err = await Promise.resolve(db.collection('probe').add({ data: { _id: 'x' } })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ errCode: -502001 });
    expect(isDuplicateKey(err)).toBe(false);
  });

  it('reports `updated` 0 for an update that matches no document (the counters create path relies on it)', async () => {
    const res = await db
      .collection('probe')
      .doc('missing')
      .update({ data: { n: db.command.inc(1) } });
    expect(res).toMatchObject({ stats: { updated: 0 } });
  });

  it('moves file bytes through the replaced HTTP request and storage actions', async () => {
    const up = await cloud.uploadFile({
      cloudPath: 'p/f.bin',
      fileContent: Buffer.from([9, 8, 7]),
    });
    expect(transport.storage.paths()).toEqual(['p/f.bin']);
    const down = await cloud.downloadFile({ fileID: up.fileID });
    expect([...down.fileContent]).toEqual([9, 8, 7]);
    await cloud.deleteFile({ fileList: [up.fileID] });
    const missing = await cloud.downloadFile({ fileID: up.fileID }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'STORAGE_FILE_NONEXIST' });
    expect(transport.actions).toEqual([
      'storage.getUploadMetadata',
      'storage.batchGetDownloadUrl',
      'storage.batchDeleteFile',
      'storage.batchGetDownloadUrl',
    ]);
  });

  it('puts the SDK transport back on restore', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const api = require('@cloudbase/node-sdk/dist/utils/tcbapirequester') as { request: unknown };
    const http = require('@cloudbase/node-sdk/dist/utils/request-core') as { request: unknown };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const patched = [api.request, http.request];
    const second = installCloudTransport();
    second.restore();
    expect([api.request, http.request]).toEqual(patched);
  });
});
