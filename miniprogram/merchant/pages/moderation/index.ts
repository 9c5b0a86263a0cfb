/**
 * 评论审核 (platform admins): the moderation queue from `content` comment.flagged — reported
 * comments and those WeChat's content-safety check held for review, most recently flagged first,
 * with why — and 隐藏 / 恢复 through comment.moderate (the server audits each decision). A caller
 * who is not a platform admin gets the server's refusal. Written with Component().
 */
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { confirmModal } from '../../../services/confirm';
import { queueRow, type QueueRow } from './view';

const PAGE = 20;

interface ModerationData {
  rows: QueueRow[];
  /** A decision is on its way for this comment id (its buttons show loading). */
  busy: string;
  more: boolean;
}

type Tap = WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>;

type ModerationMethods = {
  load(): Promise<void>;
  onMore(): Promise<void>;
  onHideTap(e: Tap): Promise<void>;
  onRestoreTap(e: Tap): Promise<void>;
  decide(id: string, decision: 'hide' | 'restore'): Promise<void>;
};

interface ModerationInstance {
  cursor: string | null;
}

Component<
  ModerationData,
  Record<string, never>,
  ModerationMethods,
  [typeof loadable],
  ModerationInstance,
  true
>({
  behaviors: [loadable],

  data: { rows: [], busy: '', more: false },

  lifetimes: {
    created() {
      this.cursor = null;
    },
  },

  methods: {
    /** The first page (again, after a retry). */
    async load() {
      try {
        const res = await callAction('content', { action: 'comment.flagged', limit: PAGE });
        this.cursor = res.cursor;
        this.setData({ status: 'ready', rows: res.comments.map(queueRow), more: !!res.cursor });
      } catch (err) {
        this.showFailure(err);
      }
    },

    async onMore() {
      if (!this.cursor) return;
      try {
        const res = await getApi().call('content', {
          action: 'comment.flagged',
          limit: PAGE,
          cursor: this.cursor,
        });
        if (res.action !== 'comment.flagged') throw new Error('unexpected answer');
        this.cursor = res.cursor;
        const seen = new Set(this.data.rows.map((r) => r.id));
        this.setData({
          rows: [...this.data.rows, ...res.comments.filter((c) => !seen.has(c.id)).map(queueRow)],
          more: !!res.cursor,
        });
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },

    async onHideTap(e) {
      const id = e.currentTarget.dataset.id;
      if (!id) return;
      const ok = await confirmModal({
        title: '隐藏评论',
        content: '隐藏后所有人（包括作者）都看不到这条评论，可在之后恢复',
        confirmText: '隐藏',
        confirmColor: '#ee0a24',
      });
      if (ok) await this.decide(id, 'hide');
    },

    async onRestoreTap(e) {
      const id = e.currentTarget.dataset.id;
      if (id) await this.decide(id, 'restore');
    },

    /** Decided comments leave the queue. */
    async decide(id, decision) {
      if (this.data.busy) return;
      this.setData({ busy: id });
      try {
        await getApi().call('content', { action: 'comment.moderate', commentId: id, decision });
        this.setData({ rows: this.data.rows.filter((r) => r.id !== id) });
        wx.showToast({ title: decision === 'hide' ? '已隐藏' : '已恢复显示', icon: 'success' });
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      } finally {
        this.setData({ busy: '' });
      }
    },
  },
});
