/** The feed's channel tabs: 推荐 (no channel: the personalised mix) and the demo catalog's categories. */
import type { AppSceneEntry, AppSceneView } from '../../../typings';

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
export function channelIndex(name: string | undefined, channels: Channel[] = CHANNELS): number {
  const i = channels.findIndex((c) => c.name === (name ?? ''));
  return i < 0 ? 0 : i;
}

/** The tabs of the deployment's scene (SCENE on the server): 推荐, then the scene's channels. */
export function sceneChannels(view: AppSceneView): Channel[] {
  return [CHANNELS[0], ...view.channels.map((c) => ({ title: c, name: c }))];
}

/** An entry point the scene puts above the feed. */
export interface EntryView {
  key: AppSceneEntry;
  title: string;
  label: string;
  url: string;
  /** A tab-bar page (wx.switchTab), not a pushed one. */
  tab: boolean;
}

const ENTRIES: Record<AppSceneEntry, Omit<EntryView, 'key'>> = {
  support: {
    title: '智能客服',
    label: '退款、隐私、广告等常见问题，马上解答',
    url: '/pages/support/index',
    tab: false,
  },
  risk: {
    title: '风险测评',
    label: '测一测风险承受能力，只为你推荐适合的理财产品',
    url: '/pages/me/index',
    tab: true,
  },
  trips: {
    title: '我的行程',
    label: '查看加入行程的路线、攻略和酒店',
    url: '/pages/me/index',
    tab: true,
  },
};

/** The scene's entry points, in its order. */
export function sceneEntries(view: AppSceneView): EntryView[] {
  return view.entries.map((key) => ({ key, ...ENTRIES[key] }));
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
