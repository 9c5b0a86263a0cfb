/**
 * The custom tab bar (miniprogram/custom-tab-bar) in miniprogram-simulate with real @vant/weapp:
 * 首页 and 我的 with their icons, the page's own tab active, a tap on the other switching tab; and
 * app.json declaring the same tabs, so the runtime shows this bar on exactly those pages.
 */
import * as simulate from 'miniprogram-simulate';
import barJson from '../../../miniprogram/custom-tab-bar/index.json';
import appJson from '../../../miniprogram/app.json';
import { TABS, markTab } from '../../../miniprogram/services/tab-bar';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';

type AnyObject = WechatMiniprogram.IAnyObject;
type Bar = simulate.RootComponent<AnyObject, AnyObject, AnyObject>;

let barId: string;

beforeAll(() => {
  barId = loadWithVant('custom-tab-bar/index', 'custom-tab-bar', barJson.usingComponents);
});

afterEach(() => jest.restoreAllMocks());

function render(): Bar {
  const bar = simulate.render(barId);
  bar.attach(document.createElement('parent-wrapper'));
  return bar;
}

/** The labels of the tabs, and which one vant marks active. */
const labels = (bar: Bar): string[] => texts(bar, 'van-tabbar-item', 'van-tabbar-item__text');
const active = (bar: Bar): string[] =>
  Array.from(
    (bar.dom as HTMLElement).querySelectorAll('.van-tabbar-item--van-tabbar-item--active'),
  ).map((el) => (el.textContent ?? '').trim());

describe('tab bar', () => {
  it('shows 首页 and 我的 with vant icons, 首页 active until a page marks its own', () => {
    const bar = render();
    expect(labels(bar)).toEqual(['首页', '我的']);
    const html = (bar.dom as HTMLElement).innerHTML;
    expect(html).toContain('van-icon--van-icon-home-o');
    expect(html).toContain('van-icon--van-icon-user-o');
    expect(active(bar)).toEqual(['首页']);

    // What 我的 does on show: its own tab becomes the active one.
    markTab({ getTabBar: () => bar.instance }, '/pages/me/index');
    expect(active(bar)).toEqual(['我的']);
  });

  it('a tap on the other tab switches to its page; a tap on the current one does nothing', async () => {
    const switchTab = jest.spyOn(wx, 'switchTab');
    const bar = render();
    const tap = async (i: number) => {
      const item = bar.querySelector(`#rs-tab-${i}`)?.querySelector('.van-tabbar-item');
      expect(item).toBeTruthy();
      item?.dispatchEvent('tap');
      await simulate.sleep(0);
    };
    await tap(1);
    expect(switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/me/index' }));
    switchTab.mockClear();
    await tap(0);
    expect(switchTab).not.toHaveBeenCalled();
  });

  it('app.json declares the custom tab bar with the same pages, in the same order', () => {
    expect(appJson.tabBar.custom).toBe(true);
    expect(appJson.tabBar.list.map((t) => `/${t.pagePath}`)).toEqual(TABS.map((t) => t.path));
    expect(appJson.tabBar.list.map((t) => t.text)).toEqual(TABS.map((t) => t.text));
  });
});
