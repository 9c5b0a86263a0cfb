/** Invitation codes as people type and read them: 12 characters without 0/O/1/I/L, grouped by four. */

/** The server's alphabet (server/merchant/invitations.ts). */
const CODE = /^[2-9A-HJ-KM-NP-Z]{12}$/;

/** What the server does to a typed code: spaces and dashes out, upper case. */
export const normaliseCode = (typed: string): string => typed.replace(/[\s-]/g, '').toUpperCase();

/** The form's own check, worded like the server's; '' when the code can be sent. */
export function codeProblem(typed: string): string {
  const code = normaliseCode(typed);
  if (!code) return '请输入邀请码';
  return CODE.test(code) ? '' : '邀请码为 12 位字母或数字（不含 0、1、I、L、O）';
}

/** "ABCDEFGHJKMN" → "ABCD-EFGH-JKMN", easier to read aloud. */
export const groupCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1-');

/** The person-facing part of a server message ("请求参数有误：code: 邀请码格式不正确" → "邀请码格式不正确"). */
export function plainMessage(message: string): string {
  const m = /^请求参数有误：(?:[\w.]+: )?(.+)$/.exec(message);
  return m ? m[1] : message;
}
