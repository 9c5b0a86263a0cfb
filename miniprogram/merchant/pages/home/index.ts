/**
 * Merchant home (subpackage `merchant`): who the caller is to the merchant side (`merchant` me),
 * then one of: not a merchant (join with an invitation code), a platform admin without a merchant
 * (merchants and codes), or a member's campaign list — status, today's spend against the daily
 * budget, the status changes the member's role allows, the editor and the report.
 */
import type { CampaignSummary, MerchantRole } from '../../../../typings';
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { confirmModal } from '../../../services/confirm';
import { campaignView, TRANSITION_TEXT } from './view';
import type { CampaignView, Transition } from './view';

export const EDITOR_URL = '/merchant/pages/campaign/index';
export const REPORT_URL = '/merchant/pages/report/index';
export const INVITE_URL = '/merchant/pages/invite/index';
export const EXPERIMENTS_URL = '/merchant/pages/experiments/index';
export const MEMBERS_URL = '/merchant/pages/members/index';
export const PERF_URL = '/merchant/pages/perf/index';
export const MODERATION_URL = '/merchant/pages/moderation/index';
export const ORDERS_URL = '/merchant/pages/orders/index';

/**
 * With `loadable`'s status (loading, error; guest: no merchant and not an admin; admin: an admin
 * without a merchant; ready: a member) and errorMessage.
 */
interface HomeData {
  admin: boolean;
  role: MerchantRole | '';
  roleText: string;
  merchantName: string;
  campaigns: CampaignView[];
  /** The campaign whose status change is in flight. */
  busyId: string;
}

type TapEvent = WechatMiniprogram.BaseEvent & {
  currentTarget: { dataset: Record<string, string> };
};

type HomeMethods = {
  onShow(): Promise<void>;
  load(): Promise<void>;
  onOpen(e: TapEvent): void;
  onReport(e: TapEvent): void;
  onCreate(): void;
  onInvite(): void;
  onMembers(): void;
  onExperiments(): void;
  onFaq(): void;
  /** 性能 (platform admins). */
  onPerf(): void;
  /** 评论审核 (platform admins). */
  onModeration(): void;
  onOrders(): void;
  onAction(e: TapEvent): Promise<void>;
};

interface HomeInstance {
  /** The list as the server sent it, by id: a status change keeps today's numbers. */
  summaries: Map<string, CampaignSummary>;
  /** Set after the first show, so coming back from the editor reloads. */
}

const ROLE_TEXT: Record<MerchantRole, string> = { owner: '所有者', staff: '员工' };

function confirmEnd(name: string): Promise<boolean> {
  return confirmModal({
    title: '结束广告计划',
    content: `结束后「${name}」将停止投放，且不能恢复或修改。确定结束吗？`,
    confirmText: '结束',
    confirmColor: '#ee0a24',
  });
}

Component<HomeData, Record<string, never>, HomeMethods, [typeof loadable], HomeInstance, true>({
  behaviors: [loadable],

  data: {
    admin: false,
    role: '',
    roleText: '',
    merchantName: '',
    campaigns: [],
    busyId: '',
  },

  lifetimes: {
    created() {
      this.summaries = new Map();
    },
  },

  methods: {
    /** Back from the editor or the invite page: the list may have changed. */
    async onShow() {
      await this.reloadOnReturn();
    },

    async load() {
      try {
        const me = await callAction('merchant', { action: 'me' });
        if (!me.membership) {
          this.setData({ status: me.admin ? 'admin' : 'guest', admin: me.admin, campaigns: [] });
          return;
        }
        const list = await callAction('merchant', { action: 'campaign.list' });
        const role = me.membership.role;
        this.summaries = new Map(list.campaigns.map((c) => [c.id, c]));
        this.setData({
          status: 'ready',
          admin: me.admin,
          role,
          roleText: ROLE_TEXT[role],
          merchantName: me.merchant?.name ?? '',
          campaigns: list.campaigns.map((c) => campaignView(c, role)),
        });
      } catch (err) {
        this.showFailure(err);
      }
    },

    onOpen(e) {
      wx.navigateTo({
        url: `${EDITOR_URL}?campaignId=${encodeURIComponent(e.currentTarget.dataset.id)}`,
      });
    },

    onReport(e) {
      wx.navigateTo({
        url: `${REPORT_URL}?campaignId=${encodeURIComponent(e.currentTarget.dataset.id)}`,
      });
    },

    onCreate() {
      wx.navigateTo({ url: EDITOR_URL });
    },

    onInvite() {
      wx.navigateTo({ url: INVITE_URL });
    },

    onMembers() {
      wx.navigateTo({ url: MEMBERS_URL });
    },

    onExperiments() {
      wx.navigateTo({ url: EXPERIMENTS_URL });
    },

    onPerf() {
      wx.navigateTo({ url: PERF_URL });
    },

    onOrders() {
      wx.navigateTo({ url: ORDERS_URL });
    },

    onModeration() {
      wx.navigateTo({ url: MODERATION_URL });
    },

    onFaq() {
      wx.navigateTo({ url: '/merchant/pages/faq/index' });
    },

    /** A status change the role allows; ending asks first. The list shows the server's answer. */
    async onAction(e) {
      const { id, action } = e.currentTarget.dataset as { id: string; action: Transition };
      const current = this.summaries.get(id);
      if (!current || this.data.busyId || !(action in TRANSITION_TEXT)) return;
      if (action === 'end' && !(await confirmEnd(current.name))) return;
      this.setData({ busyId: id });
      try {
        const res = await getApi().call('merchant', {
          action: `campaign.${action}`,
          campaignId: id,
        });
        if (!('campaign' in res)) throw new Error('unexpected answer');
        const next: CampaignSummary = { ...current, ...res.campaign };
        this.summaries.set(id, next);
        const role = this.data.role || 'staff';
        this.setData({
          busyId: '',
          campaigns: this.data.campaigns.map((c) => (c.id === id ? campaignView(next, role) : c)),
        });
        wx.showToast({ title: `已${TRANSITION_TEXT[action]}`, icon: 'success' });
      } catch (err) {
        this.setData({ busyId: '' });
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },
  },
});
