/** The image uploader over a fake wx: staging, upload and `merchant` image.publish in cloud mode, the local host's /upload/image in local mode. */
import { imageSrc, uploaderFor } from '../../../miniprogram/services/upload';
import { createApiClient } from '../../../miniprogram/services/api';
import { cloudTransport } from '../../../miniprogram/services/transport';
import { toCardView } from '../../../miniprogram/pages/feed/card-view';
import { CLOUD_BACKEND as cloud, LOCAL_BACKEND as local } from './backends';
import { createFakeWx } from './fake-wx';
import { rejection } from '../helpers/rejection';

const SHA = 'a'.repeat(64);

describe('cloud mode', () => {
  const STAGED = `uploads/${'f'.repeat(32)}/0b7c7c1e3f1a4d5e9c2b8a6f4e2d1c0b.png`;
  const PUBLISHED = `cloud://prod-1a2b.7072/ads/${SHA}.png`;
  /** The real API client over the fake wx.cloud.callFunction. */
  const apiOver = (f: ReturnType<typeof createFakeWx>) => () =>
    createApiClient(cloudTransport(f.wx.cloud));

  it("stages the picked file in the owner's staging folder, publishes it through `merchant`, and stores the published fileID", async () => {
    const f = createFakeWx();
    f.answerCloud(
      { result: { ok: true, data: { action: 'image.stage', cloudPath: STAGED } } },
      {
        result: {
          ok: true,
          data: { action: 'image.publish', published: { image: PUBLISHED, bytes: 10 } },
        },
      },
    );
    f.answerCloudUpload({ fileID: `cloud://prod-1a2b.7072/${STAGED}` });
    const up = uploaderFor(cloud, f.wx, apiOver(f));
    expect(await up.upload('wxfile://tmp_abc.PNG')).toBe(PUBLISHED);
    expect(f.cloudCalls).toEqual([
      { name: 'merchant', data: { action: 'image.stage', ext: 'png' } },
      {
        name: 'merchant',
        data: { action: 'image.publish', fileID: `cloud://prod-1a2b.7072/${STAGED}` },
      },
    ]);
    // Never under ads/: the client writes only where image.stage said.
    expect(f.cloudUploads).toEqual([{ cloudPath: STAGED, filePath: 'wxfile://tmp_abc.PNG' }]);
    expect(f.uploads).toEqual([]);
    // <image> shows cloud file ids as they are.
    expect(up.src(PUBLISHED)).toBe(PUBLISHED);
  });

  it("names an unknown temp file type .jpg, turns a failed upload into a NETWORK error, and shows the server's refusal", async () => {
    const f = createFakeWx();
    const stage = (ext: string) => ({
      result: { ok: true, data: { action: 'image.stage', cloudPath: STAGED.replace('png', ext) } },
    });
    f.answerCloud(
      stage('jpg'),
      stage('png'),
      {
        result: {
          ok: false,
          code: 'INVALID_INPUT',
          message: '请求参数有误：fileID: 图片内容与文件类型不符，请重新选择图片',
        },
      },
      { result: { ok: false, code: 'FORBIDDEN', message: '只有商家所有者可以进行此操作' } },
    );
    f.answerCloudUpload(
      Object.assign(new Error('x'), { errMsg: 'cloud.uploadFile:fail quota exceeded' }),
      { fileID: `cloud://prod-1a2b.7072/${STAGED}` },
    );
    const up = uploaderFor(cloud, f.wx, apiOver(f));
    const err = await rejection(up.upload('http://tmp/blob'));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain('图片上传失败');
    expect(err.message).toContain('quota exceeded');
    expect(f.cloudCalls[0].data).toEqual({ action: 'image.stage', ext: 'jpg' });
    expect(f.cloudCalls).toHaveLength(1); // nothing to publish

    expect(await rejection(up.upload('http://tmp/a.png'))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('图片内容与文件类型不符'),
    });
    // A staff member is refused before anything is uploaded.
    expect(await rejection(up.upload('http://tmp/b.png'))).toMatchObject({
      code: 'FORBIDDEN',
      message: '只有商家所有者可以进行此操作',
    });
    expect(f.cloudUploads).toHaveLength(2);
  });
});

