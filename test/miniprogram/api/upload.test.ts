/** The image uploader over a fake wx: cloud storage in cloud mode, the local host's /upload/image in local mode. */
import type { BackendConfig } from '../../../miniprogram/services/config';
import { imageSrc, uploaderFor } from '../../../miniprogram/services/upload';
import { toCardView } from '../../../miniprogram/pages/feed/card-view';
import { createFakeWx } from './fake-wx';
import { rejection } from '../helpers/rejection';

const local: BackendConfig = {
  mode: 'local',
  localBaseUrl: 'http://127.0.0.1:3000/',
  cloudEnv: '',
  timeoutMs: 5000,
};
const cloud: BackendConfig = {
  mode: 'cloud',
  localBaseUrl: 'http://unused',
  cloudEnv: 'prod-1a2b',
  timeoutMs: 5000,
};
const SHA = 'a'.repeat(64);

describe('cloud mode', () => {
  it("uploads to cloud storage under ads/ with the picked file's type, and stores the fileID", async () => {
    const f = createFakeWx();
    f.answerCloudUpload({ fileID: 'cloud://prod-1a2b.7072/ads/x.png' });
    const up = uploaderFor(cloud, f.wx, () => 'id-1');
    expect(await up.upload('wxfile://tmp_abc.PNG')).toBe('cloud://prod-1a2b.7072/ads/x.png');
    expect(f.cloudUploads).toEqual([
      { cloudPath: 'ads/id-1.png', filePath: 'wxfile://tmp_abc.PNG' },
    ]);
    expect(f.uploads).toEqual([]);
    // <image> shows cloud file ids as they are.
    expect(up.src('cloud://prod-1a2b.7072/ads/x.png')).toBe('cloud://prod-1a2b.7072/ads/x.png');
  });

  it('names an unknown temp file type .jpg, and turns a failed upload into a NETWORK error', async () => {
    const f = createFakeWx();
    f.answerCloudUpload(
      Object.assign(new Error('x'), { errMsg: 'cloud.uploadFile:fail quota exceeded' }),
    );
    const err = await rejection(uploaderFor(cloud, f.wx, () => 'id-2').upload('http://tmp/blob'));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain('图片上传失败');
    expect(err.message).toContain('quota exceeded');
    expect(f.cloudUploads[0].cloudPath).toBe('ads/id-2.jpg');
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
