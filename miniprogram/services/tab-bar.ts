/** The tabs of the tab bar (app.json `tabBar.list`, in order), and how a tab page marks its own. */

export interface Tab {
  /** Root-absolute page path, as wx.switchTab takes it. */
  path: string;
  text: string;
  /** vant icon name. */
  icon: string;
}

export const TABS: Tab[] = [
  { path: '/pages/feed/index', text: '首页', icon: 'home-o' },
  { path: '/pages/me/index', text: '我的', icon: 'user-o' },
];

/** What a tab page can reach: its own instance of the custom tab bar (absent outside the runtime). */
interface TabPage {
  getTabBar?: () => { setData(data: { active: number }): void } | null | undefined;
}

/** Marks the page's tab active: each tab page has its own tab bar instance, so on every show. */
export function markTab(page: unknown, path: string): void {
  const index = TABS.findIndex((t) => t.path === path);
  const bar = (page as TabPage).getTabBar?.();
  if (bar && index >= 0) bar.setData({ active: index });
}
