/**
 * The campaign editor (`?campaignId=` edits, none creates): name, creative with image upload,
 * targeting picker, bid and budgets in yuan (sent in fen), schedule. Owners edit; staff and
 * ended campaigns are shown read-only (the server enforces the same). Field errors come from the
 * form's own checks first, then from the server's answer mapped onto the same fields. An edit
 * carries the campaign revision the page loaded: if someone changed the campaign meanwhile the
 * server answers CONFLICT and the page shows its message (reload, then edit) instead of
 * overwriting their change.
 */
import { askSubscribe } from '../../../services/subscribe';
import type {
  CampaignInput,
  CampaignScene,
  MerchantRole,
  TargetingOptions,
} from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { getUploader } from '../../../services/upload';
import { ageBandLabel } from '../../../services/audience';
import {
  AGE_BANDS,
  BID_MAX_FEN,
  BUDGET_MAX_FEN,
  GENDERS,
  LIKELY_BUYERS,
  SCENES,
  TARGET_MAX_FEN,
  blankForm,
  formOf,
  patchOf,
  serverFieldErrors,
  toInput,
  validate,
} from './form';
import type { CampaignForm, FieldErrors } from './form';
import { interestChoices, sceneHint, sceneWarning } from './view';

export const HOME_URL = '/merchant/pages/home/index';

interface Chip {
  value: string;
  label: string;
  on: boolean;
  /** Outside the deployment's scene (an interest that alone never serves here): shown muted. */
  off?: boolean;
}

/** With `loadable`'s status (loading, ready, error, guest: not a merchant member) and errorMessage. */
interface EditorData {
  campaignId: string;
  /** Why the form is read-only ('' when editable). */
  readonlyReason: string;
  form: CampaignForm;
  errors: FieldErrors;
  /** Server problems that name no field. */
  formError: string;
  saving: boolean;
  uploading: boolean;
  /** van-uploader's list: the current image, shown through the uploader's src(). */
  fileList: { url: string; isImage: boolean }[];
  chips: {
    interestTags: Chip[];
    genders: Chip[];
    ageBands: Chip[];
    scenes: Chip[];
    hours: Chip[];
  };
  /** The likely-buyers choices (a radio group bound to form.likelyBuyers). */
  likelyBuyerOptions: typeof LIKELY_BUYERS;
  bidMax: number;
  /** The oCPC target stepper's maximum, yuan. */
  targetMax: number;
  budgetMax: number;
  /** The outcome of asking for budget / ending notices (订阅消息). */
  notifyText: string;
  /** Under a scene serving only its categories: how to target so the campaign serves ('' otherwise). */
  sceneHint: string;
  /** The notice when the targeting would not serve in the deployment's scene ('' when it would). */
  sceneWarning: string;
}

type Ev<D = unknown> = WechatMiniprogram.BaseEvent & { detail: D };
type DatasetEv<D = unknown> = Ev<D> & { currentTarget: { dataset: Record<string, string> } };

type EditorMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  load(): Promise<void>;
  onInput(e: DatasetEv<string>): void;
  onStepper(e: DatasetEv<number | string>): void;
  onDate(e: DatasetEv<{ value: string }>): void;
  onLandingKind(e: Ev<string>): void;
  onBiddingMode(e: Ev<string>): void;
  onChip(e: DatasetEv): void;
  onLikelyBuyers(e: Ev<number | string>): void;
  onAllDay(): void;
  onAfterRead(
    e: Ev<{
      file: { url?: string; tempFilePath?: string } | { url?: string; tempFilePath?: string }[];
    }>,
  ): Promise<void>;
  onOversize(): void;
  onDeleteImage(): void;
  onSave(): Promise<void>;
  onAskNotices(): Promise<void>;
  render(form: CampaignForm): void;
};

