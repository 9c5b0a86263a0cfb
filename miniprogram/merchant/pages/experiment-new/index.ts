/**
 * A minimal create-experiment form for owners and platform admins (`experiment.create`): name,
 * parameter, traffic share, target metric and guardrails, and 2–5 variants (the first is the
 * control). The new experiment is a draft; on success the page gives way to its detail page,
 * where it is started. Written with Component().
 */
import type { ExperimentMetric, ExperimentParameter } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { METRIC_LABELS, PARAMETER_LABELS } from '../../experiment-labels';
import { MAX_VARIANTS, checkForm, emptyForm } from './form';
import type { ExperimentForm, FormErrors } from './form';

type Status = 'loading' | 'ready' | 'forbidden' | 'error';

interface Chip {
  value: string;
  label: string;
  on: boolean;
}

interface NewData {
  status: Status;
  errorMessage: string;
  form: ExperimentForm;
  errors: FormErrors;
  formError: string;
  submitting: boolean;
  parameterChips: Chip[];
  targetChips: Chip[];
  guardrailChips: Chip[];
  valueHint: string;
  maxVariants: number;
}

/** vant change events carry the new value as the detail itself (a string from van-field, a number from van-stepper). */
type Ev<D extends WechatMiniprogram.IAnyObject = Record<string, never>> = WechatMiniprogram.BaseEvent<Record<string, never>, D> & { detail: unknown };
type FieldData = { field?: 'name' | 'value'; index?: number };

type NewMethods = {
  onLoad(): Promise<void>;
  onRetry(): Promise<void>;
  onName(e: Ev): void;
  onTraffic(e: Ev): void;
  onParameter(e: Ev<{ value?: string }>): void;
  onTarget(e: Ev<{ value?: string }>): void;
  onGuardrail(e: Ev<{ value?: string }>): void;
  onVariantInput(e: Ev<FieldData>): void;
  onVariantWeight(e: Ev<FieldData>): void;
  onAddVariant(): void;
  onRemoveVariant(e: Ev<FieldData>): void;
  onSubmit(): Promise<void>;
  refresh(form: ExperimentForm): void;
};

const PARAMETERS = Object.keys(PARAMETER_LABELS) as ExperimentParameter[];
const METRICS = Object.keys(METRIC_LABELS) as ExperimentMetric[];
const VALUE_HINT: Record<ExperimentParameter, string> = {
  'feed.diversity': '取值：多样性惩罚，0–1 之间的数，如 0.3',
  'feed.explore': '取值：探索概率，0–1 之间的数，如 0.05',
  'ads.slots': '取值：放广告的信息流位置（第几条），用逗号分隔，如 4, 11；留空表示不放广告',
  'ad.creative': '每组是一个创意：第一组为计划当前的创意（对照组），其余填写新的标题、描述、图片和落地页',
};

/** What the chips and hints show for a form: derived, so one setData keeps them in step. */
function derived(form: ExperimentForm) {
  return {
    form,
    parameterChips: PARAMETERS.map((p) => ({ value: p, label: PARAMETER_LABELS[p], on: form.parameter === p })),
    targetChips: METRICS.map((m) => ({ value: m, label: METRIC_LABELS[m], on: form.targetMetric === m })),
    guardrailChips: METRICS.filter((m) => m !== form.targetMetric).map((m) => ({ value: m, label: METRIC_LABELS[m], on: form.guardrails.includes(m) })),
    valueHint: VALUE_HINT[form.parameter],
  };
}

const EXPERIMENT_PAGE = '/merchant/pages/experiment/index';

Component<NewData, Record<string, never>, NewMethods, [], Record<string, never>, true>({
  data: {
    status: 'loading',
    errorMessage: '',
    ...derived(emptyForm()),
    errors: {},
    formError: '',
    submitting: false,
    maxVariants: MAX_VARIANTS,
  },

  methods: {
    async onLoad() {
      try {
        const me = await getApi().call('merchant', { action: 'me' });
        if (me.action !== 'me') throw new Error('unexpected answer');
        const may = me.admin || me.membership?.role === 'owner';
        this.setData({ status: may ? 'ready' : 'forbidden' });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: toApiError(err).message });
      }
    },

    async onRetry() {
      this.setData({ status: 'loading' });
      await this.onLoad();
    },

    refresh(form) {
      this.setData({ ...derived(form), formError: '' });
    },

    onName(e) {
      this.refresh({ ...this.data.form, name: String(e.detail) });
    },

    onTraffic(e) {
      this.refresh({ ...this.data.form, trafficPercent: Number(e.detail) });
    },

    onParameter(e) {
      const p = e.currentTarget.dataset.value as ExperimentParameter | undefined;
      // Values mean different things per parameter: switching clears them.
      if (p && p !== this.data.form.parameter) this.refresh({ ...this.data.form, parameter: p, variants: this.data.form.variants.map((v) => ({ ...v, value: '' })) });
    },

    onTarget(e) {
      const m = e.currentTarget.dataset.value as ExperimentMetric | undefined;
      if (m) this.refresh({ ...this.data.form, targetMetric: m, guardrails: this.data.form.guardrails.filter((g) => g !== m) });
    },

    onGuardrail(e) {
      const m = e.currentTarget.dataset.value as ExperimentMetric | undefined;
      if (!m) return;
      const g = this.data.form.guardrails;
      this.refresh({ ...this.data.form, guardrails: g.includes(m) ? g.filter((x) => x !== m) : [...g, m] });
    },

    onVariantInput(e) {
      const { field, index } = e.currentTarget.dataset;
      if (field === undefined || index === undefined) return;
      const variants = this.data.form.variants.map((v, i) => (i === Number(index) ? { ...v, [field]: String(e.detail) } : v));
      this.refresh({ ...this.data.form, variants });
    },

    onVariantWeight(e) {
      const index = Number(e.currentTarget.dataset.index);
      const variants = this.data.form.variants.map((v, i) => (i === index ? { ...v, weight: Number(e.detail) } : v));
      this.refresh({ ...this.data.form, variants });
    },

    onAddVariant() {
      const vs = this.data.form.variants;
      if (vs.length >= MAX_VARIANTS) return;
      this.refresh({ ...this.data.form, variants: [...vs, { name: `variant${vs.length}`, weight: 1, value: '' }] });
    },

    onRemoveVariant(e) {
      const index = Number(e.currentTarget.dataset.index);
      const vs = this.data.form.variants;
      if (index < 1 || vs.length <= 2) return;
      this.refresh({ ...this.data.form, variants: vs.filter((_, i) => i !== index) });
    },

    async onSubmit() {
      if (this.data.submitting) return;
      const checked = checkForm(this.data.form);
      if ('errors' in checked) {
        this.setData({ errors: checked.errors, formError: '请先修改标红的项' });
        return;
      }
      this.setData({ errors: {}, formError: '', submitting: true });
      try {
        const res = await getApi().call('merchant', { action: 'experiment.create', experiment: checked.input });
        if (res.action !== 'experiment.create') throw new Error('unexpected answer');
        this.setData({ submitting: false });
        wx.showToast({ title: '已创建草稿', icon: 'success' });
        wx.redirectTo({ url: `${EXPERIMENT_PAGE}?experimentId=${encodeURIComponent(res.experiment.id)}` });
      } catch (err) {
        this.setData({ submitting: false, formError: toApiError(err).message });
      }
    },
  },
});
