/**
 * The local host's ad-image upload (fastify inject, real SQLite stores and blob folder): what
 * wx.uploadFile sends is stored by content hash and served back; an image too big, bytes that are
 * not an image, a caller without identity or without a merchant are refused and store nothing.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createHost } from '../../../server/host/server';
import { imageKind, UPLOAD_MAX_BYTES } from '../../../server/host/uploads';
import { testDeps } from '../../helpers/deps';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake png body'),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF body')]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x10, 0, 0, 0]),
  Buffer.from('WEBPVP8 body'),
]);

/** The body wx.uploadFile sends: one file part named `file` (plus any formData fields). */
function multipart(
  file: Buffer,
  opts: { field?: string; extra?: Record<string, string> } = {},
): { body: Buffer; contentType: string } {
  const boundary = '----WeChatFormBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(opts.extra ?? {})) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="tmp_abc.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
  );
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

let opened: OpenedStores;
let app: FastifyInstance;

beforeEach(async () => {
  opened = await openTempSqliteStores();
  await opened.stores.merchants.addMember('owner_1', {
    merchantId: 'm1',
    role: 'owner',
    joinedAt: 1,
  });
  await opened.stores.merchants.addMember('staff_1', {
    merchantId: 'm1',
    role: 'staff',
    joinedAt: 1,
  });
  const deps = testDeps(opened.stores);
  deps.config = { ...deps.config, logRequests: false };
  app = createHost({ deps, functions: {}, name: 'test', version: '0' });
});

afterEach(async () => {
  await app.close();
  await opened.cleanup();
});

const upload = (
  file: Buffer,
  openid: string | null = 'owner_1',
  opts: Parameters<typeof multipart>[1] = {},
) => {
  const { body, contentType } = multipart(file, opts);
  return app.inject({
    method: 'POST',
    url: '/upload/image',
    headers: { 'content-type': contentType, ...(openid ? { 'x-openid': openid } : {}) },
    payload: body,
  });
};

const blobs = async (): Promise<string[]> =>
  Object.keys(await opened.dumpAll!()).filter((k) => k.startsWith('blob:'));

describe('POST /upload/image', () => {
  it('stores a PNG by content hash under DATA_DIR and serves the same bytes back', async () => {
    const res = await upload(PNG, 'owner_1', { extra: { purpose: 'ad' } });
    expect(res.statusCode).toBe(200);
    const sha = createHash('sha256').update(PNG).digest('hex');
    expect(res.json()).toEqual({
      ok: true,
      data: {
        image: `local://uploads/${sha}.png`,
        url: `/files/uploads/${sha}.png`,
        bytes: PNG.length,
      },
    });
    expect(await blobs()).toEqual([`blob:uploads/${sha}.png`]);

    const got = await app.inject({ method: 'GET', url: `/files/uploads/${sha}.png` });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(PNG)).toBe(true);

    // The same image again is the same file.
    expect((await upload(PNG)).json().data.image).toBe(`local://uploads/${sha}.png`);
    expect(await blobs()).toHaveLength(1);
  });

  it('names JPEG and WebP by what their bytes are', async () => {
    expect((await upload(JPEG)).json().data.image).toMatch(
      /^local:\/\/uploads\/[0-9a-f]{64}\.jpg$/,
    );
    expect((await upload(WEBP)).json().data.image).toMatch(
      /^local:\/\/uploads\/[0-9a-f]{64}\.webp$/,
    );
    expect(imageKind(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '))).toBeNull();
  });

  it('refuses an image over the size limit with PAYLOAD_TOO_LARGE, storing nothing', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(UPLOAD_MAX_BYTES + 64 * 1024)]); // refused by the body limit, unread
    const res = await upload(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      message: '图片不能超过 2 MB',
    });
    // Just over the limit but inside the envelope allowance: refused by the file check itself.
    const edge = await upload(
      Buffer.concat([PNG, Buffer.alloc(UPLOAD_MAX_BYTES - PNG.length + 1)]),
    );
    expect(edge.json()).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
    expect(await blobs()).toEqual([]);
  });

  it('refuses bytes that are not a JPEG, PNG or WebP whatever the file claims to be', async () => {
    for (const file of [
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('GIF89a....'),
      Buffer.alloc(0),
    ]) {
      const res = await upload(file);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        ok: false,
        code: 'INVALID_INPUT',
        message: '只能上传 JPEG、PNG 或 WebP 图片',
      });
    }
    expect(await blobs()).toEqual([]);
  });

  it('refuses a caller without identity, and one who is not a merchant owner', async () => {
    const anon = await upload(PNG, null);
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect((await upload(PNG, 'bad id!')).json()).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
    for (const who of ['staff_1', 'plain_user']) {
      const res = await upload(PNG, who);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: '只有商家所有者可以上传广告图片',
      });
    }
    expect(await blobs()).toEqual([]);
  });

  it('refuses a body without a file part, or not multipart at all', async () => {
    expect((await upload(PNG, 'owner_1', { field: 'photo' })).json()).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    const json = await app.inject({
      method: 'POST',
      url: '/upload/image',
      headers: { 'content-type': 'application/json', 'x-openid': 'owner_1' },
      payload: '{"file":"x"}',
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });
});

describe('GET /files/uploads/<name>', () => {
  it('answers NOT_FOUND for unknown or malformed names, never a path outside the uploads', async () => {
    for (const url of [
      `/files/uploads/${'a'.repeat(64)}.png`,
      '/files/uploads/..%2F..%2Frecsys.sqlite',
      '/files/uploads/x.png',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
  });
});
