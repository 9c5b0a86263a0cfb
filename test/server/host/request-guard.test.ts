/**
 * The local host refuses what a web page could send it (issue 21): DNS rebinding (a foreign Host),
 * a cross-site POST (a foreign Origin, `text/plain` included), a sandboxed page (Origin: null),
 * and connections from another machine (peer address), before any function runs.
 */
import { z } from 'zod';
import type { TrainRequest } from '../../../typings';
import { loadConfig } from '../../../server/config';
import type { Stores } from '../../../server/ports';
import { defineFunction } from '../../../server/runtime/function';
import { createHost } from '../../../server/host/server';

const calls: string[] = [];
const train = defineFunction({
  name: 'train',
  input: z.strictObject({}) as unknown as z.ZodType<TrainRequest>,
  async handle(_input, ctx) {
    calls.push(ctx.openid);
    return {} as never;
  },
});

const hostFor = (allowRemote: boolean) =>
  createHost({
    deps: {
      config: loadConfig({}, { dataDir: '/nonexistent', allowRemote }),
      log: { info: () => undefined, error: () => undefined },
      now: () => 0,
      stores: {} as Stores,
    },
    functions: { train },
    name: 'wechat-recsys',
    version: '0',
  });
const app = hostFor(false);
const remote = hostFor(true);
afterAll(async () => {
  await app.close();
  await remote.close();
});
beforeEach(() => {
  calls.length = 0;
});

const post = (
  headers: Record<string, string>,
  remoteAddress = '127.0.0.1',
  on = app,
  url = '/api/train',
) =>
  on.inject({
    method: 'POST',
    url,
    remoteAddress,
    headers: { 'x-openid': 'admin_1', host: '127.0.0.1:3000', ...headers },
    payload: '{}',
  });

describe('local host request guard', () => {
  it.each([
    ['127.0.0.1:3000', {}],
    ['localhost:3000', {}],
    ['[::1]:3000', {}],
    ['127.0.0.1:3000', { origin: 'http://127.0.0.1:3000' }],
  ])('serves Host %s from this machine', async (host, extra) => {
    const res = await post({ host, ...extra });
    expect(res.statusCode).toBe(200);
    expect(calls).toEqual(['admin_1']);
  });

  it.each([
    ['a rebinding domain in Host', { host: 'attacker.example:3000' }, '127.0.0.1'],
    ['a LAN name in Host', { host: '192.168.1.20:3000' }, '127.0.0.1'],
    [
      'a foreign Origin (cross-site text/plain POST)',
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      '127.0.0.1',
    ],
    ['another local port as Origin', { origin: 'http://127.0.0.1:8080' }, '127.0.0.1'],
    ['Origin: null (sandboxed page)', { origin: 'null' }, '127.0.0.1'],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, '127.0.0.1'],
    ['a peer on another machine', {}, '10.0.0.7'],
  ])('refuses %s with FORBIDDEN, running nothing', async (_what, headers, peer) => {
    const res = await post(headers as Record<string, string>, peer);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('guards the upload and file routes too', async () => {
    const res = await post({ host: 'attacker.example' }, '127.0.0.1', app, '/upload/image');
    expect(res.statusCode).toBe(403);
  });

  it('with ALLOW_REMOTE, takes any Host and peer but still refuses a foreign Origin', async () => {
    expect((await post({ host: '192.168.1.20:3000' }, '10.0.0.7', remote)).statusCode).toBe(200);
    const res = await post(
      { host: '192.168.1.20:3000', origin: 'https://evil.example' },
      '10.0.0.7',
      remote,
    );
    expect(res.statusCode).toBe(403);
  });
});
