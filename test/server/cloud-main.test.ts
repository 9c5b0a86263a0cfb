/** cloudMain: the deployed entry over the real wx-server-sdk (in-memory transport) and a WeChat context from env. */
import type * as WxServerSdk from 'wx-server-sdk';
import { z } from 'zod';
import { AppError } from '../../server/errors';
import { cloudMain, resetCloudMainForTests } from '../../server/runtime/cloud-main';
import { defineFunction, type FunctionDef } from '../../server/runtime/function';
import { TEST_BLOB_KEY } from '../helpers/blob-key';
import { installCloudTransport } from '../helpers/cloud-transport';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require('wx-server-sdk') as typeof WxServerSdk;

/** A trivial function: counts the caller's calls in the cloud counters and echoes who called. */
function probe(over: Partial<FunctionDef<'recommend'>> = {}): FunctionDef<'recommend'> {
  return defineFunction({
    name: 'recommend',
    input: z
      .object({
        channel: z.string().optional(),
        cursor: z.string().optional(),
        limit: z.number().optional(),
        scene: z.number().optional(),
      })
      .strict(),
    async handle(input, ctx) {
      if (input.channel === 'app-error') throw new AppError('FORBIDDEN', '不可以');
      if (input.channel === 'crash') throw new Error('secret internal detail');
      const [n] = await ctx.stores.counters.add([
        { scope: 'calls', id: ctx.openid || 'timer', bucket: 'all', field: 'n', by: 1 },
      ]);
      return { slateId: `${ctx.openid}#${n}`, cards: [], cursor: input.channel ?? null };
    },
    ...over,
  });
}

const saved = { ...process.env };
function setContext(ctx: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('WX_')) delete process.env[k];
  for (const [k, v] of Object.entries(ctx)) process.env[`WX_${k}`] = v;
  process.env.WX_CONTEXT_KEYS = Object.keys(ctx)
    .map((k) => `WX_${k}`)
    .join(',');
}

beforeEach(() => {
  transport.reset();
  resetCloudMainForTests();
  process.env = { ...saved, CLOUD_ENV: 'test-env', BLOB_ENCRYPTION_KEY: TEST_BLOB_KEY };
  setContext({ OPENID: 'oUser_1', APPID: 'wx0123456789abcdef' });
});
afterAll(() => {
  process.env = saved;
  transport.restore();
});

