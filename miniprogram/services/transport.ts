/**
 * How a call reaches a function: the WeChat cloud or the local host. A transport returns the
 * function's raw answer (expected to be the { ok, ... } envelope); the API client checks it.
 */
import type { FunctionName } from '../../typings';
import { ApiError } from './api-error';

export interface Transport {
  send(name: FunctionName, data: object): Promise<unknown>;
}

/** The part of wx.cloud the transport uses: small enough to fake in tests. */
export interface CloudLike {
  callFunction(param: {
    name: string;
    data?: WechatMiniprogram.IAnyObject;
  }): Promise<{ result: unknown }>;
}

/** The part of wx the local transport uses. */
export type RequestLike = Pick<WechatMiniprogram.Wx, 'request'>;

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';

export function cloudTransport(cloud: CloudLike): Transport {
  return {
    async send(name, data) {
      try {
        const res = await cloud.callFunction({ name, data });
        return res.result;
      } catch (err) {
        // callFunction rejects only when the call did not complete (network, env, quota): the
        // function's own failures come back inside `result` as an envelope.
        throw new ApiError('NETWORK', `${NETWORK_MESSAGE}（${errMsg(err)}）`);
      }
    },
  };
}

export interface LocalTransportOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Dev identity for the local host; sent as x-openid (the local host trusts it, the cloud never sees it). */
  openid: () => string;
}

export function localTransport(wxApi: RequestLike, opts: LocalTransportOptions): Transport {
  const base = opts.baseUrl.replace(/\/+$/, '');
  return {
    send(name, data) {
      return new Promise((resolve, reject) => {
        wxApi.request({
          url: `${base}/api/${name}`,
          method: 'POST',
          data: data as WechatMiniprogram.IAnyObject,
          dataType: 'json',
          timeout: opts.timeoutMs,
          header: { 'content-type': 'application/json', 'x-openid': opts.openid() },
          // Error statuses still carry the envelope (e.g. 400 INVALID_INPUT): the client reads it.
          success: (res) => resolve(res.data),
          fail: (err) => reject(new ApiError('NETWORK', `${NETWORK_MESSAGE}（${err.errMsg}）`)),
        });
      });
    },
  };
}

function errMsg(err: unknown): string {
  if (err && typeof err === 'object' && 'errMsg' in err)
    return String((err as { errMsg: unknown }).errMsg);
  return err instanceof Error ? err.message : String(err);
}
