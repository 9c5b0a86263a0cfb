/**
 * What a comment may say, checked on the server whatever the client checked: trimmed, not
 * empty, at most MAX_COMMENT_CHARS UTF-16 units (as the Mini Program counts), no control or
 * direction-override characters (they hide or reorder text). What the text says is WeChat's
 * content-safety check's to judge (moderation.ts: security.msgSecCheck, or the local stand-in).
 */
import { AppError } from '../errors';
import { MAX_COMMENT_CHARS } from '../events/schema';

export { MAX_COMMENT_CHARS };
export const MAX_COMMENT_LINES = 20;

// C0 and C1 controls except line feed and tab; bidi marks, embeddings, overrides and isolates; zero-width space and word joiners (not ZWJ/ZWNJ, which emoji and scripts need).
const FORBIDDEN_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/;

/** Whether the text holds a control or direction-override character (the same rule for every text users write). */
export const hasForbiddenChars = (text: string): boolean => FORBIDDEN_CHARS.test(text);

const rejected = (message: string): AppError => new AppError('COMMENT_REJECTED', message);

/** The text to store, normalised (trimmed, CRLF → LF); throws COMMENT_REJECTED saying what to change. */
export function checkCommentText(raw: string): string {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (text.length === 0) throw rejected('评论不能为空');
  if (text.length > MAX_COMMENT_CHARS)
    throw rejected(`评论最多 ${MAX_COMMENT_CHARS} 字，当前 ${text.length} 字`);
  if (FORBIDDEN_CHARS.test(text)) throw rejected('评论含有不可见的控制字符，请删除后重试');
  if (text.split('\n').length > MAX_COMMENT_LINES)
    throw rejected(`评论最多 ${MAX_COMMENT_LINES} 行`);
  return text;
}