interface EditorInstance {
  /** The stored campaign's input (editing), to send only what changed. */
  original: CampaignInput | null;
  /** The stored campaign's revision when loaded (editing; absent on old campaigns: 0). */
  revision: number;
  options: TargetingOptions;
  /** The stored campaign is a risk-rated product (set on the server; the form does not edit it). */
  rated: boolean;
  /** The deployment's scene (null until told, or when the options could not be read). */
  scene: CampaignScene | null;
  now: () => number;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const GROUPS = ['interestTags', 'genders', 'ageBands', 'scenes', 'hours'] as const;
type Group = (typeof GROUPS)[number];

function chips(
  values: { value: string | number; label: string }[],
  selected: (string | number)[],
): Chip[] {
  return values.map((v) => ({
    value: String(v.value),
    label: v.label,
    on: selected.includes(v.value),
  }));
}

Component<
  EditorData,
  Record<string, never>,
  EditorMethods,
  [typeof loadable],
  EditorInstance,
  true
>({
  behaviors: [loadable],

  data: {
    campaignId: '',
    readonlyReason: '',
    form: blankForm(Date.now()),
    errors: {},
    formError: '',
    saving: false,
    uploading: false,
    fileList: [],
    chips: { interestTags: [], genders: [], ageBands: [], scenes: [], hours: [] },
    likelyBuyerOptions: LIKELY_BUYERS,
    bidMax: BID_MAX_FEN / 100,
    targetMax: TARGET_MAX_FEN / 100,
    budgetMax: BUDGET_MAX_FEN / 100,
    notifyText: '',
    sceneHint: '',
    sceneWarning: '',
  },

  lifetimes: {
    created() {
      this.original = null;
      this.revision = 0;
      this.options = { categories: [], tags: [] };
      this.scene = null;
      this.rated = false;
      this.now = () => Date.now();
    },
  },

  methods: {
    async onLoad(query) {
      this.setData({ campaignId: query?.campaignId ?? '' });
      await this.load();
    },

    /** Who the caller is, the targeting vocabulary and (editing) the campaign, together. */
    async load() {
      const api = getApi();
      const id = this.data.campaignId;
      try {
        const [me, options, got] = await Promise.all([
          api.call('merchant', { action: 'me' }),
          api.call('merchant', { action: 'targeting.options' }).catch(() => null),
          id
            ? api.call('merchant', { action: 'campaign.get', campaignId: id })
            : Promise.resolve(null),
        ]);
        if (me.action !== 'me') throw new Error('unexpected answer');
        if (!me.membership) {
          this.setData({ status: 'guest' });
          return;
        }
        if (options?.action === 'targeting.options') {
          this.options = options.options;
          this.scene = options.scene ?? null;
        }
        const campaign = got && 'campaign' in got ? got.campaign : null;
        const role: MerchantRole = me.membership.role;
        const readonlyReason =
          role !== 'owner'
            ? '员工可以查看广告计划，修改请联系商家所有者'
            : campaign?.status === 'ended'
              ? '已结束的广告计划不能修改'
              : '';
        const form = campaign ? formOf(campaign) : blankForm(this.now());
        // The stored campaign as the form would send it unchanged: only real edits make a patch.
        this.original = campaign ? toInput(form) : null;
        this.revision = campaign?.revision ?? 0;
        this.rated = campaign?.riskLevel !== undefined;
        this.setData({
          status: 'ready',
          readonlyReason,
          errors: {},
          formError: '',
          sceneHint: sceneHint(this.scene),
        });
        this.render(form);
      } catch (err) {
        this.showFailure(err);
      }
    },

    /** One setData for the form and everything drawn from it (chips, image preview, the scene's notice). */
    render(form) {
      const interests = interestChoices(
        [...this.options.categories, ...this.options.tags, ...form.interestTags],
        this.scene,
      );
      this.setData({
        form,
        fileList: form.image ? [{ url: getUploader().src(form.image), isImage: true }] : [],
        sceneWarning: sceneWarning(this.scene, {
          interestTags: form.interestTags,
          landsOnItem: form.landingKind === 'item',
          rated: this.rated,
        }),
        chips: {
          interestTags: interests.map((t) => ({
            value: t.value,
            label: t.value,
            on: form.interestTags.includes(t.value),
            off: t.off,
          })),
          genders: chips([...GENDERS], form.genders),
          ageBands: chips(
            AGE_BANDS.map((b) => ({ value: b, label: ageBandLabel(b) })),
            form.ageBands,
          ),
          scenes: chips(SCENES, form.scenes),
          hours: chips(
            HOURS.map((h) => ({ value: h, label: `${h}` })),
            form.hours,
          ),
        },
      });
    },

    onInput(e) {
      const field = e.currentTarget.dataset.field as keyof CampaignForm;
      this.setData({ [`form.${field}`]: e.detail });
    },

    onStepper(e) {
      const field = e.currentTarget.dataset.field as keyof CampaignForm;
      this.setData({ [`form.${field}`]: String(e.detail) });
    },

    onDate(e) {
      const field = e.currentTarget.dataset.field as keyof CampaignForm;
      this.setData({ [`form.${field}`]: e.detail.value });
    },

    onLandingKind(e) {
      if (this.data.readonlyReason) return;
      // Through render: whether the scene serves the campaign may depend on its landing.
      this.render({ ...this.data.form, landingKind: e.detail === 'item' ? 'item' : 'page' });
    },

    onBiddingMode(e) {
      if (this.data.readonlyReason) return;
      this.setData({ 'form.biddingMode': e.detail === 'ocpc' ? 'ocpc' : 'cpc' });
    },

    /** Toggles one value of a multi-select group (tags, genders, age bands, scenes, hours). */
    onChip(e) {
      if (this.data.readonlyReason) return;
      const group = e.currentTarget.dataset.group as Group;
      if (!GROUPS.includes(group)) return;
      const raw = e.currentTarget.dataset.value;
      const value = group === 'scenes' || group === 'hours' ? Number(raw) : raw;
      const list = this.data.form[group] as (string | number)[];
      const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
      this.render({ ...this.data.form, [group]: next });
    },

    /** Picks the likely-buyers share (a single choice; 不限 clears it). */
    onLikelyBuyers(e) {
      if (this.data.readonlyReason) return;
      const share = Number(e.detail);
      if (!LIKELY_BUYERS.some((o) => o.value === share)) return;
      this.render({ ...this.data.form, likelyBuyers: share });
    },

    onAllDay() {
      if (this.data.readonlyReason) return;
      this.render({ ...this.data.form, hours: [] });
    },

    /** van-uploader hands over the picked temp file; it goes to cloud storage or the local host. */
    async onAfterRead(e) {
      const file = Array.isArray(e.detail.file) ? e.detail.file[0] : e.detail.file;
      const path = file?.url ?? file?.tempFilePath;
      if (!path || this.data.readonlyReason) return;
      this.setData({ uploading: true, 'errors.creative_image': '' });
      try {
        const image = await getUploader().upload(path);
        this.setData({ uploading: false });
        this.render({ ...this.data.form, image });
      } catch (err) {
        this.setData({ uploading: false, 'errors.creative_image': toApiError(err).message });
      }
    },

    onOversize() {
      this.setData({ 'errors.creative_image': '图片不能超过 2 MB' });
    },

    onDeleteImage() {
      if (this.data.readonlyReason) return;
      this.render({ ...this.data.form, image: '' });
    },

    /** 预算用完/即将结束时通知我: a tap, as wx.requestSubscribeMessage requires. */
    async onAskNotices() {
      const asked = await askSubscribe(['budget', 'ending'], '广告预算用完或即将结束');
      this.setData({ notifyText: asked.message });
    },

    async onSave() {
      if (this.data.saving || this.data.readonlyReason) return;
      const now = this.now();
      const { input, errors } = validate(this.data.form, now, this.original ?? undefined);
      this.setData({ errors, formError: '' });
      if (!input) {
        wx.showToast({ title: '请先修正标红的项目', icon: 'none' });
        return;
      }
      const id = this.data.campaignId;
      const patch = this.original ? patchOf(this.original, input) : null;
      if (patch && Object.keys(patch).length === 0) {
        wx.showToast({ title: '没有修改', icon: 'none' });
        return;
      }
      this.setData({ saving: true });
      try {
        const res =
          id && patch
            ? await getApi().call('merchant', {
                action: 'campaign.update',
                campaignId: id,
                patch,
                expectedRevision: this.revision,
              })
            : await getApi().call('merchant', { action: 'campaign.create', campaign: input });
        if (!('campaign' in res)) throw new Error('unexpected answer');
        this.original = { ...input };
        this.revision = res.campaign.revision ?? 0;
        this.setData({ saving: false, campaignId: res.campaign.id });
        wx.showToast({ title: '已保存', icon: 'success' });
        wx.navigateBack({ fail: () => wx.redirectTo({ url: HOME_URL }) });
      } catch (err) {
        const e = toApiError(err);
        if (e.code === 'INVALID_INPUT') {
          const mapped = serverFieldErrors(e.message);
          this.setData({ saving: false, errors: mapped.errors, formError: mapped.rest.join('；') });
        } else {
          this.setData({ saving: false, formError: e.message });
        }
        wx.showToast({ title: e.message, icon: 'none' });
      }
    },
  },
});
