/**
 * WeChat's text check (security.msgSecCheck, version 2) simulated for places where WeChat
 * cannot be reached: the local host's stand-in (sqlite/local-content-safety.ts, LOCAL ONLY) and
 * the tests' cloud transport. It refuses what WeChat refuses (a version other than 2, a missing
 * openid, a scene outside 1–4, content empty or over 2,500 characters: errcode 47001) and answers
 * in WeChat's shape: errcode 0 with `result.suggest` pass or review, or errcode 87014 for risky
 * content. Its word lists are a placeholder for WeChat's models, not moderation. Never deployed.
 */

/** Lower-cased, spaces removed before matching, so "加 微 信" matches "加微信": risky (引流, 广告, 赌博). */
export const RISKY_PHRASES: readonly string[] = [
  '加微信',
  '加v信',
  '加vx',
  '加qq',
  '刷单',
  '代开发票',
  '赌博',
  '博彩',
];

/** Phrases a person should look at first (possible 引流 or 诈骗 that needs context). */
export const REVIEW_PHRASES: readonly string[] = ['私信我', '私聊我', '点击链接', '内部渠道'];

/** Longest content msgSecCheck takes, characters. */
export const MAX_CHECK_CHARS = 2500;

export interface MsgSecCheckAnswer {
  errcode: number;
  errmsg: string;
  result?: { suggest: 'pass' | 'review' | 'risky'; label: number };
  trace_id?: string;
}

/** WeChat's answer to a msgSecCheck request's data ({ content, version, scene, openid }). */
export function msgSecCheck(data: Record<string, unknown>): MsgSecCheckAnswer {
  const { content, version, scene, openid } = data;
  if (
    version !== 2 ||
    typeof openid !== 'string' ||
    openid === '' ||
    ![1, 2, 3, 4].includes(scene as number) ||
    typeof content !== 'string' ||
    content.length === 0 ||
    content.length > MAX_CHECK_CHARS
  )
    return { errcode: 47001, errmsg: 'data format error' };
  const folded = content.toLowerCase().replace(/\s+/g, '');
  if (RISKY_PHRASES.some((p) => folded.includes(p)))
    return { errcode: 87014, errmsg: 'risky content' };
  const review = REVIEW_PHRASES.some((p) => folded.includes(p));
  return {
    errcode: 0,
    errmsg: 'ok',
    // label 100 normal; 20001 时政 … 21000 其他 (WeChat's codes): the stand-in says 其他.
    result: { suggest: review ? 'review' : 'pass', label: review ? 21000 : 100 },
    trace_id: 'sim',
  };
}
