/**
 * A minimal create-experiment form for owners and platform admins (`experiment.create`): name,
 * parameter, traffic share, target metric and guardrails, and 2–5 variants (the first is the
 * control). The new experiment is a draft; on success the page gives way to its detail page,
 * where it is started. Written with Component().
 *
 * Parameters offered: admins all platform ones; an owner those the server scopes to merchants
 * (`merchantParameters`: ad.creative). A creative A/B test picks one of the merchant's campaigns
 * (not ended); the control is its current creative (shown, not editable) and each other variant is
 * a creative edited like the campaign editor's (image uploaded through services/upload.ts), 2–4 in
 * all; its target and guardrails are CTR or the merchant's revenue per exposed user, gross or
 * net of refunds (CREATIVE_METRICS).
 */
import type { Campaign, ExperimentMetric, ExperimentParameter } from '../../../../typings';
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { getUploader } from '../../../services/upload';
import { CREATIVE_METRICS, METRIC_LABELS, PARAMETER_LABELS } from '../../experiment-labels';
import {
  MAX_CREATIVE_VARIANTS,
  MAX_VARIANTS,
  blankCreative,
  checkForm,
  emptyForm,
  variantFieldOf,
  withCampaign,
} from './form';
import type { ExperimentForm, FormErrors } from './form';
import { serverFieldErrors } from '../campaign/form';
import type { CreativeFields } from '../campaign/form';

interface CampaignChip {
  value: string;
  label: string;
  on: boolean;
}

interface Chip {
  value: string;
  label: string;
  on: boolean;
}

/** With `loadable`'s status (loading, ready, forbidden, error) and errorMessage. */
interface NewData {
  form: ExperimentForm;
  errors: FormErrors;
  formError: string;
  submitting: boolean;
  parameterChips: Chip[];
  targetChips: Chip[];
  guardrailChips: Chip[];
  valueHint: string;
  maxVariants: number;
  forbiddenText: string;
  /** ad.creative: the merchant's campaigns that may be tested, and each variant's image for van-uploader. */
  campaignChips: CampaignChip[];
  creativeFiles: { url: string; isImage: boolean }[][];
  /** Variant index whose image is uploading, or -1. */
  uploadingIndex: number;
}

/** vant change events carry the new value as the detail itself (a string from van-field, a number from van-stepper). */
type Ev<D extends WechatMiniprogram.IAnyObject = Record<string, never>> =
  WechatMiniprogram.BaseEvent<Record<string, never>, D> & { detail: unknown };
type FieldData = { field?: 'name' | 'value'; index?: number };
type CreativeData = {
  field?: 'title' | 'description' | 'landingPath' | 'landingItemId';
  index?: number;
};
type UploadEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }> & {
  detail: {
    file?: { url?: string; tempFilePath?: string } | { url?: string; tempFilePath?: string }[];
  };
};

type NewMethods = {
  load(): Promise<void>;
  onName(e: Ev): void;
  onTraffic(e: Ev): void;
  onParameter(e: Ev<{ value?: string }>): void;
  onTarget(e: Ev<{ value?: string }>): void;
  onGuardrail(e: Ev<{ value?: string }>): void;
  onVariantInput(e: Ev<FieldData>): void;
  onVariantWeight(e: Ev<FieldData>): void;
  onAddVariant(): void;
  onRemoveVariant(e: Ev<FieldData>): void;
  onCampaign(e: Ev<{ value?: string }>): void;
  onCreativeInput(e: Ev<CreativeData>): void;
  onCreativeLanding(e: Ev<{ index?: number; value?: string }>): void;
  onCreativeImage(e: UploadEvent): Promise<void>;
  onCreativeOversize(e: Ev<{ index?: number }>): void;
  onCreativeImageDelete(e: Ev<{ index?: number }>): void;
  onSubmit(): Promise<void>;
  refresh(form: ExperimentForm): void;
  updateCreative(index: number, patch: Partial<CreativeFields>): void;
};

const PLATFORM_PARAMETERS: ExperimentParameter[] = (
  Object.keys(PARAMETER_LABELS) as ExperimentParameter[]
).filter((p) => p !== 'ad.creative');
const METRICS = Object.keys(METRIC_LABELS) as ExperimentMetric[];
const VALUE_HINT: Record<ExperimentParameter, string> = {
  'feed.diversity': '取值：多样性惩罚，0–1 之间的数，如 0.3',
  'feed.explore': '取值：探索概率，0–1 之间的数，如 0.05',
  'ads.slots': '取值：放广告的信息流位置（第几条），用逗号分隔，如 4, 11；留空表示不放广告',
  'feed.prefetch': '取值：off（不预取）、position（按位置预取）或 learned（按模型预取）',
  'ad.creative':
    '每组是一个创意：第一组为计划当前的创意（对照组），其余填写新的标题、描述、图片和落地页',
};

