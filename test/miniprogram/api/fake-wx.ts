/** A fake of the wx surface the API client uses: records each call and answers as the test says. */
import type { WxLike } from '../../../miniprogram/services/api';
import type { UploadWxLike } from '../../../miniprogram/services/upload';

export interface RecordedRequest {
  url: string;
  method?: string;
  data: unknown;
  header: Record<string, string>;
}

export type RequestAnswer = { statusCode: number; data: unknown } | { fail: string };

export interface RecordedUpload {
  url: string;
  filePath: string;
  name: string;
  header: Record<string, string>;
}

/** wx.uploadFile answers with the body as text. */
export type UploadAnswer = { statusCode: number; data: string } | { fail: string };

export interface FakeWx {
  wx: WxLike & UploadWxLike;
  requests: RecordedRequest[];
  cloudCalls: Array<{ name: string; data: unknown }>;
  cloudInit: unknown[];
  store: Map<string, unknown>;
  /** Next answers of wx.request, in order. */
  answerRequest(...answers: RequestAnswer[]): void;
  /** Next answers of wx.cloud.callFunction: a `result`, or an Error to reject with. */
  answerCloud(...answers: Array<{ result: unknown } | Error>): void;
  uploads: RecordedUpload[];
  cloudUploads: Array<{ cloudPath: string; filePath: string }>;
  /** Next answers of wx.uploadFile, in order. */
  answerUpload(...answers: UploadAnswer[]): void;
  /** Next answers of wx.cloud.uploadFile: a fileID, or an Error to reject with. */
  answerCloudUpload(...answers: Array<{ fileID: string } | Error>): void;
}

export function createFakeWx(store = new Map<string, unknown>()): FakeWx {
  const requestAnswers: RequestAnswer[] = [];
  const cloudAnswers: Array<{ result: unknown } | Error> = [];
  const uploadAnswers: UploadAnswer[] = [];
  const cloudUploadAnswers: Array<{ fileID: string } | Error> = [];
  const fake: Omit<FakeWx, 'wx'> = {
    requests: [],
    cloudCalls: [],
    cloudInit: [],
    store,
    answerRequest: (...a) => void requestAnswers.push(...a),
    answerCloud: (...a) => void cloudAnswers.push(...a),
    uploads: [],
    cloudUploads: [],
    answerUpload: (...a) => void uploadAnswers.push(...a),
    answerCloudUpload: (...a) => void cloudUploadAnswers.push(...a),
  };
  const wxFake = {
    getStorageSync: (key: string) => (store.has(key) ? store.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void store.set(key, value),
    request(opts: WechatMiniprogram.RequestOption) {
      fake.requests.push({
        url: opts.url,
        method: opts.method,
        data: opts.data,
        header: { ...(opts.header as Record<string, string>) },
      });
      const answer = requestAnswers.shift();
      if (!answer) throw new Error(`unexpected wx.request to ${opts.url}`);
      // wx calls back asynchronously.
      setTimeout(() => {
        if ('fail' in answer) opts.fail?.({ errMsg: answer.fail, errno: 600001 } as never);
        else
          opts.success?.({
            statusCode: answer.statusCode,
            data: answer.data,
            header: {},
            cookies: [],
            errMsg: 'request:ok',
          } as never);
      }, 0);
      return {} as WechatMiniprogram.RequestTask;
    },
    uploadFile(opts: WechatMiniprogram.UploadFileOption) {
      fake.uploads.push({
        url: opts.url,
        filePath: opts.filePath,
        name: opts.name,
        header: { ...(opts.header as Record<string, string>) },
      });
      const answer = uploadAnswers.shift();
      if (!answer) throw new Error(`unexpected wx.uploadFile to ${opts.url}`);
      setTimeout(() => {
        if ('fail' in answer) opts.fail?.({ errMsg: answer.fail } as never);
        else
          opts.success?.({
            statusCode: answer.statusCode,
            data: answer.data,
            errMsg: 'uploadFile:ok',
          } as never);
      }, 0);
      return {} as WechatMiniprogram.UploadTask;
    },
    cloud: {
      init: (config: unknown) => void fake.cloudInit.push(config),
      async uploadFile(param: { cloudPath: string; filePath: string }) {
        fake.cloudUploads.push({ cloudPath: param.cloudPath, filePath: param.filePath });
        const answer = cloudUploadAnswers.shift();
        if (!answer) throw new Error(`unexpected cloud.uploadFile ${param.cloudPath}`);
        if (answer instanceof Error) throw answer;
        return { ...answer, statusCode: 200, errMsg: 'cloud.uploadFile:ok' };
      },
      async callFunction(param: { name: string; data?: unknown }) {
        fake.cloudCalls.push({ name: param.name, data: param.data });
        const answer = cloudAnswers.shift();
        if (!answer) throw new Error(`unexpected callFunction ${param.name}`);
        if (answer instanceof Error) throw answer;
        return { ...answer, errMsg: 'cloud.callFunction:ok' };
      },
    },
  };
  return { ...fake, wx: wxFake as unknown as WxLike & UploadWxLike };
}
