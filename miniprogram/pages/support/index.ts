/**
 * 智能客服: the user asks a question and gets the FAQ's best answers; each can be marked 有用 or
 * 没用 once, and 转人工 (first when no answer is confident) opens WeChat's customer-service
 * session with the question's context. Asking again passes the last ask, so an answer that did
 * not help without a verdict still counts as not helped.
 */
import type { SupportAnswer } from '../../../typings';
import { getApi } from '../../services/api';
import { toApiError } from '../../services/api-error';
import { measured } from '../../behaviors/measured';

interface SupportData {
  question: string;
  asking: boolean;
  error: string;
  askId: string;
  answers: (SupportAnswer & { percent: number })[];
  lowConfidence: boolean;
  /** The verdict given on this ask (one per ask), and on which answer. */
  verdict: '' | 'helpful' | 'unhelpful' | 'handoff';
  verdictFaqId: string;
  /** session-from of the 转人工 button: where the user came from and the ask. */
  sessionFrom: string;
  from: string;
}

type Ev<D = unknown> = WechatMiniprogram.BaseEvent & { detail: D };
type Tap = WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>;

type SupportMethods = {
  onLoad(query?: Record<string, string | undefined>): void;
  onInput(e: Ev<string>): void;
  onAsk(): Promise<void>;
  onHelpful(e: Tap): Promise<void>;
  onUnhelpful(e: Tap): Promise<void>;
  onHandoff(): Promise<void>;
  verdict(kind: 'helpful' | 'unhelpful' | 'handoff', faqId?: string): Promise<void>;
};

/** Where a page sent the user from (item:…, ad:…, order:…); anything else is dropped. */
const CONTEXT = /^(item|ad|order):[A-Za-z0-9_:.-]{1,64}$/;

Component<
  SupportData,
  Record<string, never>,
  SupportMethods,
  [typeof measured],
  Record<string, never>,
  true
>({
  behaviors: [measured],
  data: {
    question: '',
    asking: false,
    error: '',
    askId: '',
    answers: [],
    lowConfidence: false,
    verdict: '',
    verdictFaqId: '',
    sessionFrom: 'support',
    from: '',
  },

  methods: {
    onLoad(query) {
      const from = query?.from && CONTEXT.test(query.from) ? query.from : '';
      this.setData({ from, sessionFrom: from || 'support' });
    },

    onInput(e) {
      this.setData({ question: e.detail, error: '' });
    },

    async onAsk() {
      if (this.data.asking) return;
      const question = this.data.question.trim();
      if (!question) {
        this.setData({ error: '请输入问题' });
        return;
      }
      this.setData({ asking: true, error: '' });
      try {
        const res = await getApi().call('support', {
          action: 'ask',
          question,
          ...(this.data.from ? { context: this.data.from } : {}),
          ...(this.data.askId && !this.data.verdict ? { previousAskId: this.data.askId } : {}),
        });
        if (res.action !== 'ask') throw new Error('unexpected answer');
        this.setData({
          asking: false,
          askId: res.askId,
          answers: res.answers.map((a) => ({ ...a, percent: Math.round(a.score * 100) })),
          lowConfidence: res.lowConfidence || res.answers.length === 0,
          verdict: '',
          verdictFaqId: '',
          sessionFrom: `${this.data.from || 'support'}&ask=${res.askId}`,
        });
      } catch (err) {
        this.setData({ asking: false, error: toApiError(err).message });
      }
    },

    async onHelpful(e) {
      await this.verdict('helpful', e.currentTarget.dataset.id);
    },

    async onUnhelpful(e) {
      await this.verdict('unhelpful', e.currentTarget.dataset.id);
    },

    /** The contact button opens the session itself; the hand-off is recorded alongside. */
    async onHandoff() {
      await this.verdict('handoff');
    },

    async verdict(kind, faqId) {
      if (!this.data.askId || this.data.verdict) return;
      this.setData({ verdict: kind, verdictFaqId: faqId ?? '' });
      try {
        await getApi().call('support', {
          action: 'feedback',
          askId: this.data.askId,
          verdict: kind,
          ...(faqId ? { faqId } : {}),
        });
        if (kind !== 'handoff') wx.showToast({ title: '感谢反馈', icon: 'none' });
      } catch (err) {
        const e = toApiError(err);
        // CONFLICT: a verdict was already recorded for this ask (another tap won); keep it shown.
        if (e.code !== 'CONFLICT') this.setData({ verdict: '', verdictFaqId: '' });
        wx.showToast({ title: e.message, icon: 'none' });
      }
    },
  },
});