/** The parameters and campaigns the caller may use, set once loaded. */
let offered: { parameters: ExperimentParameter[]; campaigns: Campaign[] } = {
  parameters: PLATFORM_PARAMETERS,
  campaigns: [],
};

/** What the chips and hints show for a form: derived, so one setData keeps them in step. */
function derived(form: ExperimentForm) {
  const metrics = form.parameter === 'ad.creative' ? CREATIVE_METRICS : METRICS;
  return {
    form,
    parameterChips: offered.parameters.map((p) => ({
      value: p,
      label: PARAMETER_LABELS[p],
      on: form.parameter === p,
    })),
    campaignChips: offered.campaigns.map((c) => ({
      value: c.id,
      label: c.name,
      on: form.campaignId === c.id,
    })),
    creativeFiles: form.variants.map((v) =>
      v.creative?.image ? [{ url: getUploader().src(v.creative.image), isImage: true }] : [],
    ),
    maxVariants: form.parameter === 'ad.creative' ? MAX_CREATIVE_VARIANTS : MAX_VARIANTS,
    targetChips: metrics.map((m) => ({
      value: m,
      label: METRIC_LABELS[m],
      on: form.targetMetric === m,
    })),
    guardrailChips: metrics
      .filter((m) => m !== form.targetMetric)
      .map((m) => ({
        value: m,
        label: METRIC_LABELS[m],
        on: form.guardrails.includes(m),
      })),
    valueHint: VALUE_HINT[form.parameter],
  };
}

const EXPERIMENT_PAGE = '/merchant/pages/experiment/index';

Component<
  NewData,
  Record<string, never>,
  NewMethods,
  [typeof loadable],
  Record<string, never>,
  true
