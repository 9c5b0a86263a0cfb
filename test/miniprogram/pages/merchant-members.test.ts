/**
 * The members page in miniprogram-simulate with real @vant/weapp components and a scripted
 * `merchant` client: an owner's members by role and display name (no openid), removing staff
 * (confirmed, then the list again), revoking an invitation, the server's refusal shown, an
 * admin removing an owner of a merchant named in the query, staff turned away, and the link to
 * create a code.
 */
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/members/index.json';
import type { InvitationView, MemberView, MerchantResponse } from '../../../typings';
import { loadWithVant } from '../helpers/vant';
import { answerModal, open, tap, type Page } from '../merchant/page-helpers';
import { NOW, meAdmin, meOwner, meStaff, stubMerchant, texts } from '../merchant/campaign-fixtures';

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant(
    'merchant/pages/members/index',
    'merchant-members',
    pageJson.usingComponents,
  );
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

const OWNER: MemberView = {
  memberId: 'a1b2c3d4e5f6a7b8c9d0',
  role: 'owner',
  displayName: '所有者 A1B2C3',
  joinedAt: NOW - 86_400_000,
  you: true,
};
const STAFF: MemberView = {
  memberId: 'ffee00112233445566aa',
  role: 'staff',
  displayName: '员工 FFEE00',
  joinedAt: NOW,
  you: false,
};
const INVITE: InvitationView = {
  inviteId: '0123456789abcdef01234567',
  role: 'staff',
  createdAt: NOW,
  expiresAt: NOW + 7 * 86_400_000,
};

const members = (list: MemberView[]): MerchantResponse => ({
  action: 'member.list',
  members: list,
});
const invitations = (list: InvitationView[]): MerchantResponse => ({
  action: 'invite.list',
  invitations: list,
});

const dom = (page: Page): HTMLElement => page.dom as HTMLElement;
const cellTitles = (page: Page): string[] => texts(dom(page), 'van-cell', 'van-cell__title');
/** j-component answers undefined, not null, for no match. */
const exists = (page: Page, id: string): boolean => Boolean(page.querySelector(`#${id}`));

describe('members and invitations', () => {
  it("lists an owner's members by display name and role, and their open codes; only staff can be removed", async () => {
    const calls = stubMerchant({
      me: meOwner,
      'member.list': members([OWNER, STAFF]),
      'invite.list': invitations([INVITE]),
    });
    const page = await open(pageId);
    expect(page.instance.data.status).toBe('ready');
    expect(calls).toEqual([
      { action: 'me' },
      { action: 'member.list', merchantId: 'm1' },
      { action: 'invite.list', merchantId: 'm1' },
    ]);
    const titles = cellTitles(page).join('|');
    expect(titles).toContain('所有者 A1B2C3（我）');
    expect(titles).toContain('员工 FFEE00');
    expect(titles).toContain(`员工邀请码 ${INVITE.inviteId}`);
    // Oneself and (for an owner) another owner have no remove button.
    expect(exists(page, `rs-mm-remove-${STAFF.memberId}`)).toBe(true);
    expect(exists(page, `rs-mm-remove-${OWNER.memberId}`)).toBe(false);
    expect(exists(page, `rs-mm-revoke-${INVITE.inviteId}`)).toBe(true);
  });

  it('removes a member after confirmation, then shows the list again', async () => {
    const calls = stubMerchant({
      me: [meOwner, meOwner],
      'member.list': [members([OWNER, STAFF]), members([OWNER])],
      'invite.list': [invitations([]), invitations([])],
      'member.remove': { action: 'member.remove' },
    });
    const modal = answerModal(true);
    const toast = jest.spyOn(wx, 'showToast');
    const page = await open(pageId);
    await tap(page, `rs-mm-remove-${STAFF.memberId}`, '.van-button');
    expect(modal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '移除成员',
        content: expect.stringContaining('员工 FFEE00'),
      }),
    );
    expect(calls).toContainEqual({
      action: 'member.remove',
      merchantId: 'm1',
      memberId: STAFF.memberId,
    });
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '已移除' }));
    expect(cellTitles(page).join('|')).not.toContain('员工 FFEE00');
    expect(page.instance.data.busyId).toBe('');
  });

  it('does nothing when the removal is cancelled', async () => {
    const calls = stubMerchant({
      me: meOwner,
      'member.list': members([OWNER, STAFF]),
      'invite.list': invitations([]),
    });
    answerModal(false);
    const page = await open(pageId);
    await tap(page, `rs-mm-remove-${STAFF.memberId}`, '.van-button');
    expect(calls.map((c) => c.action)).toEqual(['me', 'member.list', 'invite.list']);
  });

  it('revokes an invitation after confirmation', async () => {
    const calls = stubMerchant({
      me: [meOwner, meOwner],
      'member.list': [members([OWNER]), members([OWNER])],
      'invite.list': [invitations([INVITE]), invitations([])],
      'invite.revoke': { action: 'invite.revoke' },
    });
    answerModal(true);
    const page = await open(pageId);
    await tap(page, `rs-mm-revoke-${INVITE.inviteId}`, '.van-button');
    expect(calls).toContainEqual({
      action: 'invite.revoke',
      merchantId: 'm1',
      inviteId: INVITE.inviteId,
    });
    expect(exists(page, `rs-mm-revoke-${INVITE.inviteId}`)).toBe(false);
    expect(texts(dom(page), 'merchant-members', 'rs-mm__none')).toEqual(['没有未使用的邀请码']);
  });

  it("shows the server's refusal and keeps the list", async () => {
    stubMerchant({
      me: meOwner,
      'member.list': members([OWNER, STAFF]),
      'invite.list': invitations([]),
      'member.remove': new ApiError('NOT_FOUND', '找不到这个成员（可能已被移除）'),
    });
    answerModal(true);
    const page = await open(pageId);
    await tap(page, `rs-mm-remove-${STAFF.memberId}`, '.van-button');
    expect(texts(dom(page), 'merchant-members', 'rs-mm__error')).toEqual([
      '找不到这个成员（可能已被移除）',
    ]);
    expect(cellTitles(page).join('|')).toContain('员工 FFEE00');
    expect(page.instance.data.busyId).toBe('');
  });

  it('lets an admin manage the merchant the link names, owners included', async () => {
    const other: MemberView = { ...OWNER, you: false };
    const calls = stubMerchant({
      me: meAdmin,
      'member.list': members([other]),
      'invite.list': invitations([]),
    });
    const page = await open(pageId, { merchantId: 'm9' });
    expect(calls).toContainEqual({ action: 'member.list', merchantId: 'm9' });
    expect(exists(page, `rs-mm-remove-${OWNER.memberId}`)).toBe(true);
  });

  it('turns staff away without asking for the lists', async () => {
    const calls = stubMerchant({ me: meStaff });
    const page = await open(pageId);
    expect(page.instance.data.status).toBe('denied');
    expect(calls).toEqual([{ action: 'me' }]);
  });

  it('opens the invitation page to create a code', async () => {
    stubMerchant({ me: meOwner, 'member.list': members([OWNER]), 'invite.list': invitations([]) });
    const nav = jest.spyOn(wx, 'navigateTo');
    const page = await open(pageId);
    await tap(page, 'rs-mm-invite', '.van-button');
    expect(nav).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/invite/index' }),
    );
  });
});
