/** The feed's channel tabs: 推荐 (no channel: the personalised mix) and the demo catalog's categories. */

export interface Channel {
  /** The tab's label. */
  title: string;
  /** What `recommend` receives as `channel`; empty for 推荐, which sends none. */
  name: string;
}

const CATEGORIES = ['美食', '旅行', '科技', '健康', '教育', '时尚', '体育', '财经'];

export const CHANNELS: Channel[] = [
  { title: '推荐', name: '' },
  ...CATEGORIES.map((c) => ({ title: c, name: c })),
];

/** The tab index for a channel name; an unknown channel still loads, under 推荐's tab. */
export function channelIndex(name: string | undefined): number {
  const i = CHANNELS.findIndex((c) => c.name === (name ?? ''));
  return i < 0 ? 0 : i;
}

/** The channel whose pages carry the place bar (旅游出行), and the destinations it offers. */
export const TRAVEL_CHANNEL = '旅行';
export const TRAVEL_CITIES = [
  '成都',
  '昆明',
  '大理',
  '丽江',
  '西安',
  '杭州',
  '厦门',
  '北京',
  '上海',
  '桂林',
];

/** Reasons offered under "不感兴趣"; the label is what the hide event records. */
export const HIDE_REASONS = ['内容重复', '不喜欢这个分类', '标题党', '内容质量差'];
