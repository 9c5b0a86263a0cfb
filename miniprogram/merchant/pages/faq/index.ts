/**
 * 客服问答 (the merchant's FAQ for 智能客服): the entries with their similar phrasings, an editor
 * (new or the revision it loaded; the server's CONFLICT asks for a reload), delete after a
 * confirmation, a CSV import (分类,问题,答案,相似问法) from a file sent in a chat, and the report
 * of the last 7 days: asks, answered, helpful, hand-offs and what went unanswered.
 */
import type { FaqEntryView, SupportReport } from '../../../../typings';
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { confirmModal } from '../../../services/confirm';
import { loadable } from '../../../behaviors/loadable';

interface Form {
  id: string;
  revision: number;
  category: string;
  question: string;
  answer: string;
  /** Similar phrasings, one per line. */
  similar: string;
}

/** With `loadable`'s status (loading, ready, error) and errorMessage. */
interface FaqData {
  entries: (FaqEntryView & { similarText: string })[];
  report: SupportReport | null;
  editing: boolean;
  form: Form;
  formError: string;
  saving: boolean;
  importing: boolean;
}

type Ev<D = unknown> = WechatMiniprogram.BaseEvent & { detail: D };
type Tap = WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>;

type FaqMethods = {
  load(): Promise<void>;
  onNew(): void;
  onEdit(e: Tap): void;
  onCancel(): void;
  onInput(e: Ev<string> & { currentTarget: { dataset: { field?: keyof Form } } }): void;
  onSave(): Promise<void>;
  onDelete(e: Tap): Promise<void>;
  onImport(): Promise<void>;
  onDictionary(): void;
};

const EMPTY: Form = { id: '', revision: 0, category: '', question: '', answer: '', similar: '' };
const lines = (s: string): string[] =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The text of a CSV file sent in a chat (wx.chooseMessageFile), or null when none was picked. */
function pickCsv(): Promise<string | null> {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: ['csv'],
      success: (res) =>
        wx.getFileSystemManager().readFile({
          filePath: res.tempFiles[0].path,
          encoding: 'utf8',
          success: (r) => resolve(String(r.data)),
          fail: () => reject(new Error('读取文件失败，请重新选择')),
        }),
      fail: () => resolve(null),
    });
  });
}

Component<
  FaqData,
  Record<string, never>,
  FaqMethods,
  [typeof loadable],
  Record<string, never>,
  true
>({
  behaviors: [loadable],
  data: {
    entries: [],
    report: null,
    editing: false,
    form: EMPTY,
    formError: '',
    saving: false,
    importing: false,
  },

  methods: {
    async load() {
      try {
        const [list, rep] = await Promise.all([
          getApi().call('support', { action: 'faq.list' }),
          getApi().call('support', { action: 'report', days: 7 }),
        ]);
        if (list.action !== 'faq.list' || rep.action !== 'report')
          throw new Error('unexpected answer');
        this.setData({
          status: 'ready',
          entries: list.entries.map((e) => ({ ...e, similarText: e.similar.join('、') })),
          report: rep.report,
        });
      } catch (err) {
        this.showFailure(err);
      }
    },

    onNew() {
      this.setData({ editing: true, form: EMPTY, formError: '' });
    },

    onEdit(e) {
      const entry = this.data.entries.find((x) => x.id === e.currentTarget.dataset.id);
      if (!entry) return;
      const { id, revision, category, question, answer } = entry;
      const similar = entry.similar.join('\n');
      this.setData({
        editing: true,
        form: { id, revision, category, question, answer, similar },
        formError: '',
      });
    },

    onCancel() {
      this.setData({ editing: false, formError: '' });
    },

    onInput(e) {
      const field = e.currentTarget.dataset.field;
      if (field) this.setData({ [`form.${field}`]: e.detail, formError: '' });
    },

    /** The server checks every field and says what is wrong; a stale revision asks for a reload. */
    async onSave() {
      if (this.data.saving) return;
      const f = this.data.form;
      if (!f.question.trim() || !f.answer.trim() || !f.category.trim()) {
        this.setData({ formError: '请填写分类、问题和答案' });
        return;
      }
      this.setData({ saving: true, formError: '' });
      try {
        const entry = {
          ...(f.id ? { id: f.id, revision: f.revision } : {}),
          category: f.category,
          question: f.question,
          answer: f.answer,
          similar: lines(f.similar),
        };
        await getApi().call('support', { action: 'faq.save', entry });
        this.setData({ saving: false, editing: false });
        wx.showToast({ title: '已保存', icon: 'success' });
        await this.load();
      } catch (err) {
        this.setData({ saving: false, formError: toApiError(err).message });
      }
    },

    async onDelete(e) {
      const id = e.currentTarget.dataset.id;
      const entry = this.data.entries.find((x) => x.id === id);
      if (!id || !entry) return;
      const ok = await confirmModal({
        title: '删除问答',
        content: `删除「${entry.question}」后，用户将不再看到这条答案。`,
        confirmText: '删除',
        confirmColor: '#ee0a24',
      });
      if (!ok) return;
      try {
        await getApi().call('support', { action: 'faq.delete', id });
        await this.load();
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },

    /** The merchant's dictionary words and synonyms, on a page of their own. */
    onDictionary() {
      wx.navigateTo({ url: '/merchant/pages/dictionary/index' });
    },

    /** All rows or none: the server names the first bad line. */
    async onImport() {
      if (this.data.importing) return;
      this.setData({ importing: true });
      try {
        const csv = await pickCsv();
        if (csv === null) {
          this.setData({ importing: false });
          return;
        }
        const res = await callAction('support', { action: 'faq.import', csv });
        this.setData({ importing: false });
        wx.showToast({ title: `已导入 ${res.added} 条`, icon: 'success' });
        await this.load();
      } catch (err) {
        this.setData({ importing: false });
        wx.showModal({ title: '导入失败', content: toApiError(err).message, showCancel: false });
      }
    },
  },
});
