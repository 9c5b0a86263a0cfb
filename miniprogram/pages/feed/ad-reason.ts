/** "为什么看到这条广告": the server's targeting reason as a sentence a person can read. */
import type { AdReason } from '../../../typings';

const LEADS: Record<AdReason['code'], string> = {
  interest: '这条广告与你的兴趣相符',
  context: '这条广告与你正在浏览的内容相关',
  demographic: '这条广告面向与你所填地区、性别或年龄段相符的人群',
  buyers: '这条广告面向近期较可能购买的人群，依据你经微信支付确认的订单',
  broad: '这条广告面向所有用户投放，并非根据你的个人信息',
};

/** The sentence for a reason; the server's own words (e.g. "你关注了「美食」") follow when present. */
export function adReasonText(reason: AdReason): string {
  const lead = LEADS[reason.code] ?? '这条广告由广告主投放';
  const detail = reason.text.trim();
  return detail ? `${lead}：${detail}。` : `${lead}。`;
}
