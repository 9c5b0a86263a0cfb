/**
 * `csmessage`: the message-push handler of 客服消息 (set in the cloud console: 设置 → 消息推送,
 * JSON, this function; see docs/customer-service.md). Identity only from the WeChat context;
 * the use case is server/support/message-push.ts. WeChat reads only "success" back.
 */
import { z } from 'zod';
import type { CsMessageRequest, CsMessageResponse } from '../../../typings';
import { defineFunction } from '../../runtime/function';
import { handlePush } from '../../support/message-push';

const s = (max: number) => z.string().max(max);

/** The documented fields of a customer-service push (JSON); anything else is refused. */
export const csMessageInput = z.strictObject({
  ToUserName: s(64),
  FromUserName: s(64),
  CreateTime: z.number().int().min(0),
  MsgType: z.enum(['text', 'image', 'miniprogrampage', 'event']),
  Content: s(4_000).optional(),
  MsgId: z.union([z.number().int(), s(64)]).optional(),
  PicUrl: s(1_024).optional(),
  MediaId: s(256).optional(),
  Title: s(256).optional(),
  AppId: s(64).optional(),
  PagePath: s(1_024).optional(),
  ThumbUrl: s(1_024).optional(),
  ThumbMediaId: s(256).optional(),
  Event: s(64).optional(),
  SessionFrom: s(1_024).optional(),
});

// Compile-time guard: the schema and the shared contract describe the same requests.
type Parsed = z.infer<typeof csMessageInput>;
const _same: [
  Parsed extends CsMessageRequest ? true : false,
  CsMessageRequest extends Parsed ? true : false,
] = [true, true];
void _same;

export default defineFunction({
  name: 'csmessage',
  input: csMessageInput,
  cloud: { timeoutSeconds: 10, openapi: ['customerServiceMessage.send'], platformReply: 'success' },
  async handle(req, ctx): Promise<CsMessageResponse> {
    return handlePush(ctx, req);
  },
});
