/** Comment text rules checked before posting, the same as the `content` function's length and emptiness rules (it also refuses control characters and a few blocked phrases). */

/** Mirrors MAX_COMMENT_CHARS of server/functions/content/comment-rules.ts (the Mini Program cannot import it). */
export const MAX_COMMENT_CHARS = 500;

/** The text to send, or a message to show the person (Chinese, fit for the field's error line). */
export function checkComment(
  raw: string,
): { ok: true; text: string } | { ok: false; message: string } {
  const text = raw.trim();
  if (!text) return { ok: false, message: '评论不能为空' };
  // String length counts UTF-16 units, as zod's max() on the server does: an emoji counts as 2.
  if (text.length > MAX_COMMENT_CHARS)
    return { ok: false, message: `评论最多 ${MAX_COMMENT_CHARS} 字，当前 ${text.length} 字` };
  return { ok: true, text };
}
