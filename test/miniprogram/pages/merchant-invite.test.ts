/**
 * The invitation-code page in miniprogram-simulate with real @vant/weapp components and a
 * scripted `merchant` client: redeeming (the form's own check, the server's reasons for refusing,
 * success → merchant home), an owner's staff code with copy, an admin's merchant and owner code.
 */
import * as simulate from 'miniprogram-simulate';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/invite/index.json';
import { loadWithVant } from '../helpers/vant';
import { expectExperience } from '../helpers/experience';
import { tap, type } from '../merchant/page-helpers';
import {
  NOW,
  meAdmin,
  meGuest,
  meOwner,
  meStaff,
  stubMerchant,
  texts,
} from '../merchant/campaign-fixtures';
import { tapRetry } from '../helpers/load-state';

type AnyObject = WechatMiniprogram.IAnyObject;
type InvitePage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(): Promise<void>; data: AnyObject };
};

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant('merchant/pages/invite/index', 'merchant-invite', pageJson.usingComponents);
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

async function open(): Promise<InvitePage> {
  const page = simulate.render(pageId) as unknown as InvitePage;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad();
  expectExperience(page, 5); // the first screen within the experience-score rules
  return page;
}

const dom = (page: InvitePage): HTMLElement => page.dom as HTMLElement;
const fieldErrors = (page: InvitePage): string[] =>
  texts(dom(page), 'van-field', 'van-field__error-message');
const buttons = (page: InvitePage): string[] => texts(dom(page), 'van-button', 'van-button__text');

const tapButton = (page: InvitePage, id: string): Promise<void> => tap(page, id, '.van-button');

describe('invitation codes: redeem', () => {
  it('joins with a code typed loosely (lower case, dashes), then goes to the merchant home', async () => {
    const calls = stubMerchant({
      me: meGuest,
      'invite.redeem': {
        action: 'invite.redeem',
        membership: { merchantId: 'm1', role: 'staff', joinedAt: NOW },
        merchant: { id: 'm1', name: '川味火锅', createdAt: 1 },
      },
    });
    const redirect = jest.spyOn(wx, 'redirectTo');
    const toast = jest.spyOn(wx, 'showToast');
    const page = await open();
    expect(buttons(page)).toEqual(['加入商家']);
    await type(page, 'rs-iv-code', 'abcd-efgh-jkmn');
    await tapButton(page, 'rs-iv-redeem');
    expect(calls).toEqual([{ action: 'me' }, { action: 'invite.redeem', code: 'ABCDEFGHJKMN' }]);
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '已加入川味火锅' }));
    expect(redirect).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/home/index' }),
    );
  });

  it("checks the code's form before sending it", async () => {
    const calls = stubMerchant({ me: meGuest });
    const page = await open();
    await tapButton(page, 'rs-iv-redeem');
    expect(fieldErrors(page)).toEqual(['请输入邀请码']);
    await type(page, 'rs-iv-code', 'ABCD-EFGH-JKM0');
    expect(fieldErrors(page)).toEqual([]); // typing clears it
    await tapButton(page, 'rs-iv-redeem');
    expect(fieldErrors(page)).toEqual(['邀请码为 12 位字母或数字（不含 0、1、I、L、O）']);
    expect(calls).toEqual([{ action: 'me' }]);
  });

  it.each([
    [
      'an unknown, used or expired code',
      new ApiError('NOT_FOUND', '邀请码无效、已使用或已过期'),
      '邀请码无效、已使用或已过期',
    ],
    [
      'a caller who is already a member',
      new ApiError('CONFLICT', '你已经是商家成员，不能再加入其他商家'),
      '你已经是商家成员，不能再加入其他商家',
    ],
    [
      'a code the server finds malformed',
      new ApiError('INVALID_INPUT', '请求参数有误：code: 邀请码格式不正确'),
      '邀请码格式不正确',
    ],
    [
      'no network',
      new ApiError('NETWORK', '网络连接失败，请检查网络后重试（request:fail）'),
      '网络连接失败，请检查网络后重试（request:fail）',
    ],
  ])("shows the server's reason for refusing %s, and stays", async (_case, error, shown) => {
    stubMerchant({ me: meGuest, 'invite.redeem': error });
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = await open();
    await type(page, 'rs-iv-code', 'ABCDEFGHJKMN');
    await tapButton(page, 'rs-iv-redeem');
    expect(fieldErrors(page)).toEqual([shown]);
    expect(redirect).not.toHaveBeenCalled();
    expect(page.instance.data.redeeming).toBe(false);
  });
});

