/**
 * Local host only: ad images for the merchant editor. `POST /upload/image` takes what
 * wx.uploadFile sends (multipart/form-data, field `file`) from a merchant owner, checks the
 * bytes really are a JPEG, PNG or WebP image within the size limit, and stores them under
 * DATA_DIR by content hash (the same image twice is one file); `GET /files/uploads/<name>` serves
 * them back. In the cloud the Mini Program uploads to its staging folder and `merchant`
 * `image.publish` applies the same check (server/engine/ads/images.ts) before publishing.
 * Uploads are not tied to the uploader: content-addressed files hold no personal data.
 */
import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { UploadedImage } from '../../typings';
import type { Deps } from '../runtime/function';
import {
  AD_IMAGE_MAX_BYTES,
  AD_IMAGE_PROBLEM_ZH,
  checkAdImage,
  imageKind,
} from '../engine/ads/images';
import { fail } from './http-errors';

/** Largest image accepted, bytes: the one limit of every ad image (server/engine/ads/images.ts). */
export const UPLOAD_MAX_BYTES = AD_IMAGE_MAX_BYTES;
/** Room for the multipart envelope around the file. */
const ENVELOPE_BYTES = 16 * 1024;
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;
const NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/;
const MIME: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export { imageKind };

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
        const checked = checkAdImage(file);
        if (!checked.ok)
          return checked.problem === 'TOO_LARGE'
            ? tooLarge(reply)
            : fail(reply, 'INVALID_INPUT', AD_IMAGE_PROBLEM_ZH[checked.problem]);
        const name = `${createHash('sha256').update(file).digest('hex')}.${checked.kind}`;
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
  return fail(reply, 'PAYLOAD_TOO_LARGE', AD_IMAGE_PROBLEM_ZH.TOO_LARGE);
}
