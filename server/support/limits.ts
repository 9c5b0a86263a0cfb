/** Limits of the customer-service scene, and the cleaning of what people type into it. */
import { AppError } from '../errors';

export const MAX_QUESTION = 200;
export const MAX_ANSWER = 1000;
export const MAX_CATEGORY = 20;
export const MAX_SIMILAR = 20;
/** Entries per scope: the FAQ is read whole into a warm instance's index. */
export const MAX_FAQ_ENTRIES = 500;
/** Answers offered per question. */
export const ANSWERS_SHOWN = 3;
/**
 * Below this confidence the best answer is not trusted and 转人工 is offered first: an answer
 * needs both signals of its score (re-ranker, coverage) to lean towards a match on average.
 */
export const CONFIDENT = 0.55;

// Control and format characters (C*): never meaningful in a question, and a way to smuggle text.
const CONTROL = /\p{C}+/gu;

const invalid = (path: string, message: string): AppError =>
  new AppError('INVALID_INPUT', message, [{ path, message }]);

/** The text with control characters replaced by a space, spaces collapsed and trimmed; INVALID_INPUT when empty or longer than max. */
export function cleanText(text: string, path: string, what: string, max: number): string {
  const t = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (!t) throw invalid(path, `请输入${what}`);
  if (Array.from(t).length > max) throw invalid(path, `${what}太长了，请精简到 ${max} 字以内`);
  return t;
}
