/**
 * 客服消息: WeChat pushes what a user writes to the Mini Program's customer service; a text
 * is asked of the FAQ like `ask` (the session's context from the contact button is not in a
 * text push) and the best answer is sent back through customerServiceMessage.send when it is
 * confident; otherwise the user is told a person will reply (the console's customer-service
 * staff see the session). WeChat accepts a reply within 48 hours of the user's message.
 */
import type { CsMessageRequest, CsMessageResponse } from '../../typings';
import { AppError, forbidden } from '../errors';
import { CustomerServiceError } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { ask } from './ask';
import { MAX_QUESTION } from './limits';

/** How long after a user's message WeChat accepts customer-service messages to them. */
export const REPLY_WINDOW_MS = 48 * 3600_000;

export const WELCOME = '你好，我是智能客服。请直接输入你的问题，例如「怎么申请退款」。';
export const HINT = '暂时只能识别文字，请用文字描述你的问题。';
export const HANDOFF =
  '暂时没有找到合适的答案，已为你转接人工客服，请稍候（服务时间 9:00–21:00）。';

const answerText = (question: string, answer: string): string =>
  `【${question}】\n${answer}\n\n回复其他问题可继续咨询。`;

type Ctx = Pick<FunctionContext, 'openid' | 'stores' | 'now' | 'log'>;

async function reply(
  ctx: Ctx,
  replied: CsMessageResponse['replied'],
  text: string,
  askId?: string,
): Promise<CsMessageResponse> {
  try {
    await ctx.stores.customerService.send(ctx.openid, { kind: 'text', text });
  } catch (err) {
    if (!(err instanceof CustomerServiceError)) throw err;
    // The window closed or the user blocked messages: nothing to retry; the push is still handled.
    ctx.log.info('customer-service message refused', { errcode: err.errcode });
    return { replied: 'none', ...(askId ? { askId } : {}) };
  }
  return { replied, text, ...(askId ? { askId } : {}) };
}

export async function handlePush(ctx: Ctx, msg: CsMessageRequest): Promise<CsMessageResponse> {
  if (msg.FromUserName !== ctx.openid) throw forbidden('消息的发送者与当前用户不一致');
  if (ctx.now() - msg.CreateTime * 1000 > REPLY_WINDOW_MS) return { replied: 'none' };
  if (msg.MsgType === 'event') {
    return msg.Event === 'user_enter_tempsession'
      ? reply(ctx, 'welcome', WELCOME)
      : { replied: 'none' };
  }
  if (msg.MsgType !== 'text') return reply(ctx, 'hint', HINT);
  // A long message is cut to the question limit rather than refused: the user gets an answer.
  const question = Array.from(msg.Content ?? '')
    .slice(0, MAX_QUESTION)
    .join('');
  let asked;
  try {
    asked = await ask(ctx, { question, context: 'kefu' });
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_INPUT') return reply(ctx, 'hint', HINT);
    throw err;
  }
  const best = asked.answers[0];
  if (!best || asked.lowConfidence) return reply(ctx, 'handoff', HANDOFF, asked.askId);
  return reply(ctx, 'answer', answerText(best.question, best.answer), asked.askId);
}