describe('invitation codes: create', () => {
  it('lets an owner create a staff code, shown once grouped with its expiry, and copy it', async () => {
    const calls = stubMerchant({
      me: meOwner,
      'invite.create': {
        action: 'invite.create',
        code: 'ABCDEFGHJKMN',
        expiresAt: NOW + 7 * 86_400_000,
      },
    });
    const clip = jest.spyOn(wx, 'setClipboardData');
    const page = await open();
    expect(dom(page).textContent).toContain('你是「川味火锅」的所有者');
    expect(page.querySelector('#rs-iv-redeem')).toBeFalsy();
    expect(page.querySelector('#rs-iv-merchant-id')).toBeFalsy();
    await tapButton(page, 'rs-iv-create');
    expect(calls[1]).toEqual({ action: 'invite.create', merchantId: 'm1', role: 'staff' });
    expect(texts(dom(page), 'merchant-invite', 'rs-iv__code')).toEqual(['ABCD-EFGH-JKMN']);
    expect(texts(dom(page), 'merchant-invite', 'rs-iv__expires')).toEqual([
      '有效期至 2026年12月5日 10:00（只显示这一次）',
    ]);
    await tapButton(page, 'rs-iv-copy');
    expect(clip).toHaveBeenCalledWith(expect.objectContaining({ data: 'ABCDEFGHJKMN' }));
  });

  it('shows staff where they belong, with no code tools', async () => {
    stubMerchant({ me: meStaff });
    const page = await open();
    expect(dom(page).textContent).toContain('你是「川味火锅」的员工');
    expect(buttons(page)).toEqual([]);
  });

  it('lets an admin create a merchant and then an owner code for it', async () => {
    const calls = stubMerchant({
      me: meAdmin,
      'merchant.list': { action: 'merchant.list', merchants: [] },
      'merchant.create': {
        action: 'merchant.create',
        merchant: { id: 'm_new', name: '山野露营', createdAt: NOW },
      },
      'invite.create': {
        action: 'invite.create',
        code: 'QRSTUVWXYZ23',
        expiresAt: NOW + 7 * 86_400_000,
      },
    });
    const page = await open();
    expect(buttons(page)).toEqual([
      '加入商家',
      '新建商家',
      '生成邀请码（7 天内有效，仅能使用一次）',
    ]);
    await tapButton(page, 'rs-iv-create-merchant');
    expect(fieldErrors(page)).toEqual(['请输入商家名称']);
    await type(page, 'rs-iv-merchant-name', ' 山野露营 ');
    await tapButton(page, 'rs-iv-create-merchant');
    expect(page.instance.data.inviteMerchantId).toBe('m_new');
    expect(page.instance.data.inviteRole).toBe('owner');
    expect(page.instance.data.inviteMerchantName).toBe('山野露营');
    await tapButton(page, 'rs-iv-create');
    expect(calls.slice(2)).toEqual([
      { action: 'merchant.create', name: '山野露营' },
      { action: 'invite.create', merchantId: 'm_new', role: 'owner' },
    ]);
    expect(texts(dom(page), 'merchant-invite', 'rs-iv__code')).toEqual(['QRST-UVWX-YZ23']);
  });

  it('lets an admin pick the merchant from the list (never typing its id), and asks for one first', async () => {
    const calls = stubMerchant({
      me: meAdmin,
      'merchant.list': {
        action: 'merchant.list',
        merchants: [
          { id: 'm_b', name: '山野露营', createdAt: NOW },
          { id: 'm_a', name: '川味火锅', createdAt: NOW - 1 },
        ],
      },
      'invite.create': {
        action: 'invite.create',
        code: 'QRSTUVWXYZ23',
        expiresAt: NOW + 7 * 86_400_000,
      },
    });
    const page = await open();
    expect(calls).toEqual([{ action: 'me' }, { action: 'merchant.list' }]);
    await tapButton(page, 'rs-iv-create');
    expect(page.instance.data.inviteMerchantIdError).toBe('请选择商家');
    expect(calls).toHaveLength(2);
    await tap(page, 'rs-iv-merchant-pick', '.van-cell');
    expect(page.instance.data.pickingMerchant).toBe(true);
    const picker = page.querySelector('#rs-iv-merchant-picker') as unknown as {
      instance: { setColumnIndex(c: number, i: number): Promise<void> };
    };
    await picker.instance.setColumnIndex(0, 1);
    await tap(page, 'rs-iv-merchant-picker', '.van-picker__confirm');
    expect(page.instance.data.inviteMerchantName).toBe('川味火锅');
    await tapButton(page, 'rs-iv-create');
    expect(calls[2]).toEqual({ action: 'invite.create', merchantId: 'm_a', role: 'staff' });
  });

  it("shows the server's refusal to create a code", async () => {
    stubMerchant({
      me: meAdmin,
      'merchant.list': {
        action: 'merchant.list',
        merchants: [{ id: 'm_gone', name: '已注销的店', createdAt: NOW }],
      },
      'invite.create': new ApiError('NOT_FOUND', '找不到这个商家'),
    });
    const page = await open();
    await tap(page, 'rs-iv-merchant-pick', '.van-cell');
    await tap(page, 'rs-iv-merchant-picker', '.van-picker__confirm');
    await tapButton(page, 'rs-iv-create');
    expect(texts(dom(page), 'merchant-invite', 'rs-iv__error')).toEqual(['找不到这个商家']);
    expect(texts(dom(page), 'merchant-invite', 'rs-iv__code')).toEqual([]);
  });

  it('shows an error with retry when `me` fails', async () => {
    stubMerchant({ me: [new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试'), meGuest] });
    const page = await open();
    expect(dom(page).textContent).toContain('服务暂时不可用，请稍后重试');
    await tapRetry(page);
    expect(buttons(page)).toEqual(['加入商家']);
  });
});
