/** The local host's HTTP mapping (fastify inject, no socket): envelope, status codes, identity, limits. */
import { z } from 'zod';
import type { RecommendRequest, TrackRequest } from '../../../typings';
import { loadConfig } from '../../../server/config';
import { forbidden, rateLimited, unavailable } from '../../../server/errors';
import type { Stores } from '../../../server/ports';
import { defineFunction, type Logger } from '../../../server/runtime/function';
import { createHost } from '../../../server/host/server';

const calls: { fn: string; openid: string; input: unknown }[] = [];

const recommend = defineFunction({
  name: 'recommend',
  input: z
    .object({ limit: z.number().int().min(1).max(50).optional(), channel: z.string().optional() })
    .strict() as z.ZodType<RecommendRequest>,
  async handle(input, ctx) {
    calls.push({ fn: 'recommend', openid: ctx.openid, input });
    return {
      slateId: `slate-for-${ctx.openid}`,
      cards: [],
      cursor: input.limit ? String(input.limit) : null,
    };
  },
});

// Stands in for a function whose use case fails in each of the ways the host must map.
const track = defineFunction({
  name: 'track',
  input: z
    .object({ fail: z.enum(['crash', 'forbidden', 'rate', 'unavailable']) })
    .strict() as unknown as z.ZodType<TrackRequest>,
  async handle(input) {
    const how = (input as unknown as { fail: string }).fail;
    if (how === 'forbidden') throw forbidden('不能这样做');
    if (how === 'rate') throw rateLimited('太快了');
    if (how === 'unavailable') throw unavailable();
    throw new Error('secret internals at /srv/db.ts:42');
  },
});

const errors: string[] = [];
const log: Logger = {
  info: () => undefined,
  error: (msg, fields) => void errors.push(`${msg} ${JSON.stringify(fields)}`),
};
const config = loadConfig({}, { dataDir: '/nonexistent' });
const app = createHost({
  deps: { config, log, now: () => 0, stores: {} as Stores },
  functions: { recommend, track },
  name: 'wechat-recsys',
  version: '9.9.9',
});

const post = (
  fn: string,
  payload: string | object | undefined,
  headers: Record<string, string> = { 'x-openid': 'user_1' },
) =>
  app.inject({
    method: 'POST',
    url: `/api/${fn}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'object' ? JSON.stringify(payload) : payload,
  });

beforeEach(() => {
  calls.length = 0;
  errors.length = 0;
});
afterAll(() => app.close());

describe('local host HTTP mapping', () => {
  it('answers GET / with its name, version and functions', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ok: true,
      data: { name: 'wechat-recsys', version: '9.9.9', functions: ['recommend', 'track'] },
    });
  });

  it('runs a function with the caller from x-openid and answers { ok, data }', async () => {
    const res = await post('recommend', { limit: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({
      ok: true,
      data: { slateId: 'slate-for-user_1', cards: [], cursor: '3' },
    });
    expect(calls).toEqual([{ fn: 'recommend', openid: 'user_1', input: { limit: 3 } }]);
  });

  it('reads the body as JSON whatever the content type says', async () => {
    const res = await post('recommend', '{"limit":2}', {
      'x-openid': 'u2',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.json()).toEqual({
      ok: true,
      data: { slateId: 'slate-for-u2', cards: [], cursor: '2' },
    });
  });

  it.each([
    ['no x-openid header', {}],
    ['an x-openid with odd characters', { 'x-openid': 'a b/c' }],
  ])('answers UNAUTHENTICATED (401) for %s', async (_what, headers) => {
    const res = await post('recommend', {}, headers as Record<string, string>);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(calls).toHaveLength(0);
  });

  it.each(['nope', 'constructor', '__proto__', 'toString'])(
    'answers UNKNOWN_FUNCTION (404) for /api/%s',
    async (fn) => {
      const res = await post(fn, {});
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ ok: false, code: 'UNKNOWN_FUNCTION' });
    },
  );

  it.each([
    ['malformed JSON', '{"limit": 3'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"hi"'],
    ['JSON null', 'null'],
    ['an empty body', ''],
    ['a __proto__ key', '{"__proto__": {"polluted": true}}'],
  ])('answers BAD_REQUEST (400) for %s', async (_what, body) => {
    const res = await post('recommend', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(calls).toHaveLength(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers PAYLOAD_TOO_LARGE (413) for a body over the limit, and accepts one just under it', async () => {
    const big = JSON.stringify({ channel: 'x'.repeat(config.maxBodyBytes) });
    const res = await post('recommend', big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
    expect(calls).toHaveLength(0);

    const fits = JSON.stringify({ channel: 'x'.repeat(config.maxBodyBytes - 100) });
    expect((await post('recommend', fits)).statusCode).toBe(200);
  });

  it.each([
    ['a field of the wrong type', { limit: 'ten' }],
    ['an unknown field', { limit: 3, admin: true }],
  ])('answers INVALID_INPUT (400) for %s', async (_what, body) => {
    const res = await post('recommend', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['forbidden', 403, 'FORBIDDEN'],
    ['rate', 429, 'RATE_LIMITED'],
    ['unavailable', 503, 'UNAVAILABLE'],
  ])('maps a use case failing with %s to HTTP %i %s', async (fail, status, code) => {
    const res = await post('track', { fail });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ ok: false, code });
  });

  it('answers INTERNAL (500) for an unexpected error, logs it, and leaks nothing', async () => {
    const res = await post('track', { fail: 'crash' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'ok']);
    expect(body.code).toBe('INTERNAL');
    expect(res.body).not.toMatch(/secret|\/srv|\.ts|at /);
    expect(errors.join('\n')).toMatch(/secret internals/);
  });

  it('answers NOT_FOUND (404) in the envelope for other routes and methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/recommend'],
      ['GET', '/nope'],
      ['PUT', '/api/recommend'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
  });
});
