/**
 * Customer-service messages through WeChat's open API (cloud.openapi.customerServiceMessage.send,
 * a cloud call that needs the function's config.json to list the API under permissions.openapi).
 */
import {
  CustomerServiceError,
  type CustomerServiceChannel,
  type OutgoingMessage,
} from '../../ports/customer-service';
import type { Cloud } from './sdk';

export interface SendResult {
  errCode?: number;
  errMsg?: string;
  result?: { errcode?: number; errmsg?: string };
  buffer?: Buffer | { type: 'Buffer'; data: number[] };
}

/** WeChat's own answer inside the SDK's result: { errcode, errmsg } as JSON bytes or an object. */
export function wechatAnswer(res: SendResult): { errcode: number; errmsg: string } {
  if (res.result && typeof res.result === 'object')
    return { errcode: res.result.errcode ?? 0, errmsg: res.result.errmsg ?? 'ok' };
  const raw = res.buffer;
  if (!raw) return { errcode: 0, errmsg: 'ok' };
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.data);
  try {
    const a = JSON.parse(bytes.toString('utf8')) as { errcode?: number; errmsg?: string };
    return { errcode: a.errcode ?? 0, errmsg: a.errmsg ?? 'ok' };
  } catch {
    return { errcode: 0, errmsg: 'ok' };
  }
}

export class CloudCustomerService implements CustomerServiceChannel {
  constructor(private readonly cloud: Cloud) {}

  async send(openid: string, message: OutgoingMessage): Promise<void> {
    const api = (this.cloud as unknown as { openapi: Record<string, Record<string, unknown>> })
      .openapi;
    const send = api.customerServiceMessage.send as (o: unknown) => Promise<SendResult>;
    let res: SendResult;
    try {
      res = await send({ touser: openid, msgtype: 'text', text: { content: message.text } });
    } catch (err) {
      const e = err as { errCode?: number; errMsg?: string };
      throw new CustomerServiceError(e.errCode ?? -1, e.errMsg ?? String(err));
    }
    const answer = wechatAnswer(res);
    if (answer.errcode !== 0) throw new CustomerServiceError(answer.errcode, answer.errmsg);
  }
}
