/**
 * Members and invitations (subpackage `merchant`), for a merchant's owners and platform admins:
 * the members by role and display name (never an openid) with removal, the open invitation codes
 * with revocation, and a link to create a new code. Each removal or revocation is confirmed first
 * and lands in the merchant's audit log on the server (`member.remove`, `invite.revoke`).
 */
import type { InvitationView, MemberView, MerchantRole } from '../../../../typings';
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { confirmModal } from '../../../services/confirm';
import { dateTime } from '../../../services/format';

export const INVITE_URL = '/merchant/pages/invite/index';

const ROLE_TEXT: Record<MerchantRole, string> = { owner: '所有者', staff: '员工' };

interface MemberRow {
  memberId: string;
  name: string;
  roleText: string;
  joined: string;
  you: boolean;
  /** Owners remove staff; only an admin removes an owner; nobody removes themself (the server checks too). */
  removable: boolean;
}

interface InviteRow {
  inviteId: string;
  roleText: string;
  expires: string;
}

/** With `loadable`'s status (loading, ready, error; denied: neither an owner nor an admin) and errorMessage. */
interface MembersData {
  merchantId: string;
  merchantName: string;
  members: MemberRow[];
  invitations: InviteRow[];
  /** The member or invitation whose removal is in flight. */
  busyId: string;
  actionError: string;
}

type TapEvent = WechatMiniprogram.BaseEvent & {
  currentTarget: { dataset: Record<string, string> };
};

type MembersMethods = {
  onLoad(query?: Record<string, string>): Promise<void>;
  onShow(): Promise<void>;
  load(): Promise<void>;
  onRemove(e: TapEvent): Promise<void>;
  onRevoke(e: TapEvent): Promise<void>;
  onInvite(): void;
};

interface MembersInstance {
  admin: boolean;
}

export function memberRows(members: MemberView[], admin: boolean): MemberRow[] {
  return members.map((m) => ({
    memberId: m.memberId,
    name: m.displayName,
    roleText: ROLE_TEXT[m.role],
    joined: dateTime(m.joinedAt),
    you: m.you,
    removable: !m.you && (m.role === 'staff' || admin),
  }));
}

export const inviteRows = (invitations: InvitationView[]): InviteRow[] =>
  invitations.map((i) => ({
    inviteId: i.inviteId,
    roleText: ROLE_TEXT[i.role],
    expires: dateTime(i.expiresAt),
  }));

Component<
  MembersData,
  Record<string, never>,
  MembersMethods,
  [typeof loadable],
  MembersInstance,
  true
>({
  behaviors: [loadable],

  data: {
    merchantId: '',
    merchantName: '',
    members: [],
    invitations: [],
    busyId: '',
    actionError: '',
  },

  methods: {
    /** An admin names the merchant (`?merchantId=`); an owner manages their own. */
    async onLoad(query) {
      this.admin = false;
      this.setData({ merchantId: query?.merchantId ?? '' });
      await this.load();
    },

    async onShow() {
      await this.reloadOnReturn();
    },

    async load() {
      try {
        const api = getApi();
        const me = await callAction('merchant', { action: 'me' });
        this.admin = me.admin;
        const own = me.membership?.role === 'owner' ? me.membership.merchantId : '';
        const merchantId = this.data.merchantId || own;
        if (!merchantId || !(me.admin || merchantId === own)) {
          this.setData({ status: 'denied' });
          return;
        }
        const [members, invitations] = await Promise.all([
          api.call('merchant', { action: 'member.list', merchantId }),
          api.call('merchant', { action: 'invite.list', merchantId }),
        ]);
        if (members.action !== 'member.list' || invitations.action !== 'invite.list')
          throw new Error('unexpected answer');
        this.setData({
          status: 'ready',
          merchantId,
          merchantName: me.merchant?.id === merchantId ? me.merchant.name : merchantId,
          members: memberRows(members.members, me.admin),
          invitations: inviteRows(invitations.invitations),
          actionError: '',
        });
      } catch (err) {
        this.showFailure(err);
      }
    },

    /** Removal takes effect at the member's next call; the list then shows who is left. */
    async onRemove(e) {
      const row = this.data.members.find((m) => m.memberId === e.currentTarget.dataset.id);
      if (!row || this.data.busyId) return;
      const ok = await confirmModal({
        title: '移除成员',
        content: `移除后「${row.name}」将不能再查看或管理本商家的广告计划和报表。确定移除吗？`,
        confirmText: '移除',
        confirmColor: '#ee0a24',
      });
      if (!ok) return;
      this.setData({ busyId: row.memberId, actionError: '' });
      try {
        await getApi().call('merchant', {
          action: 'member.remove',
          merchantId: this.data.merchantId,
          memberId: row.memberId,
        });
        this.setData({ busyId: '' });
        wx.showToast({ title: '已移除', icon: 'success' });
        await this.load();
      } catch (err) {
        this.setData({ busyId: '', actionError: toApiError(err).message });
      }
    },

    async onRevoke(e) {
      const row = this.data.invitations.find((i) => i.inviteId === e.currentTarget.dataset.id);
      if (!row || this.data.busyId) return;
      const ok = await confirmModal({
        title: '撤销邀请码',
        content: `撤销后这个${row.roleText}邀请码将不能再使用。确定撤销吗？`,
        confirmText: '撤销',
        confirmColor: '#ee0a24',
      });
      if (!ok) return;
      this.setData({ busyId: row.inviteId, actionError: '' });
      try {
        await getApi().call('merchant', {
          action: 'invite.revoke',
          merchantId: this.data.merchantId,
          inviteId: row.inviteId,
        });
        this.setData({ busyId: '' });
        wx.showToast({ title: '已撤销', icon: 'success' });
        await this.load();
      } catch (err) {
        this.setData({ busyId: '', actionError: toApiError(err).message });
      }
    },

    onInvite() {
      wx.navigateTo({ url: INVITE_URL });
    },
  },
});
