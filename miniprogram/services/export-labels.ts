/**
 * Chinese names of the stored collections a data export contains (both backends' names: the
 * local SQLite tables and the cloud collections). An unknown name is shown as it is rather than
 * hidden, so a collection added later still appears in the export.
 */
const LABELS: Record<string, string> = {
  events: '行为记录',
  slates: '推荐记录（给你展示过的内容）',
  user_profiles: '兴趣画像',
  comments: '我的评论',
  comment_reports: '我的举报',
  likes: '我的点赞',
  trips: '我的行程',
  experiment_rollups: '实验统计',
  ad_report_rollups: '广告统计',
  counters: '计数器（频率限制）',
  merchant_members: '商家成员身份',
  merchant_invitations: '商家邀请码',
  campaign_audit: '广告操作记录',
  social_follows: '关注与粉丝',
  social_groups: '所在的群',
  social_records: '社交记录',
  social_links: '好友关系',
  social_hidden: '社交可见性设置',
  orders: '订单',
  order_carts: '待支付订单',
  offer_bought: '已购数量',
  local_pay: '本地支付记录（仅本地开发环境）',
  subscription_quotas: '订阅消息（可接收次数）',
  subscriptionQuotas: '订阅消息（可接收次数）',
  subscription_sends: '已发送的订阅消息',
  subscriptionSends: '已发送的订阅消息',
  subscribe_outbox: '订阅消息发件箱（仅本地开发环境）',
  consents: '同意记录',
  accounts: '账户设置',
};

export function exportSectionLabel(collection: string): string {
  return LABELS[collection] ?? collection;
}
