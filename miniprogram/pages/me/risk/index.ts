/**
 * The Me page's "风险测评" section (金融理财): the risk questionnaire through `account`
 * risk.questionnaire / get / assess / clear. Folded at first, so opening the page costs no
 * extra request; unfolding loads the questions and the user's level. Submitting needs every
 * question answered; the server scores the answers, and its answer is what the section shows.
 */
import { foldable } from '../../../behaviors/loadable';
import { measuredPart } from '../../../behaviors/measured';
import type { AccountResponse, RiskAssessmentView, RiskQuestionnaire } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { answersFor, levelNote, levelText, suggestionNote, summaryOf } from './view';

/** With `foldable`'s expanded, status (idle, loading, ready, error) and errorMessage. */
interface RiskData {
  version: string;
  questions: RiskQuestionnaire['questions'];
  answers: (number | null)[];
  complete: boolean;
  summary: string;
  level: string;
  levelNote: string;
  /** The payment cap below the stated level ('' without one). */
  suggestion: string;
  expired: boolean;
  saving: boolean;
  message: string;
}

type Detail<T> = WechatMiniprogram.BaseEvent & { detail: T };

type RiskMethods = {
  load(): Promise<void>;
  show(a: RiskAssessmentView | null): void;
  onAnswer(e: Detail<number | string>): void;
  onSubmit(): Promise<void>;
  onClear(): Promise<void>;
};

function assessmentOf(res: AccountResponse): RiskAssessmentView | null {
  if ('assessment' in res) return res.assessment;
  throw new Error('unexpected answer');
}

Component<RiskData, Record<string, never>, RiskMethods, [typeof measuredPart, typeof foldable]>({
  // Its named taps are counted (services/features.ts) and its setData in its page's meter; its toggle loads it when first unfolded.
  behaviors: [measuredPart, foldable],
  data: {
    version: '',
    questions: [],
    answers: [],
    complete: false,
    summary: '风险测评',
    level: '',
    levelNote: '',
    suggestion: '',
    expired: false,
    saving: false,
    message: '',
  },

  methods: {
    async load() {
      try {
        const api = getApi();
        const [q, mine] = await Promise.all([
          api.call('account', { action: 'risk.questionnaire' }),
          api.call('account', { action: 'risk.get' }),
        ]);
        if (!('questionnaire' in q)) throw new Error('unexpected answer');
        this.setData({ version: q.questionnaire.version, questions: q.questionnaire.questions });
        this.show(assessmentOf(mine));
        this.setData({ status: 'ready' });
      } catch (err) {
        this.showFailure(err);
      }
    },

    show(a) {
      const answers = answersFor(a, this.data.version, this.data.questions.length);
      this.setData({
        answers,
        complete: answers.every((x) => x !== null),
        summary: summaryOf(a),
        level: levelText(a),
        levelNote: levelNote(a),
        suggestion: suggestionNote(a),
        expired: a?.expired ?? false,
      });
    },

    onAnswer(e) {
      const question = Number((e.currentTarget.dataset as { question: number }).question);
      const answers = [...this.data.answers];
      answers[question] = Number(e.detail);
      this.setData({ answers, complete: answers.every((x) => x !== null), message: '' });
    },

    async onSubmit() {
      if (this.data.saving || !this.data.complete) return;
      this.setData({ saving: true, message: '' });
      try {
        const a = assessmentOf(
          await getApi().call('account', {
            action: 'risk.assess',
            version: this.data.version,
            answers: this.data.answers as number[],
          }),
        );
        this.show(a);
        this.setData({ saving: false, message: `测评完成：${levelText(a)}` });
      } catch (err) {
        this.setData({ saving: false, message: toApiError(err).message });
      }
    },

    async onClear() {
      if (this.data.saving) return;
      this.setData({ saving: true, message: '' });
      try {
        this.show(assessmentOf(await getApi().call('account', { action: 'risk.clear' })));
        this.setData({ saving: false, message: '已撤回，不再向你推荐理财产品' });
      } catch (err) {
        this.setData({ saving: false, message: toApiError(err).message });
      }
    },
  },
});
