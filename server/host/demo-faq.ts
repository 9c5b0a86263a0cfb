/** The demo world's platform FAQ (智能客服): a few entries per scene, with similar phrasings, seeded once into an empty platform FAQ. */
import { createHash } from 'node:crypto';
import { PLATFORM_SCOPE, type FaqEntry, type Stores } from '../ports';

type Seed = [category: string, question: string, answer: string, similar: string[]];

const SEEDS: Seed[] = [
  [
    '账户与隐私',
    '怎么关闭个性化推荐',
    '在「我的 → 隐私设置」中关闭「个性化推荐」即可，关闭后首页按热度展示内容。',
    ['不想看个性化推荐', '如何关掉推荐', '推荐可以关闭吗'],
  ],
  [
    '账户与隐私',
    '如何导出我的个人数据',
    '在「我的 → 隐私设置 → 导出我的数据」中申请导出，完成后可以分页查看全部记录。',
    ['怎么下载我的数据', '我的数据能导出吗'],
  ],
  [
    '账户与隐私',
    '怎么注销账号并删除数据',
    '在「我的 → 隐私设置 → 删除我的数据」中提交申请，系统会删除你的全部记录和画像。',
    ['如何删除我的所有数据', '注销账户', '清除个人信息'],
  ],
  [
    '广告',
    '为什么会看到这条广告',
    '点击广告右上角的「广告」标签可以查看原因，也可以在「广告偏好」中调整或关闭个性化广告。',
    ['广告是怎么推荐给我的', '为什么给我推这个广告'],
  ],
  [
    '广告',
    '怎么不再看到某条广告',
    '点击广告上的「不感兴趣」，同一广告将不再向你展示。',
    ['屏蔽广告', '不想看这个广告'],
  ],
  [
    '商家',
    '商家如何投放广告',
    '商家成员在「商家中心」新建广告计划，设置创意、定向、出价和预算后提交即可。',
    ['怎么开始投广告', '我想做推广'],
  ],
  [
    '商家',
    '广告预算花完了会怎样',
    '当日或总预算用尽后广告自动停止展示，次日或追加预算后恢复，点击扣费不会超出预算一次点击以上。',
    ['预算用完怎么办', '广告为什么不展示了'],
  ],
  [
    '理财',
    '理财产品的风险等级是什么意思',
    '产品按风险从低到高分为 R1 到 R5，只会向风险承受能力匹配的用户展示。',
    ['R1 到 R5 是什么', '风险等级怎么看'],
  ],
  [
    '理财',
    '如何做风险测评',
    '在「我的 → 风险测评」回答几道题即可得到 C1 到 C5 的风险承受等级，可以随时重新测评或删除结果。',
    ['风险承受能力测试在哪', '怎么重新测评'],
  ],
  [
    '理财',
    '理财产品可以随时赎回吗',
    '以产品详情页的赎回规则为准，部分产品有封闭期，封闭期内不能赎回。',
    ['怎么赎回', '能不能提前取出来'],
  ],
  [
    '支付',
    '付款失败怎么办',
    '请确认微信支付余额或银行卡可用后重试；若已扣款但订单未成功，款项会在 1 到 3 个工作日内原路退回。',
    ['支付不成功', '钱扣了订单没成功', '付不了款'],
  ],
  [
    '支付',
    '如何申请退款',
    '在订单详情中点击「申请退款」，商家同意后款项原路退回。',
    ['怎么退款', '退钱怎么操作', '我要退款'],
  ],
  [
    '出行',
    '怎么规划我的行程',
    '在旅行频道把路线、攻略和酒店加入「我的行程」，可以调整顺序和日期。',
    ['行程怎么做', '如何添加行程'],
  ],
  [
    '出行',
    '为什么要获取我的位置',
    '授权位置后会推荐你附近的路线和酒店；不授权时按你选择的城市推荐，可以随时在设置中关闭。',
    ['定位有什么用', '不想给位置权限'],
  ],
  [
    '出行',
    '酒店订单可以取消吗',
    '以酒店的取消政策为准，免费取消期内可在订单详情中直接取消。',
    ['酒店怎么退订', '订了酒店能退吗'],
  ],
  [
    '其他',
    '怎么联系人工客服',
    '点击页面上的「联系客服」按钮即可进入微信客服会话，工作时间为每天 9:00 到 21:00。',
    ['转人工', '我要找客服', '人工服务'],
  ],
];

/** A fixed UUID (version 5 layout) per seed, so the demo FAQ has the same ids on every start. */
function seedId(n: number): string {
  const h = createHash('sha1').update(`demo-faq:${n}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function demoFaq(now: number): FaqEntry[] {
  return SEEDS.map(([category, question, answer, similar], i) => ({
    id: seedId(i),
    scope: PLATFORM_SCOPE,
    category,
    question,
    answer,
    similar,
    revision: 1,
    updatedAt: now,
  }));
}

/** Seeds the platform FAQ if it is empty; returns how many entries were stored. */
export async function seedDemoFaq(stores: Pick<Stores, 'faq'>, now: number): Promise<number> {
  if ((await stores.faq.list(PLATFORM_SCOPE)).length > 0) return 0;
  let n = 0;
  for (const e of demoFaq(now)) if (await stores.faq.create(e)) n++;
  return n;
}
