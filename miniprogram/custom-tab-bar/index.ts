/**
 * The tab bar (首页 / 我的), as WeChat's custom tab bar (app.json `tabBar.custom`) drawn with vant's
 * tabbar so the tabs carry icons. Each tab page marks its own tab on show (`services/tab-bar.ts`):
 * the runtime keeps one instance of this component per tab page.
 */
import { tappable } from '../behaviors/tappable';
import { TABS } from '../services/tab-bar';

Component({
  // Its named taps are counted (services/features.ts).
  behaviors: [tappable],
  data: { active: 0, tabs: TABS },

  methods: {
    /** van-tabbar's change: the tapped tab's index; the runtime switches page, the page marks itself. */
    onChange(e: { detail: number }) {
      const tab = TABS[e.detail];
      if (tab && e.detail !== this.data.active) wx.switchTab({ url: tab.path });
    },
  },
});
