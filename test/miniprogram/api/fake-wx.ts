/** A fake of the wx surface the API client uses: records each call and answers as the test says. */
import type { WxLike } from '../../../miniprogram/services/api';

export interface RecordedRequest {
  url: string;
  method?: string;
  data: unknown;
  header: Record<string, string>;
}

export type RequestAnswer = { statusCode: number; data: unknown } | { fail: string };

export interface FakeWx {
  wx: WxLike;
  requests: RecordedRequest[];
  cloudCalls: Array<{ name: string; data: unknown }>;
  cloudInit: unknown[];
  store: Map<string, unknown>;
  /** Next answers of wx.request, in order. */
  answerRequest(...answers: RequestAnswer[]): void;
  /** Next answers of wx.cloud.callFunction: a `result`, or an Error to reject with. */
  answerCloud(...answers: Array<{ result: unknown } | Error>): void;
}

export function createFakeWx(store = new Map<string, unknown>()): FakeWx {
  const requestAnswers: RequestAnswer[] = [];
  const cloudAnswers: Array<{ result: unknown } | Error> = [];
  const fake: Omit<FakeWx, 'wx'> = {
    requests: [],
    cloudCalls: [],
    cloudInit: [],
    store,
    answerRequest: (...a) => void requestAnswers.push(...a),
    answerCloud: (...a) => void cloudAnswers.push(...a),
  };
  const wxFake = {
    getStorageSync: (key: string) => (store.has(key) ? store.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void store.set(key, value),
    request(opts: WechatMiniprogram.RequestOption) {
      fake.requests.push({ url: opts.url, method: opts.method, data: opts.data, header: { ...(opts.header as Record<string, string>) } });
      const answer = requestAnswers.shift();
      if (!answer) throw new Error(`unexpected wx.request to ${opts.url}`);
      // wx calls back asynchronously.
      setTimeout(() => {
        if ('fail' in answer) opts.fail?.({ errMsg: answer.fail, errno: 600001 } as never);
        else opts.success?.({ statusCode: answer.statusCode, data: answer.data, header: {}, cookies: [], errMsg: 'request:ok' } as never);
      }, 0);
      return {} as WechatMiniprogram.RequestTask;
    },
    cloud: {
      init: (config: unknown) => void fake.cloudInit.push(config),
      async callFunction(param: { name: string; data?: unknown }) {
        fake.cloudCalls.push({ name: param.name, data: param.data });
        const answer = cloudAnswers.shift();
        if (!answer) throw new Error(`unexpected callFunction ${param.name}`);
        if (answer instanceof Error) throw answer;
        return { ...answer, errMsg: 'cloud.callFunction:ok' };
      },
    },
  };
  return { ...fake, wx: wxFake as unknown as WxLike };
}
