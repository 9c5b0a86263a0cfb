/** What the asker said of the answers (有用 / 没用 / 转人工): recorded once per ask, learned from at the scope's next index rebuild. */
import type { SupportVerdictInput } from '../../typings';
import { AppError, notFound } from '../errors';
import type { FunctionContext } from '../runtime/function';

export async function feedback(
  ctx: Pick<FunctionContext, 'stores'>,
  askId: string,
  verdict: SupportVerdictInput,
  faqId: string | undefined,
): Promise<void> {
  const ask = await ctx.stores.asks.get(askId);
  if (!ask) throw notFound('没有找到这个提问，请重新提问');
  if (faqId !== undefined && !ask.shown.includes(faqId))
    throw new AppError('INVALID_INPUT', '只能评价这次提问给出的答案', [
      { path: 'faqId', message: '不是这次提问给出的答案' },
    ]);
  if (!(await ctx.stores.asks.setVerdict(askId, verdict, faqId ?? null)))
    throw new AppError('CONFLICT', '这次提问已经评价过了，谢谢');
}
