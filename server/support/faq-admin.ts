/**
 * The FAQ editor's use cases: a merchant's owner or staff edit their merchant's FAQ (a platform
 * admin who is no member edits the platform's). Edits are compare-and-set on the revision the
 * editor loaded; a CSV import adds all its rows or none.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { FaqEntryInput, FaqEntryView } from '../../typings';
import { AppError, notFound } from '../errors';
import { resolveActor, requireMember } from '../merchant/access';
import { PLATFORM_SCOPE, type FaqEntry } from '../ports';
import type { FunctionContext } from '../runtime/function';
import {
  cleanText,
  MAX_ANSWER,
  MAX_CATEGORY,
  MAX_FAQ_ENTRIES,
  MAX_QUESTION,
  MAX_SIMILAR,
} from './limits';

type Ctx = Pick<FunctionContext, 'openid' | 'stores' | 'config' | 'now'>;

/** The scope the caller edits: their merchant's, or the platform's for a platform admin who is no member. */
export async function editorScope(ctx: Ctx): Promise<string> {
  const actor = await resolveActor(ctx);
  if (actor.admin && !actor.membership) return PLATFORM_SCOPE;
  return requireMember(actor).merchantId;
}

export const view = (e: FaqEntry): FaqEntryView => ({
  id: e.id,
  category: e.category,
  question: e.question,
  answer: e.answer,
  similar: e.similar,
  revision: e.revision,
  updatedAt: e.updatedAt,
});

const conflict = (): AppError =>
  new AppError('CONFLICT', '这条问答刚被其他人修改过，请刷新后再修改');
const tooMany = (): AppError =>
  new AppError('INVALID_INPUT', `每个商家最多 ${MAX_FAQ_ENTRIES} 条问答`, [
    { path: 'entry', message: `最多 ${MAX_FAQ_ENTRIES} 条` },
  ]);

/** The entry's fields cleaned and checked (paths name the field, `at` prefixes them for CSV lines). */
function cleanEntry(
  input: Omit<FaqEntryInput, 'id' | 'revision'>,
  at = 'entry',
): Pick<FaqEntry, 'category' | 'question' | 'answer' | 'similar'> {
  const question = cleanText(input.question, `${at}.question`, '问题', MAX_QUESTION);
  const similar = [
    ...new Set(
      input.similar
        .map((s, i) => cleanText(s, `${at}.similar.${i}`, '相似问法', MAX_QUESTION))
        .filter((s) => s !== question),
    ),
  ];
  if (similar.length > MAX_SIMILAR)
    throw new AppError('INVALID_INPUT', `相似问法最多 ${MAX_SIMILAR} 条`, [
      { path: `${at}.similar`, message: `最多 ${MAX_SIMILAR} 条` },
    ]);
  return {
    category: cleanText(input.category, `${at}.category`, '分类', MAX_CATEGORY),
    question,
    answer: cleanText(input.answer, `${at}.answer`, '答案', MAX_ANSWER),
    similar,
  };
}

export async function listFaq(ctx: Ctx): Promise<FaqEntryView[]> {
  return (await ctx.stores.faq.list(await editorScope(ctx))).map(view);
}

export async function saveFaq(ctx: Ctx, input: FaqEntryInput): Promise<FaqEntryView> {
  const scope = await editorScope(ctx);
  const fields = cleanEntry(input);
  const now = ctx.now();
  if (input.id === undefined) {
    if ((await ctx.stores.faq.list(scope)).length >= MAX_FAQ_ENTRIES) throw tooMany();
    const entry: FaqEntry = { id: randomUUID(), scope, ...fields, revision: 1, updatedAt: now };
    await ctx.stores.faq.create(entry);
    return view(entry);
  }
  const current = await ctx.stores.faq.get(input.id);
  if (!current || current.scope !== scope) throw notFound('没有找到这条问答');
  const loaded = input.revision ?? current.revision;
  if (loaded !== current.revision) throw conflict();
  const next: FaqEntry = { ...current, ...fields, revision: loaded + 1, updatedAt: now };
  if (!(await ctx.stores.faq.update(next, loaded))) throw conflict();
  return view(next);
}

export async function deleteFaq(ctx: Ctx, id: string): Promise<void> {
  if (!(await ctx.stores.faq.remove(await editorScope(ctx), id)))
    throw notFound('没有找到这条问答');
}

const COLUMNS: Record<string, 'category' | 'question' | 'answer' | 'similar'> = {
  分类: 'category',
  category: 'category',
  问题: 'question',
  question: 'question',
  答案: 'answer',
  answer: 'answer',
  相似问法: 'similar',
  similar: 'similar',
};

const csvError = (message: string): AppError =>
  new AppError('INVALID_INPUT', message, [{ path: 'csv', message }]);

/** Adds every row of the CSV as a new entry, or none when a row is bad. Returns how many were added. */
export async function importFaq(ctx: Ctx, csv: string): Promise<number> {
  const scope = await editorScope(ctx);
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    throw csvError(`CSV 格式有误：${(err as Error).message.slice(0, 120)}`);
  }
  if (records.length < 2) throw csvError('CSV 至少要有表头和一行问答');
  const header = records[0].map((h) => COLUMNS[h.trim().toLowerCase()] ?? null);
  for (const need of ['category', 'question', 'answer'] as const)
    if (!header.includes(need)) throw csvError('表头需要包含：分类、问题、答案（相似问法可选）');
  const existing = (await ctx.stores.faq.list(scope)).length;
  if (existing + records.length - 1 > MAX_FAQ_ENTRIES) throw tooMany();
  const now = ctx.now();
  const entries: FaqEntry[] = records.slice(1).map((cells, r) => {
    const get = (col: string): string => {
      const i = header.indexOf(col as never);
      return i >= 0 ? (cells[i] ?? '') : '';
    };
    const line = `csv.line${r + 2}`;
    try {
      const fields = cleanEntry(
        {
          category: get('category'),
          question: get('question'),
          answer: get('answer'),
          similar: get('similar')
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean),
        },
        line,
      );
      return { id: randomUUID(), scope, ...fields, revision: 1, updatedAt: now };
    } catch (err) {
      if (err instanceof AppError) throw csvError(`第 ${r + 2} 行：${err.message}`);
      throw err;
    }
  });
  for (const e of entries) await ctx.stores.faq.create(e);
  return entries.length;
}