>({
  behaviors: [loadable],

  data: {
    ...derived(emptyForm()),
    errors: {},
    formError: '',
    submitting: false,
    forbiddenText: '只有商家所有者可以创建实验',
    uploadingIndex: -1,
  },

  methods: {
    async load() {
      try {
        const api = getApi();
        const me = await callAction('merchant', { action: 'me' });
        const owner = me.membership?.role === 'owner';
        if (!me.admin && !owner) {
          this.setData({ status: 'forbidden', forbiddenText: '只有商家所有者可以创建实验' });
          return;
        }
        // An owner's merchant: which parameters it may vary, and its campaigns for a creative test.
        let campaigns: Campaign[] = [];
        let merchantParameters: ExperimentParameter[] = [];
        if (owner) {
          const [list, cs] = await Promise.all([
            api.call('merchant', { action: 'experiment.list' }),
            api.call('merchant', { action: 'campaign.list' }),
          ]);
          if (list.action !== 'experiment.list' || cs.action !== 'campaign.list')
            throw new Error('unexpected answer');
          merchantParameters = list.merchantParameters;
          campaigns = cs.campaigns.filter((c) => c.status !== 'ended');
        }
        const parameters = me.admin
          ? [
              ...PLATFORM_PARAMETERS,
              ...merchantParameters.filter((p) => !PLATFORM_PARAMETERS.includes(p)),
            ]
          : merchantParameters;
        if (parameters.length === 0) {
          this.setData({ status: 'forbidden', forbiddenText: '目前没有商家可以做实验的参数' });
          return;
        }
        offered = { parameters, campaigns };
        this.setData({ status: 'ready', ...derived({ ...emptyForm(), parameter: parameters[0] }) });
      } catch (err) {
        this.showFailure(err);
      }
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
      // Values mean different things per parameter: switching clears them (a creative test starts again from two).
      if (!p || p === this.data.form.parameter) return;
      const fresh = emptyForm();
      const variants =
        p === 'ad.creative'
          ? fresh.variants
          : this.data.form.variants.map((v) => ({ ...v, value: '', creative: blankCreative() }));
      this.refresh({
        ...this.data.form,
        parameter: p,
        campaignId: '',
        variants,
        ...(p === 'ad.creative' ? { targetMetric: 'ctr' as const, guardrails: [] } : {}),
      });
    },

    onCampaign(e) {
      const c = offered.campaigns.find((x) => x.id === e.currentTarget.dataset.value);
      if (c) this.refresh(withCampaign(this.data.form, c));
    },

    updateCreative(index, patch) {
      // The control is the campaign's creative: not edited here.
      if (index < 1 || index >= this.data.form.variants.length) return;
      const variants = this.data.form.variants.map((v, i) =>
        i === index ? { ...v, creative: { ...(v.creative ?? blankCreative()), ...patch } } : v,
      );
      this.refresh({ ...this.data.form, variants });
    },

    onCreativeInput(e) {
      const { field, index } = e.currentTarget.dataset;
      if (field !== undefined && index !== undefined)
        this.updateCreative(Number(index), { [field]: String(e.detail) });
    },

    onCreativeLanding(e) {
      const kind = String(e.detail) === 'item' ? 'item' : 'page';
      this.updateCreative(Number(e.currentTarget.dataset.index), { landingKind: kind });
    },

    /** van-uploader hands over the picked temp file; it goes to cloud storage or the local host, as in the campaign editor. */
    async onCreativeImage(e) {
      const index = Number(e.currentTarget.dataset.index);
      const file = Array.isArray(e.detail.file) ? e.detail.file[0] : e.detail.file;
      const path = file?.url ?? file?.tempFilePath;
      if (!path || index < 1 || this.data.uploadingIndex !== -1) return;
      const key = `variant_${index}_creative_image`;
      this.setData({ uploadingIndex: index, errors: { ...this.data.errors, [key]: '' } });
      try {
        const image = await getUploader().upload(path);
        this.setData({ uploadingIndex: -1 });
        this.updateCreative(index, { image });
      } catch (err) {
        this.setData({
          uploadingIndex: -1,
          errors: { ...this.data.errors, [key]: toApiError(err).message },
        });
      }
    },

    onCreativeOversize(e) {
      this.setData({
        errors: {
          ...this.data.errors,
          [`variant_${Number(e.currentTarget.dataset.index)}_creative_image`]: '图片不能超过 2 MB',
        },
      });
    },

    onCreativeImageDelete(e) {
      this.updateCreative(Number(e.currentTarget.dataset.index), { image: '' });
    },

    onTarget(e) {
      const m = e.currentTarget.dataset.value as ExperimentMetric | undefined;
      if (m)
        this.refresh({
          ...this.data.form,
          targetMetric: m,
          guardrails: this.data.form.guardrails.filter((g) => g !== m),
        });
    },

    onGuardrail(e) {
      const m = e.currentTarget.dataset.value as ExperimentMetric | undefined;
      if (!m) return;
      const g = this.data.form.guardrails;
      this.refresh({
        ...this.data.form,
        guardrails: g.includes(m) ? g.filter((x) => x !== m) : [...g, m],
      });
    },

    onVariantInput(e) {
      const { field, index } = e.currentTarget.dataset;
      if (field === undefined || index === undefined) return;
      const variants = this.data.form.variants.map((v, i) =>
        i === Number(index) ? { ...v, [field]: String(e.detail) } : v,
      );
      this.refresh({ ...this.data.form, variants });
    },

    onVariantWeight(e) {
      const index = Number(e.currentTarget.dataset.index);
      const variants = this.data.form.variants.map((v, i) =>
        i === index ? { ...v, weight: Number(e.detail) } : v,
      );
      this.refresh({ ...this.data.form, variants });
    },

    onAddVariant() {
      const vs = this.data.form.variants;
      if (vs.length >= this.data.maxVariants) return;
      this.refresh({
        ...this.data.form,
        variants: [
          ...vs,
          { name: `variant${vs.length}`, weight: 1, value: '', creative: blankCreative() },
        ],
      });
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
        const res = await callAction('merchant', {
          action: 'experiment.create',
          experiment: checked.input,
        });
        this.setData({ submitting: false });
        wx.showToast({ title: '已创建草稿', icon: 'success' });
        wx.redirectTo({
          url: `${EXPERIMENT_PAGE}?experimentId=${encodeURIComponent(res.experiment.id)}`,
        });
      } catch (err) {
        const e = toApiError(err);
        // A refusal naming a variant's creative field shows under that field; the rest above the form.
        const mapped =
          e.code === 'INVALID_INPUT' ? serverFieldErrors(e.message, variantFieldOf) : null;
        this.setData(
          mapped && Object.keys(mapped.errors).length > 0
            ? {
                submitting: false,
                errors: mapped.errors as FormErrors,
                formError: mapped.rest.join('；') || '请先修改标红的项',
              }
            : { submitting: false, formError: e.message },
        );
      }
    },
  },
});
