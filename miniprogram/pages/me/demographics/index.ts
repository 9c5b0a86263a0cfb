/**
 * The Me page's "广告偏好" section: gender (van-radio), age band (van-picker in a van-popup) and
 * city (van-field) the user may share for ad targeting, through `account` demographics.get /
 * set / clear. Folded at first, so opening the page costs no extra request; unfolding loads what
 * is shared. Saving sends what is filled in (nothing filled in withdraws it all); 撤回全部
 * withdraws at once. The server's answer is what the section shows afterwards.
 */
import { foldable } from '../../../behaviors/loadable';
import { measuredPart } from '../../../behaviors/measured';
import type { AccountResponse, Demographics } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import {
  AGE_COLUMN,
  EMPTY_FORM,
  ageAt,
  ageIndexOf,
  ageLabel,
  cityError,
  formOf,
  isEmpty,
  saveRequest,
} from './view';
import type { ShareForm } from './view';

/** With `foldable`'s expanded, status (idle, loading, ready, error) and errorMessage. */
interface ShareData {
  form: ShareForm;
  ageText: string;
  ageColumn: readonly string[];
  ageIndex: number;
  pickingAge: boolean;
  cityError: string;
  /** Something is shared on the server (撤回全部 shows). */
  shared: boolean;
  saving: boolean;
  message: string;
}

type Detail<T> = WechatMiniprogram.BaseEvent & { detail: T };

type ShareMethods = {
  load(): Promise<void>;
  show(d: Demographics): void;
  onGender(e: Detail<ShareForm['gender']>): void;
  onOpenAge(): void;
  onCloseAge(): void;
  onAgeConfirm(e: Detail<{ index: number }>): void;
  onCity(e: Detail<string>): void;
  onSave(): Promise<void>;
  onClear(): Promise<void>;
  send(form: ShareForm | null): Promise<void>;
};

function demographicsOf(res: AccountResponse): Demographics {
  if ('demographics' in res) return res.demographics;
  throw new Error('unexpected answer');
}

Component<ShareData, Record<string, never>, ShareMethods, [typeof measuredPart, typeof foldable]>({
  // Its named taps are counted (services/features.ts) and its setData in its page's meter; its toggle loads it when first unfolded.
  behaviors: [measuredPart, foldable],
  data: {
    form: { ...EMPTY_FORM },
    ageText: ageLabel(''),
    ageColumn: AGE_COLUMN,
    ageIndex: 0,
    pickingAge: false,
    cityError: '',
    shared: false,
    saving: false,
    message: '',
  },

  methods: {
    async load() {
      try {
        this.show(demographicsOf(await getApi().call('account', { action: 'demographics.get' })));
        this.setData({ status: 'ready' });
      } catch (err) {
        this.showFailure(err);
      }
    },

    show(d) {
      const form = formOf(d);
      this.setData({
        form,
        ageText: ageLabel(form.ageBand),
        ageIndex: ageIndexOf(form.ageBand),
        shared: !isEmpty(d),
        cityError: '',
      });
    },

    onGender(e) {
      this.setData({ 'form.gender': e.detail, message: '' });
    },

    onOpenAge() {
      this.setData({ pickingAge: true, ageIndex: ageIndexOf(this.data.form.ageBand) });
    },

    onCloseAge() {
      this.setData({ pickingAge: false });
    },

    onAgeConfirm(e) {
      const band = ageAt(e.detail.index);
      this.setData({
        'form.ageBand': band,
        ageText: ageLabel(band),
        pickingAge: false,
        message: '',
      });
    },

    onCity(e) {
      this.setData({ 'form.city': e.detail, cityError: cityError(e.detail), message: '' });
    },

    async onSave() {
      const error = cityError(this.data.form.city);
      if (error) {
        this.setData({ cityError: error });
        return;
      }
      await this.send(this.data.form);
    },

    async onClear() {
      await this.send(null);
    },

    /** null: withdraw everything. */
    async send(form) {
      if (this.data.saving) return;
      this.setData({ saving: true, message: '' });
      try {
        const req = form ? saveRequest(form) : ({ action: 'demographics.clear' } as const);
        const d = demographicsOf(await getApi().call('account', req));
        this.show(d);
        this.setData({
          saving: false,
          message: isEmpty(d) ? '已撤回，广告不再使用这些信息' : '已保存',
        });
      } catch (err) {
        this.setData({ saving: false, message: toApiError(err).message });
      }
    },
  },
});
