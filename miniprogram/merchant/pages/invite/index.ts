/**
 * Invitation codes: someone without a merchant redeems one (`invite.redeem`) and lands on the
 * merchant home; an owner creates codes for staff, and a platform admin creates merchants and
 * codes for owners or staff of any merchant (`merchant.create`, `invite.create`). A new code is
 * shown once (only its hash is stored) with a copy button.
 */
import type { MerchantRole } from '../../../../typings';
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { dateTime } from '../../../services/format';
import { codeProblem, groupCode, normaliseCode, plainMessage } from './code';

export const HOME_URL = '/merchant/pages/home/index';

/** With `loadable`'s status (loading, ready, error) and errorMessage. */
interface InviteData {
  /** Can redeem: no merchant yet. */
  canRedeem: boolean;
  /** Can create codes: an owner (staff codes for its merchant) or an admin (any merchant, any role). */
  canInvite: boolean;
  admin: boolean;
  memberText: string;
  code: string;
  codeError: string;
  redeeming: boolean;
  merchantName: string;
  merchantNameError: string;
  creatingMerchant: boolean;
  inviteMerchantId: string;
  inviteMerchantIdError: string;
  /** Admin: the merchants to pick from (merchant.list), their names for the picker, the one picked. */
  merchants: { id: string; name: string }[];
  merchantNames: string[];
  inviteMerchantName: string;
  pickingMerchant: boolean;
  inviteRole: MerchantRole;
  creating: boolean;
  createError: string;
  /** The new code, grouped, and when it expires. */
  created: { code: string; shown: string; expires: string } | null;
}

type Ev<D = unknown> = WechatMiniprogram.BaseEvent & { detail: D };

type InviteMethods = {
  load(): Promise<void>;
  onCodeInput(e: Ev<string>): void;
  onRedeem(): Promise<void>;
  onMerchantNameInput(e: Ev<string>): void;
  onCreateMerchant(): Promise<void>;
  onOpenMerchants(): void;
  onCloseMerchants(): void;
  onMerchantPick(e: Ev<{ index: number }>): void;
  onRoleChange(e: Ev<string>): void;
  onCreateInvite(): Promise<void>;
  onCopy(): void;
};

const ROLE_TEXT: Record<MerchantRole, string> = { owner: '所有者', staff: '员工' };

Component<
  InviteData,
  Record<string, never>,
  InviteMethods,
  [typeof loadable],
  Record<string, never>,
  true
>({
  behaviors: [loadable],

  data: {
    canRedeem: false,
    canInvite: false,
    admin: false,
    memberText: '',
    code: '',
    codeError: '',
    redeeming: false,
    merchantName: '',
    merchantNameError: '',
    creatingMerchant: false,
    inviteMerchantId: '',
    inviteMerchantIdError: '',
    merchants: [],
    merchantNames: [],
    inviteMerchantName: '',
    pickingMerchant: false,
    inviteRole: 'staff',
    creating: false,
    createError: '',
    created: null,
  },

  methods: {
    async load() {
      try {
        const me = await callAction('merchant', { action: 'me' });
        const m = me.membership;
        // An admin picks the merchant a code is for from the list, never types its id.
        const list = me.admin ? await getApi().call('merchant', { action: 'merchant.list' }) : null;
        const merchants =
          list && list.action === 'merchant.list'
            ? list.merchants.map((x) => ({ id: x.id, name: x.name }))
            : [];
        this.setData({
          merchants,
          merchantNames: merchants.map((x) => x.name),
          status: 'ready',
          admin: me.admin,
          canRedeem: !m,
          canInvite: me.admin || m?.role === 'owner',
          memberText: m ? `你是「${me.merchant?.name ?? m.merchantId}」的${ROLE_TEXT[m.role]}` : '',
          inviteMerchantId: m?.merchantId ?? '',
          inviteRole: 'staff',
        });
      } catch (err) {
        this.showFailure(err);
      }
    },

    onCodeInput(e) {
      this.setData({ code: e.detail, codeError: '' });
    },

    /** The server says why a code does not work (expired, used, already a member); on success, the merchant home. */
    async onRedeem() {
      if (this.data.redeeming) return;
      const problem = codeProblem(this.data.code);
      if (problem) {
        this.setData({ codeError: problem });
        return;
      }
      this.setData({ redeeming: true, codeError: '' });
      try {
        const res = await getApi().call('merchant', {
          action: 'invite.redeem',
          code: normaliseCode(this.data.code),
        });
        if (res.action !== 'invite.redeem') throw new Error('unexpected answer');
        this.setData({ redeeming: false });
        wx.showToast({ title: `已加入${res.merchant.name}`, icon: 'success' });
        wx.redirectTo({ url: HOME_URL });
      } catch (err) {
        this.setData({ redeeming: false, codeError: plainMessage(toApiError(err).message) });
      }
    },

    onMerchantNameInput(e) {
      this.setData({ merchantName: e.detail, merchantNameError: '' });
    },

    /** Admin: a new merchant, whose id then fills the invitation form (an owner code comes next). */
    async onCreateMerchant() {
      if (this.data.creatingMerchant) return;
      const name = this.data.merchantName.trim();
      if (!name || name.length > 50) {
        this.setData({ merchantNameError: name ? '商家名称最多 50 字' : '请输入商家名称' });
        return;
      }
      this.setData({ creatingMerchant: true });
      try {
        const res = await callAction('merchant', { action: 'merchant.create', name });
        const merchants = [
          { id: res.merchant.id, name: res.merchant.name },
          ...this.data.merchants,
        ];
        this.setData({
          creatingMerchant: false,
          merchantName: '',
          merchants,
          merchantNames: merchants.map((x) => x.name),
          inviteMerchantId: res.merchant.id,
          inviteMerchantName: res.merchant.name,
          inviteMerchantIdError: '',
          inviteRole: 'owner',
        });
        wx.showToast({ title: '商家已创建', icon: 'success' });
      } catch (err) {
        this.setData({
          creatingMerchant: false,
          merchantNameError: plainMessage(toApiError(err).message),
        });
      }
    },

    onOpenMerchants() {
      this.setData({ pickingMerchant: true });
    },

    onCloseMerchants() {
      this.setData({ pickingMerchant: false });
    },

    onMerchantPick(e) {
      const m = this.data.merchants[e.detail.index];
      if (!m) return;
      this.setData({
        pickingMerchant: false,
        inviteMerchantId: m.id,
        inviteMerchantName: m.name,
        inviteMerchantIdError: '',
      });
    },

    onRoleChange(e) {
      this.setData({ inviteRole: e.detail === 'owner' ? 'owner' : 'staff' });
    },

    async onCreateInvite() {
      if (this.data.creating) return;
      const merchantId = this.data.inviteMerchantId;
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(merchantId)) {
        this.setData({ inviteMerchantIdError: '请选择商家' });
        return;
      }
      // Owners may only invite staff; the server refuses anything else too.
      const role: MerchantRole = this.data.admin ? this.data.inviteRole : 'staff';
      this.setData({ creating: true, createError: '', created: null });
      try {
        const res = await callAction('merchant', { action: 'invite.create', merchantId, role });
        this.setData({
          creating: false,
          created: { code: res.code, shown: groupCode(res.code), expires: dateTime(res.expiresAt) },
        });
      } catch (err) {
        this.setData({ creating: false, createError: plainMessage(toApiError(err).message) });
      }
    },

    onCopy() {
      const created = this.data.created;
      if (!created) return;
      wx.setClipboardData({
        data: created.code,
        success: () => wx.showToast({ title: '邀请码已复制', icon: 'success' }),
      });
    },
  },
});
