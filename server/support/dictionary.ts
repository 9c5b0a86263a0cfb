/**
 * The FAQ's words: the platform's built-in dictionary, and each scope's own dictionary words and
 * synonym groups that its editors keep (dictionary.get / dictionary.save), validated here.
 */
import type { FaqDictionaryInput, FaqDictionaryView } from '../../typings';
import { MAX_DICTIONARY_WORD } from '../engine/text/analyzer';
import { AppError } from '../errors';
import type { FaqDictionary } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { editorScope } from './faq-admin';

/** Words the FAQ analyzer keeps whole in every scene (product names jieba's dictionary splits); a merchant's own words add to them. */
export const FINANCE_DICTIONARY: readonly string[] = [
  '花呗',
  '借呗',
  '蚂蚁花呗',
  '蚂蚁借呗',
  '网商贷',
  '余额宝',
  '支付宝',
  '芝麻信用',
  '芝麻分',
];

/** Dictionary words a scope may add, and synonym groups (each of 2–10 words). */
export const MAX_DICTIONARY_WORDS = 200;
export const MAX_SYNONYM_GROUPS = 100;
export const MAX_SYNONYM_GROUP = 10;

/** The scope's own words as the text engine takes them (none before a first save). */
export interface Lexicon {
  words: readonly string[];
  synonyms: readonly (readonly string[])[];
}
export const NO_LEXICON: Lexicon = { words: [], synonyms: [] };

const invalid = (path: string, message: string): AppError =>
  new AppError('INVALID_INPUT', message, [{ path, message }]);

// Letters, digits and the few joiners a product name carries (花呗, iPhone 15, B-2); nothing else.
const WORD = /^[\p{L}\p{N}][\p{L}\p{N}·\-+ ]*[\p{L}\p{N}]$/u;

/** One word cleaned (spaces collapsed, trimmed) and checked: 2–16 characters of letters and digits. */
function cleanWord(raw: string, path: string): string {
  const w = raw.replace(/\s+/g, ' ').trim();
  const n = Array.from(w).length;
  if (n < 2 || n > MAX_DICTIONARY_WORD)
    throw invalid(path, `词语需为 2–${MAX_DICTIONARY_WORD} 个字：「${w.slice(0, 20)}」`);
  if (!WORD.test(w)) throw invalid(path, `词语只能包含文字和数字：「${w.slice(0, 20)}」`);
  return w;
}

/** The input's words and groups cleaned and checked; INVALID_INPUT names the first problem's path. */
export function cleanLexicon(input: Pick<FaqDictionaryInput, 'words' | 'synonyms'>): Lexicon {
  const words = [...new Set(input.words.map((w, i) => cleanWord(w, `dictionary.words.${i}`)))];
  if (words.length > MAX_DICTIONARY_WORDS)
    throw invalid('dictionary.words', `词典最多 ${MAX_DICTIONARY_WORDS} 个词`);
  if (input.synonyms.length > MAX_SYNONYM_GROUPS)
    throw invalid('dictionary.synonyms', `同义词最多 ${MAX_SYNONYM_GROUPS} 组`);
  const seen = new Map<string, number>();
  const synonyms = input.synonyms.map((group, g) => {
    const ws = [...new Set(group.map((w, i) => cleanWord(w, `dictionary.synonyms.${g}.${i}`)))];
    if (ws.length < 2 || ws.length > MAX_SYNONYM_GROUP)
      throw invalid(`dictionary.synonyms.${g}`, `每组同义词需 2–${MAX_SYNONYM_GROUP} 个不同的词`);
    for (const w of ws) {
      const other = seen.get(w);
      if (other !== undefined)
        throw invalid(
          `dictionary.synonyms.${g}`,
          `「${w}」已在第 ${other + 1} 组同义词中，一个词只能属于一组`,
        );
      seen.set(w, g);
    }
    return ws;
  });
  return { words, synonyms };
}

const viewOf = (d: FaqDictionary | null): FaqDictionaryView => ({
  words: d?.words ?? [],
  synonyms: d?.synonyms ?? [],
  revision: d?.revision ?? 0,
  updatedAt: d?.updatedAt ?? null,
});

type Ctx = Pick<FunctionContext, 'openid' | 'stores' | 'config' | 'now'>;

/** The editor's scope's dictionary (a merchant's owner or staff, or a platform admin for the platform's). */
export async function getDictionary(ctx: Ctx): Promise<FaqDictionaryView> {
  return viewOf(await ctx.stores.faq.dictionary(await editorScope(ctx)));
}

/** Replaces the scope's dictionary whole if nobody saved since `revision` was loaded. */
export async function saveDictionary(
  ctx: Ctx,
  input: FaqDictionaryInput,
): Promise<FaqDictionaryView> {
  const scope = await editorScope(ctx);
  const lexicon = cleanLexicon(input);
  const d: FaqDictionary = {
    scope,
    words: [...lexicon.words],
    synonyms: lexicon.synonyms.map((g) => [...g]),
    revision: input.revision + 1,
    updatedAt: ctx.now(),
  };
  if (!(await ctx.stores.faq.saveDictionary(d, input.revision)))
    throw new AppError('CONFLICT', '词典刚被其他人修改过，请刷新后再修改');
  return viewOf(d);
}
