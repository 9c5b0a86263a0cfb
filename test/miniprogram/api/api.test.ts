/** The API client over a fake wx: envelope unwrapping, error codes, and the local-only identity header. */
import type { RecommendResponse } from '../../../typings';
import { clientFor, createApiClient, setCallObserver } from '../../../miniprogram/services/api';
import { CLOUD_BACKEND as cloud, LOCAL_BACKEND as local } from './backends';
import { createFakeWx } from './fake-wx';
import { rejection } from '../helpers/rejection';

const slate: RecommendResponse = {
  slateId: 's1',
  cursor: 'c2',
  cards: [
    {
      kind: 'content',
      position: 0,
      item: {
        id: 'i1',
        title: '标题',
        summary: '',
        category: '美食',
        tags: [],
        cover: '',
        publishedAt: 1,
      },
    },
  ],
};

describe('local mode', () => {
  it('POSTs JSON to /api/<name> with the dev openid and returns the envelope data', async () => {
    const f = createFakeWx();
    f.answerRequest({ statusCode: 200, data: { ok: true, data: slate } });
    const res = await clientFor(local, f.wx).call('recommend', { limit: 5 });
    expect(res).toEqual(slate);
    expect(f.requests).toHaveLength(1);
    const [req] = f.requests;
    expect(req.url).toBe('http://127.0.0.1:3000/api/recommend');
    expect(req.method).toBe('POST');
    expect(req.data).toEqual({ limit: 5 });
    expect(req.header['content-type']).toBe('application/json');
    expect(req.header['x-openid']).toMatch(/^dev_[a-z0-9]{16}$/);
    expect(f.cloudCalls).toEqual([]);
  });

  it('keeps one dev openid per device across clients (app restarts)', async () => {
    const first = createFakeWx();
    first.answerRequest({ statusCode: 200, data: { ok: true, data: slate } });
    await clientFor(local, first.wx).call('recommend', {});
    const again = createFakeWx(first.store);
    again.answerRequest({ statusCode: 200, data: { ok: true, data: slate } });
    await clientFor(local, again.wx).call('recommend', {});
    expect(again.requests[0].header['x-openid']).toBe(first.requests[0].header['x-openid']);

    const otherDevice = createFakeWx();
    otherDevice.answerRequest({ statusCode: 200, data: { ok: true, data: slate } });
    await clientFor(local, otherDevice.wx).call('recommend', {});
    expect(otherDevice.requests[0].header['x-openid']).not.toBe(
      first.requests[0].header['x-openid'],
    );
  });

  it('throws the server code and message from an error envelope, whatever the HTTP status', async () => {
    const f = createFakeWx();
    f.answerRequest({
      statusCode: 400,
      data: { ok: false, code: 'INVALID_INPUT', message: 'limit: 太大了' },
    });
    const err = await rejection(clientFor(local, f.wx).call('recommend', { limit: 999 }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('limit: 太大了');
  });

  it('turns a failed request into NETWORK', async () => {
    const f = createFakeWx();
    f.answerRequest({ fail: 'request:fail timeout' });
    const err = await rejection(clientFor(local, f.wx).call('recommend', {}));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain('request:fail timeout');
  });

  it('turns a non-envelope answer (e.g. a proxy error page) into BAD_RESPONSE', async () => {
    const f = createFakeWx();
    f.answerRequest({ statusCode: 502, data: '<html>Bad Gateway</html>' });
    expect((await rejection(clientFor(local, f.wx).call('recommend', {}))).code).toBe(
      'BAD_RESPONSE',
    );
  });
});

describe('cloud mode', () => {
  it('initialises wx.cloud with the env and calls the function with the request as data, no identity header', async () => {
    const f = createFakeWx();
    f.answerCloud({ result: { ok: true, data: slate } });
    const res = await clientFor(cloud, f.wx).call('recommend', { channel: '美食' });
    expect(res).toEqual(slate);
    expect(f.cloudInit).toEqual([{ env: 'prod-1a2b', traceUser: true }]);
    expect(f.cloudCalls).toEqual([{ name: 'recommend', data: { channel: '美食' } }]);
    expect(f.requests).toEqual([]);
    // Identity comes from the WeChat context in the cloud: nothing is minted or stored.
    expect(f.store.size).toBe(0);
  });

  it('throws the error envelope from the function result', async () => {
    const f = createFakeWx();
    f.answerCloud({ result: { ok: false, code: 'RATE_LIMITED', message: '操作太频繁' } });
    const err = await rejection(
      clientFor(cloud, f.wx).call('track', { schemaVersion: 1, events: [] }),
    );
    expect([err.code, err.message]).toEqual(['RATE_LIMITED', '操作太频繁']);
  });

  it('turns a rejected callFunction into NETWORK and an empty result into BAD_RESPONSE', async () => {
    const f = createFakeWx();
    f.answerCloud(Object.assign(new Error('x'), { errMsg: 'cloud.callFunction:fail -501000' }), {
      result: undefined,
    });
    const client = clientFor(cloud, f.wx);
    const net = await rejection(client.call('recommend', {}));
    expect(net.code).toBe('NETWORK');
    expect(net.message).toContain('-501000');
    expect((await rejection(client.call('recommend', {}))).code).toBe('BAD_RESPONSE');
  });
});

describe('createApiClient', () => {
  it.each([
    [{ ok: true }, 'BAD_RESPONSE'], // ok without data
    [{ ok: false, message: 'no code' }, 'BAD_RESPONSE'],
    [null, 'BAD_RESPONSE'],
    [{ ok: false, code: 'UNAVAILABLE', message: '' }, 'UNAVAILABLE'],
  ])('rejects %j with %s', async (raw, code) => {
    const client = createApiClient({ send: async () => raw });
    const err = await rejection(client.call('recommend', {}));
    expect(err.code).toBe(code);
    expect(err.message).not.toBe('');
  });
});

describe('client-seen call latency (issue 18: api_call)', () => {
  afterEach(() => setCallObserver(null));

  it('is observed for wx.cloud.callFunction and for the local wx.request alike, failures included', async () => {
    const seen: Array<[string, boolean]> = [];
    setCallObserver((fn, _ms, ok) => void seen.push([fn, ok]));
    const f = createFakeWx();
    f.answerCloud({ result: { ok: true, data: slate } });
    await clientFor(cloud, f.wx).call('recommend', {});
    f.answerRequest(
      { statusCode: 200, data: { ok: true, data: slate } },
      { fail: 'request:fail timeout' },
    );
    const viaRequest = clientFor(local, f.wx);
    await viaRequest.call('recommend', {});
    await rejection(viaRequest.call('content', { action: 'item.get', itemId: 'i1' }));
    expect(seen).toEqual([
      ['recommend', true],
      ['recommend', true],
      ['content', false],
    ]);
  });

  it('measures from the call to the answer as the client saw it', async () => {
    jest.useFakeTimers();
    try {
      const seen: number[] = [];
      setCallObserver((_fn, ms) => void seen.push(ms));
      const slow = createApiClient({
        send: () => new Promise((r) => setTimeout(() => r({ ok: true, data: slate }), 120)),
      });
      const call = slow.call('recommend', {});
      await jest.advanceTimersByTimeAsync(120);
      await call;
      expect(seen).toEqual([120]);
    } finally {
      jest.useRealTimers();
    }
  });
});