describe('cloudMain', () => {
  it('takes identity from the WeChat context, never from the payload, and strips userInfo', async () => {
    const main = cloudMain(probe());
    const res = await main(
      { channel: 'c', userInfo: { openId: 'oAttacker', appId: 'wx0123456789abcdef' } },
      {},
    );
    expect(res).toEqual({ ok: true, data: { slateId: 'oUser_1#1', cards: [], cursor: 'c' } });
    expect(await main({ openid: 'oAttacker' }, {})).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    // The counter landed in the cloud database, keyed by the context's user.
    expect(transport.db.dump('counters')).toEqual([
      expect.objectContaining({ id: 'oUser_1', f: { n: 1 } }),
    ]);
  });

  it('initialises the SDK and opens the stores once per warm instance', async () => {
    const init = jest.spyOn(sdk, 'init');
    try {
      const main = cloudMain(probe());
      const a = await main({}, {});
      const b = await main({}, {});
      expect([a, b]).toEqual([
        { ok: true, data: expect.objectContaining({ slateId: 'oUser_1#1' }) },
        { ok: true, data: expect.objectContaining({ slateId: 'oUser_1#2' }) },
      ]);
      expect(init).toHaveBeenCalledTimes(1);
      expect(init).toHaveBeenCalledWith({ env: 'test-env' });
    } finally {
      init.mockRestore();
    }
  });

  it('answers UNAUTHENTICATED when the context has no OPENID', async () => {
    setContext({ APPID: 'wx0123456789abcdef' });
    expect(await cloudMain(probe())({ channel: 'c' }, {})).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
    expect(transport.db.dump('counters')).toEqual([]);
  });

  it('lets a timer trigger through to anonymous functions only', async () => {
    setContext({ SOURCE: 'wx_trigger' });
    const timer = {
      Type: 'Timer',
      TriggerName: 'recommendTimer',
      Time: '2026-11-28T02:00:00Z',
      Message: '',
    };
    expect(await cloudMain(probe({ anonymous: true }))(timer, {})).toEqual({
      ok: true,
      data: { slateId: '#1', cards: [], cursor: null },
    });
    expect(await cloudMain(probe())(timer, {})).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
  });

  it.each([
    ['another function (scf)', { SOURCE: 'scf' }, 'timer'],
    ['a Mini Program call passed on by a function', { SOURCE: 'wx_client,scf' }, 'timer'],
    ['the HTTP API', { SOURCE: 'wx_http' }, 'timer'],
    ['no source at all', {}, 'timer'],
    ['the timer source with a plain payload', { SOURCE: 'wx_trigger' }, 'plain'],
    ['the timer source naming another trigger', { SOURCE: 'wx_trigger' }, 'other'],
  ])(
    'refuses an anonymous call from %s with FORBIDDEN, running nothing',
    async (_what, ctx, kind) => {
      setContext(ctx as Record<string, string>);
      const event =
        kind === 'plain'
          ? {}
          : { Type: 'Timer', TriggerName: kind === 'timer' ? 'recommendTimer' : 'trainTimer' };
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        expect(await cloudMain(probe({ anonymous: true }))(event, {})).toMatchObject({
          ok: false,
          code: 'FORBIDDEN',
        });
      } finally {
        errors.mockRestore();
      }
      expect(transport.db.dump('counters')).toEqual([]);
    },
  );

  it('validates a user call that looks like a timer event as a normal payload', async () => {
    const res = await cloudMain(probe({ anonymous: true }))(
      { Type: 'Timer', TriggerName: 'x' },
      {},
    );
    expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('maps failures to { ok: false, code, message } without internals', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const main = cloudMain(probe());
      expect(await main({ channel: 'app-error' }, {})).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: '不可以',
      });
      const crash = await main({ channel: 'crash' }, {});
      expect(crash).toEqual({ ok: false, code: 'INTERNAL', message: expect.any(String) });
      expect(JSON.stringify(crash)).not.toMatch(/secret internal detail|at /);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('secret internal detail'));
      expect(await main('not an object', {})).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(await main({ limit: 'ten' }, {})).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    } finally {
      errors.mockRestore();
    }
  });

  it('answers UNAVAILABLE when the instance cannot start (bad configuration)', async () => {
    process.env.PORT = 'not-a-port';
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await cloudMain(probe())({}, {})).toEqual({
        ok: false,
        code: 'UNAVAILABLE',
        message: expect.any(String),
      });
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('invalid configuration'));
    } finally {
      errors.mockRestore();
    }
  });

  it('refuses to start without a blob encryption key (blobs would land in the shared bucket in plaintext), and names the fix', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const bad of [undefined, 'too-short', Buffer.alloc(16).toString('base64')]) {
        resetCloudMainForTests();
        if (bad === undefined) delete process.env.BLOB_ENCRYPTION_KEY;
        else process.env.BLOB_ENCRYPTION_KEY = bad;
        expect(await cloudMain(probe())({}, {})).toEqual({
          ok: false,
          code: 'UNAVAILABLE',
          message: expect.any(String),
        });
        expect(errors).toHaveBeenLastCalledWith(expect.stringContaining('BLOB_ENCRYPTION_KEY'));
      }
      expect(transport.db.collectionNames()).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it('answers WeChat "success" for a message-push handler, sending its reply through the open API and logging the envelope', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const csmessage = require('../../server/functions/csmessage')
      .default as FunctionDef<'csmessage'>;
    const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const main = cloudMain(csmessage, sdk);
      const event = {
        ToUserName: 'gh_app',
        FromUserName: 'oUser_1',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'event',
        Event: 'user_enter_tempsession',
        SessionFrom: 'item:i1',
      };
      expect(await main(event, {})).toBe('success');
      expect(transport.openapi).toEqual([
        {
          api: 'customerServiceMessage.send',
          data: {
            touser: 'oUser_1',
            msgtype: 'text',
            text: { content: expect.stringContaining('智能客服') },
          },
        },
      ]);
      expect(logs).toHaveBeenCalledWith(expect.stringContaining('"replied":"welcome"'));
      // Another user's message pushed under this identity is refused, and still answered "success".
      expect(await main({ ...event, FromUserName: 'oOther' }, {})).toBe('success');
      expect(transport.openapi).toHaveLength(1);
    } finally {
      logs.mockRestore();
    }
  });
});
