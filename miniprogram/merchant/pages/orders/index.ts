/**
 * 待审核订单 (merchant owners): the orders the payment risk score held (`pay` order.held, oldest
 * first) with each one's reasons, and 通过 / 拒绝 after a confirmation (order.approve: the buyer
 * may pay within a fresh window; order.reject: closed, stock released). A decided order leaves
 * the list; a refusal (not the owner, already decided) is shown as the server worded it.
 */
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { confirmModal } from '../../../services/confirm';
import { heldRow, type HeldRow } from './view';

interface HeldData {
  rows: HeldRow[];
  /** A decision is on its way for this order (its buttons wait). */
  busy: string;
}

type Tap = WechatMiniprogram.BaseEvent<Record<string, never>, { no?: string }>;

type HeldMethods = {
  onShow(): Promise<void>;
  load(): Promise<void>;
  onApproveTap(e: Tap): Promise<void>;
  onRejectTap(e: Tap): Promise<void>;
  decide(outTradeNo: string, action: 'order.approve' | 'order.reject'): Promise<void>;
};

Component<
  HeldData,
  Record<string, never>,
  HeldMethods,
  [typeof loadable],
  Record<string, never>,
  true
>({
  behaviors: [loadable],

  data: { rows: [], busy: '' },

  methods: {
    /** Back from elsewhere: the list may have changed (another owner, the 48-hour close). */
    async onShow() {
      if (!this.data.busy) await this.reloadOnReturn();
    },

    async load() {
      try {
        const res = await callAction('pay', { action: 'order.held' });
        this.setData({ status: 'ready', rows: res.orders.map(heldRow) });
      } catch (err) {
        this.showFailure(err);
      }
    },

    async onApproveTap(e) {
      const no = e.currentTarget.dataset.no;
      if (!no || this.data.busy) return;
      const ok = await confirmModal({
        title: '通过订单',
        content: '通过后买家可以继续付款。请确认你已核实这笔订单',
        confirmText: '通过',
        confirmColor: '#1989fa',
      });
      if (ok) await this.decide(no, 'order.approve');
    },

    async onRejectTap(e) {
      const no = e.currentTarget.dataset.no;
      if (!no || this.data.busy) return;
      const ok = await confirmModal({
        title: '拒绝订单',
        content: '拒绝后订单关闭、库存释放，买家无法再为这笔订单付款',
        confirmText: '拒绝',
        confirmColor: '#ee0a24',
      });
      if (ok) await this.decide(no, 'order.reject');
    },

    /** A decided order leaves the list. */
    async decide(outTradeNo, action) {
      this.setData({ busy: outTradeNo });
      try {
        await getApi().call('pay', { action, outTradeNo });
        this.setData({ rows: this.data.rows.filter((r) => r.outTradeNo !== outTradeNo) });
        wx.showToast({ title: action === 'order.approve' ? '已通过' : '已拒绝', icon: 'success' });
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      } finally {
        this.setData({ busy: '' });
      }
    },
  },
});
