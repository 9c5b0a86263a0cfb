/**
 * Local host only: ad images for the merchant editor. `POST /upload/image` takes what
 * wx.uploadFile sends (multipart/form-data, field `file`) from a merchant owner, checks the
 * bytes really are a JPEG, PNG or WebP image within the size limit, and stores them under
 * DATA_DIR by content hash (the same image twice is one file); `GET /files/uploads/<name>` serves
 * them back. In the cloud the Mini Program uploads to cloud storage itself (wx.cloud.uploadFile).
 * Uploads are not tied to the uploader: content-addressed files hold no personal data.
 */
import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { UploadedImage } from '../../typings';
import type { Deps } from '../runtime/function';
import { fail } from './http-errors';

/** Largest image accepted, bytes: ad creatives are shown at card width, 2 MB is plenty. */
export const UPLOAD_MAX_BYTES = 2 * 1024 * 1024;
/** Room for the multipart envelope around the file. */
const ENVELOPE_BYTES = 16 * 1024;
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;
const NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/;
const MIME: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The image kind its first bytes say, or null: JPEG FF D8 FF, PNG's 8-byte signature, WebP's RIFF….WEBP. */
export function imageKind(b: Uint8Array): 'jpg' | 'png' | 'webp' | null {
  const at = (i: number, bytes: number[]) => bytes.every((x, k) => b[i + k] === x);
  if (b.length >= 3 && at(0, [0xff, 0xd8, 0xff])) return 'jpg';
  if (b.length >= 8 && at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (b.length >= 12 && at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50]))
    return 'webp';
  return null;
}

/** The bytes of the part named `field` in a multipart/form-data body, or null when there is none. */
export function multipartField(body: Buffer, contentType: string, field: string): Buffer | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const headStart = start + delimiter.length + 2; // past "\r\n"
    const next = body.indexOf(delimiter, headStart);
    if (next < 0) return null;
    const headEnd = body.indexOf('\r\n\r\n', headStart);
    if (headEnd < 0 || headEnd > next) return null;
    const head = body.subarray(headStart, headEnd).toString('utf8');
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(head)?.[1];
    if (name === field) return body.subarray(headEnd + 4, next - 2); // the part ends with "\r\n"
    start = next;
  }
  return null;
}

/** Registers the upload and file routes in their own scope (their own body parser and limit). */
export function uploadRoutes(deps: Deps) {
  return async (scope: FastifyInstance): Promise<void> => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: UPLOAD_MAX_BYTES + ENVELOPE_BYTES },
      (_req, body, done) => done(null, body),
    );

    scope.setErrorHandler((err: FastifyError, req, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413)
        return tooLarge(reply);
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)
        return fail(reply, 'BAD_REQUEST', '请用 multipart/form-data 上传图片（字段 file）');
      deps.log.error('upload error', { url: req.url, error: `${err.name}: ${err.message}` });
      return fail(reply, 'INTERNAL', '服务出错了，请稍后重试');
    });

    scope.post(
      '/upload/image',
      { bodyLimit: UPLOAD_MAX_BYTES + ENVELOPE_BYTES },
      async (req, reply) => {
        const openid = req.headers['x-openid'];
        if (typeof openid !== 'string' || !OPENID.test(openid))
          return fail(reply, 'UNAUTHENTICATED', '无法识别微信用户身份，请在微信中打开小程序后重试');
        const membership = await deps.stores.merchants.membership(openid);
        if (membership?.role !== 'owner')
          return fail(reply, 'FORBIDDEN', '只有商家所有者可以上传广告图片');
        const file = Buffer.isBuffer(req.body)
          ? multipartField(req.body, String(req.headers['content-type']), 'file')
          : null;
        if (!file)
          return fail(reply, 'BAD_REQUEST', '请用 multipart/form-data 上传图片（字段 file）');
        if (file.length > UPLOAD_MAX_BYTES) return tooLarge(reply);
        const kind = imageKind(file);
        if (!kind) return fail(reply, 'INVALID_INPUT', '只能上传 JPEG、PNG 或 WebP 图片');
        const name = `${createHash('sha256').update(file).digest('hex')}.${kind}`;
        await deps.stores.blobs.put(`uploads/${name}`, new Uint8Array(file));
        const data: UploadedImage = {
          image: `local://uploads/${name}`,
          url: `/files/uploads/${name}`,
          bytes: file.length,
        };
        return reply.send({ ok: true, data });
      },
    );

    scope.get<{ Params: { name: string } }>('/files/uploads/:name', async (req, reply) => {
      const m = NAME.exec(req.params.name);
      const bytes = m ? await deps.stores.blobs.get(`uploads/${req.params.name}`) : null;
      if (!m || !bytes) return fail(reply, 'NOT_FOUND', '没有这个文件');
      return reply
        .type(MIME[m[1]])
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(bytes));
    });
  };
}

function tooLarge(reply: FastifyReply): FastifyReply {
  return fail(reply, 'PAYLOAD_TOO_LARGE', `图片不能超过 ${UPLOAD_MAX_BYTES / 1024 / 1024} MB`);
}
