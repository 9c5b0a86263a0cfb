/** The merchant's customer-service report: what was asked, what was answered and whether it helped. */
import type { SupportReport } from '../../typings';
import type { FunctionContext } from '../runtime/function';
import { editorScope } from './faq-admin';

/** Asks read for a report (newest first); a busier scope's report covers its latest asks. */
const REPORT_LIMIT = 1000;
const TOP = 10;

/** Long digit runs (phone, card or order numbers someone typed) never reach the merchant. */
const maskDigits = (q: string): string => q.replace(/\d{4,}/g, '***');

export async function supportReport(
  ctx: Pick<FunctionContext, 'openid' | 'stores' | 'config' | 'now'>,
  days: number,
): Promise<SupportReport> {
  const scope = await editorScope(ctx);
  const asks = await ctx.stores.asks.recent(scope, ctx.now() - days * 86_400_000, REPORT_LIMIT);
  const entries = new Map((await ctx.stores.faq.list(scope)).map((e) => [e.id, e]));
  const top = new Map<string, { asks: number; helpful: number; unhelpful: number }>();
  const unanswered = new Map<string, number>();
  const r: SupportReport = {
    days,
    asks: asks.length,
    answered: 0,
    helpful: 0,
    unhelpful: 0,
    handoffs: 0,
    topQuestions: [],
    unanswered: [],
  };
  for (const a of asks) {
    if (!a.lowConfidence) r.answered++;
    if (a.verdict === 'helpful') r.helpful++;
    if (a.verdict === 'unhelpful' || a.verdict === 'rephrased') r.unhelpful++;
    if (a.verdict === 'handoff') r.handoffs++;
    if (a.lowConfidence || a.verdict === 'handoff')
      unanswered.set(a.question, (unanswered.get(a.question) ?? 0) + 1);
    const first = a.shown[0];
    if (first && !a.lowConfidence) {
      const t = top.get(first) ?? { asks: 0, helpful: 0, unhelpful: 0 };
      t.asks++;
      if (a.verdict === 'helpful') t.helpful++;
      if (a.verdict === 'unhelpful' || a.verdict === 'rephrased') t.unhelpful++;
      top.set(first, t);
    }
  }
  r.topQuestions = [...top]
    .filter(([id]) => entries.has(id))
    .sort((x, y) => y[1].asks - x[1].asks || (x[0] < y[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([faqId, t]) => ({ faqId, question: entries.get(faqId)!.question, ...t }));
  r.unanswered = [...unanswered]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([question, count]) => ({ question: maskDigits(question), count }));
  return r;
}
