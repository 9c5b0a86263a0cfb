/**
 * The Me page's way into the merchant subpackage: 商家中心 for platform admins and merchant
 * members (from `merchant` me), 商家入驻 (an invitation code) for everyone else. Loads itself
 * when attached; if `me` cannot be asked, it shows nothing rather than a broken entry.
 */
import { measuredPart } from '../../../behaviors/measured';
import { callAction } from '../../../services/api';

export const MERCHANT_HOME_URL = '/merchant/pages/home/index';
export const MERCHANT_INVITE_URL = '/merchant/pages/invite/index';

interface EntryData {
  /** center: admin or member; join: neither; '': not known (yet, or `me` failed). */
  entry: '' | 'center' | 'join';
  label: string;
}

type EntryMethods = {
  load(): Promise<void>;
  onTap(): void;
};

Component<
  EntryData,
  Record<string, never>,
  EntryMethods,
  [typeof measuredPart],
  Record<string, never>,
  false
>({
  // Its named taps are counted (services/features.ts).
  behaviors: [measuredPart],
  data: { entry: '', label: '' },

  lifetimes: {
    attached() {
      void this.load();
    },
  },

  methods: {
    async load() {
      try {
        const me = await callAction('merchant', { action: 'me' });
        if (me.membership || me.admin) {
          const name = me.merchant?.name;
          this.setData({
            entry: 'center',
            label: name ? `${name} · 广告计划与数据报表` : '平台管理：商家与邀请码',
          });
        } else {
          this.setData({ entry: 'join', label: '收到商家邀请码？在这里加入商家' });
        }
      } catch {
        this.setData({ entry: '', label: '' });
      }
    },

    onTap() {
      if (!this.data.entry) return;
      wx.navigateTo({
        url: this.data.entry === 'center' ? MERCHANT_HOME_URL : MERCHANT_INVITE_URL,
      });
    },
  },
});