describe('local mode', () => {
  it('posts the file as multipart field `file` to /upload/image with the dev openid, and stores local://', async () => {
    const f = createFakeWx();
    f.answerUpload({
      statusCode: 200,
      data: JSON.stringify({
        ok: true,
        data: { image: `local://uploads/${SHA}.png`, url: `/files/uploads/${SHA}.png`, bytes: 10 },
      }),
    });
    const up = uploaderFor(local, f.wx);
    expect(await up.upload('http://tmp/abc.png')).toBe(`local://uploads/${SHA}.png`);
    expect(f.uploads).toHaveLength(1);
    expect(f.uploads[0]).toMatchObject({
      url: 'http://127.0.0.1:3000/upload/image',
      filePath: 'http://tmp/abc.png',
      name: 'file',
    });
    expect(f.uploads[0].header['x-openid']).toMatch(/^dev_[a-z0-9]{16}$/);
    expect(f.cloudUploads).toEqual([]);
    // The host serves it back; other images are shown as they are.
    expect(up.src(`local://uploads/${SHA}.png`)).toBe(
      `http://127.0.0.1:3000/files/uploads/${SHA}.png`,
    );
    expect(up.src('https://example.com/a.png')).toBe('https://example.com/a.png');
    expect(up.src('')).toBe('');
  });

  it("throws the host's code and message for a refused upload (too big, not an image)", async () => {
    const f = createFakeWx();
    f.answerUpload(
      {
        statusCode: 413,
        data: JSON.stringify({
          ok: false,
          code: 'PAYLOAD_TOO_LARGE',
          message: '图片不能超过 2 MB',
        }),
      },
      {
        statusCode: 400,
        data: JSON.stringify({
          ok: false,
          code: 'INVALID_INPUT',
          message: '只能上传 JPEG、PNG 或 WebP 图片',
        }),
      },
    );
    const up = uploaderFor(local, f.wx);
    expect(await rejection(up.upload('http://tmp/big.png'))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '图片不能超过 2 MB',
    });
    expect(await rejection(up.upload('http://tmp/a.gif'))).toMatchObject({
      code: 'INVALID_INPUT',
      message: '只能上传 JPEG、PNG 或 WebP 图片',
    });
  });

  it('answers NETWORK when the upload does not complete and BAD_RESPONSE for a body that is not the envelope', async () => {
    const f = createFakeWx();
    f.answerUpload(
      { fail: 'uploadFile:fail timeout' },
      { statusCode: 502, data: '<html>bad gateway</html>' },
      { statusCode: 200, data: JSON.stringify({ ok: true, data: {} }) },
    );
    const up = uploaderFor(local, f.wx);
    expect(await rejection(up.upload('http://tmp/a.png'))).toMatchObject({ code: 'NETWORK' });
    expect((await rejection(up.upload('http://tmp/a.png'))).code).toBe('BAD_RESPONSE');
    expect((await rejection(up.upload('http://tmp/a.png'))).code).toBe('BAD_RESPONSE');
  });
});

describe('imageSrc', () => {
  it('shows local host files from the configured host, everything else as stored', () => {
    const cfg = { localBaseUrl: 'http://192.168.1.5:3000/' };
    expect(imageSrc(`local://uploads/${SHA}.webp`, cfg)).toBe(
      `http://192.168.1.5:3000/files/uploads/${SHA}.webp`,
    );
    expect(imageSrc('cloud://env.bucket/ads/a.png', cfg)).toBe('cloud://env.bucket/ads/a.png');
    expect(imageSrc('', cfg)).toBe('');
  });

  it("is what the feed's ad cards show (default config: the local host)", () => {
    const view = toCardView(
      {
        kind: 'ad',
        position: 3,
        sponsored: true,
        adId: 'c1',
        advertiser: '川味火锅',
        merchantId: 'm1',
        creative: {
          title: 't',
          description: 'd',
          image: `local://uploads/${SHA}.png`,
          landing: { kind: 'page', path: 'pages/feed/index' },
        },
        reason: { code: 'interest', text: '你关注了「美食」' },
      },
      's1',
    );
    expect(view.cover).toBe(`http://127.0.0.1:3000/files/uploads/${SHA}.png`);
  });
});
