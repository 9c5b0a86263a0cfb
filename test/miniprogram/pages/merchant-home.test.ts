/**
 * The merchant home in miniprogram-simulate with real @vant/weapp components and a scripted
 * `merchant` client: its states (loading, error with retry, not a merchant, admin, empty list),
 * each campaign's status tag and today's spend, the status changes each role may make (ending
 * asks first), pull-to-refresh, and where taps lead (editor, report, invitation codes).
 */
import * as simulate from 'miniprogram-simulate';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/home/index.json';
import { loadWithVant } from '../helpers/vant';
import { expectExperience } from '../helpers/experience';
import { answerModal, tap } from '../merchant/page-helpers';
import {
  campaign,
  meAdmin,
  meGuest,
  meOwner,
  meStaff,
  settle,
  stubMerchant,
  summary,
  texts,
} from '../merchant/campaign-fixtures';
import { tapRetry } from '../helpers/load-state';

type AnyObject = WechatMiniprogram.IAnyObject;
type HomePage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: {
    onLoad(): Promise<void>;
    onShow(): Promise<void>;
    onPullDownRefresh(): Promise<void>;
    data: AnyObject;
  };
};

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant('merchant/pages/home/index', 'merchant-home', pageJson.usingComponents);
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

function render(): HomePage {
  const page = simulate.render(pageId) as unknown as HomePage;
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

async function open(): Promise<HomePage> {
  const page = render();
  await page.instance.onLoad();
  expectExperience(page, 5); // the first screen within the experience-score rules
  return page;
}

const dom = (page: HomePage): HTMLElement => page.dom as HTMLElement;

/** Taps the native button inside a van-button the page gave an id. */
const tapButton = (page: HomePage, id: string): Promise<void> => tap(page, id, '.van-button');

/** The labels of every button shown, in order. */
const buttons = (page: HomePage): string[] => texts(dom(page), 'van-button', 'van-button__text');

describe('merchant home', () => {
  it("gives every campaign's buttons one width: each a block in the card's equal columns", async () => {
    stubMerchant({
      me: meOwner,
      'campaign.list': {
        action: 'campaign.list',
        campaigns: [
          summary({ id: 'c_a', status: 'active' }),
          summary({ id: 'c_d', status: 'draft' }),
        ],
      },
    });
    const page = await open();
    const cards = Array.from(dom(page).querySelectorAll('.merchant-home--rs-mh__actions'));
    expect(cards).toHaveLength(2);
    for (const actions of cards) {
      const natives = Array.from(actions.querySelectorAll('wx-button'));
      expect(natives.length).toBeGreaterThanOrEqual(2); // the role's changes and 数据报表
      // vant's block modifier: the button fills its grid column, so 暂停 and 数据报表 are as wide.
      for (const b of natives) expect(b.className).toContain('van-button--van-button--block');
    }
  });

  it('shows a spinner until `me` answers', async () => {
    let answer!: (v: unknown) => void;
    setApi({ call: () => new Promise((resolve) => (answer = resolve)) as never });
    const page = render();
    const loading = page.instance.onLoad();
    expect(dom(page).textContent).toContain('加载中');
    answer(meGuest);
    await loading;
    expect(dom(page).textContent).not.toContain('加载中');
  });

  it("lists each campaign with its status tag, today's spend against the daily budget, and the owner's actions", async () => {
    const calls = stubMerchant({
      me: meOwner,
      'campaign.list': {
        action: 'campaign.list',
        campaigns: [
          summary({
            id: 'c_a',
            name: '投放中的',
            status: 'active',
            dailyBudgetFen: 10_000,
            today: { day: '20261128', clicks: 12_345, spentFen: 2_345 },
          }),
          summary({
            id: 'c_d',
            name: '草稿',
            status: 'draft',
            today: { day: '20261128', clicks: 0, spentFen: 0 },
          }),
          summary({ id: 'c_p', name: '暂停的', status: 'paused' }),
          summary({ id: 'c_e', name: '结束的', status: 'ended' }),
        ],
      },
    });
    const page = await open();
    expect(calls).toEqual([{ action: 'me' }, { action: 'campaign.list' }]);
    expect(texts(dom(page), 'merchant-home', 'rs-mh__merchant-name')).toEqual(['川味火锅']);
    expect(texts(dom(page), 'van-tag', 'van-tag')).toEqual([
      '所有者',
      '投放中',
      '草稿',
      '已暂停',
      '已结束',
    ]);
    expect(texts(dom(page), 'merchant-home', 'rs-mh__name')).toEqual([
      '投放中的',
      '草稿',
      '暂停的',
      '结束的',
    ]);
    expect(texts(dom(page), 'merchant-home', 'rs-mh__today')).toEqual([
      '¥23.45',
      '¥0.00',
      '¥23.45',
      '¥23.45',
    ]);
    expect(texts(dom(page), 'merchant-home', 'rs-mh__budget')[0]).toBe('/ 日预算 ¥100.00');
    expect(texts(dom(page), 'merchant-home', 'rs-mh__meta')[0]).toBe(
      '今日点击 12,345 · 出价 ¥0.50/次 · 累计 ¥500.00 / 总预算 ¥1,000.00',
    );
    // 2345 of 10000 fen: a 23 % bar.
    expect(
      (dom(page).querySelector('.merchant-home--rs-mh__bar-fill') as HTMLElement).getAttribute(
        'style',
      ),
    ).toContain('width: 23%');
    expect(buttons(page)).toEqual([
      '新建广告计划',
      '邀请码',
      '暂停',
      '结束',
      '数据报表',
      '开始投放',
      '结束',
      '数据报表',
      '恢复投放',
      '结束',
      '数据报表',
      '数据报表',
    ]);
  });

  it('gives staff only "pause" on active campaigns, and no create or invite', async () => {
    stubMerchant({
      me: meStaff,
      'campaign.list': {
        action: 'campaign.list',
        campaigns: [
          summary({ id: 'c_a', status: 'active' }),
          summary({ id: 'c_d', status: 'draft' }),
          summary({ id: 'c_p', status: 'paused' }),
        ],
      },
    });
    const page = await open();
    expect(texts(dom(page), 'van-tag', 'van-tag')[0]).toBe('员工');
    expect(buttons(page)).toEqual(['暂停', '数据报表', '数据报表', '数据报表']);
  });

  it("says which campaigns the deployment's scene never serves, and offers no start or resume for them", async () => {
    const why =
      '本小程序当前为「旅游出行」场景，只投放与“旅行”相关的广告，这个计划不会被展示；请在兴趣定向中选择“旅行”（或落地到这些分类的内容）';
    stubMerchant({
      me: meOwner,
      'campaign.list': {
        action: 'campaign.list',
        campaigns: [
          summary({ id: 'c_d', status: 'draft', outOfScene: why }),
          summary({ id: 'c_p', status: 'paused', outOfScene: why }),
          summary({ id: 'c_a', status: 'active' }),
        ],
      },
    });
    const page = await open();
    expect(texts(dom(page), 'merchant-home', 'rs-mh__scene')).toEqual([why, why]);
    expect(buttons(page)).toEqual([
      '新建广告计划',
      '邀请码',
      '结束',
      '数据报表',
      '结束',
      '数据报表',
      '暂停',
      '结束',
      '数据报表',
    ]);
  });

  it("pauses a campaign and shows the server's answer, keeping today's numbers", async () => {
    const calls = stubMerchant({
      me: meOwner,
      'campaign.list': {
        action: 'campaign.list',
        campaigns: [summary({ id: 'c_a', status: 'active' })],
      },
      'campaign.pause': {
        action: 'campaign.pause',
        campaign: campaign({ id: 'c_a', status: 'paused' }),
      },
    });
    const toast = jest.spyOn(wx, 'showToast');
    const page = await open();
    await tapButton(page, 'rs-mh-pause-c_a');
    expect(calls[2]).toEqual({ action: 'campaign.pause', campaignId: 'c_a' });
    expect(texts(dom(page), 'van-tag', 'van-tag')).toEqual(['所有者', '已暂停']);
    expect(texts(dom(page), 'merchant-home', 'rs-mh__today')).toEqual(['¥23.45']);
    expect(buttons(page)).toEqual(['新建广告计划', '邀请码', '恢复投放', '结束', '数据报表']);
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '已暂停' }));
  });

  it('asks before ending: cancel sends nothing, confirm ends it', async () => {
    const calls = stubMerchant({
      me: meOwner,
      'campaign.list': {
        action: 'campaign.list',
        campaigns: [summary({ id: 'c_a', name: '火锅节', status: 'active' })],
      },
      'campaign.end': {
        action: 'campaign.end',
        campaign: campaign({ id: 'c_a', status: 'ended' }),
      },
    });
    const page = await open();
    const cancel = answerModal(false);
    await tapButton(page, 'rs-mh-end-c_a');
    expect(cancel).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '结束广告计划',
        content: expect.stringContaining('「火锅节」'),
      }),
    );
    expect(calls.map((c) => c.action)).toEqual(['me', 'campaign.list']);
    cancel.mockRestore();

    answerModal(true);
    await tapButton(page, 'rs-mh-end-c_a');
    expect(calls[2]).toEqual({ action: 'campaign.end', campaignId: 'c_a' });
    expect(texts(dom(page), 'van-tag', 'van-tag')).toEqual(['所有者', '已结束']);
    expect(buttons(page)).toEqual(['新建广告计划', '邀请码', '数据报表']);
  });

  it("shows the server's refusal of a status change and leaves the campaign as it was", async () => {
    stubMerchant({
      me: meOwner,
      'campaign.list': {
        action: 'campaign.list',
        campaigns: [summary({ id: 'c_d', status: 'draft' })],
      },
      'campaign.start': new ApiError('CONFLICT', '广告计划的投放期已过，请先修改结束时间'),
    });
    const toast = jest.spyOn(wx, 'showToast');
    const page = await open();
    await tapButton(page, 'rs-mh-start-c_d');
    expect(toast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '广告计划的投放期已过，请先修改结束时间' }),
    );
    expect(texts(dom(page), 'van-tag', 'van-tag')).toEqual(['所有者', '草稿']);
    expect(page.instance.data.busyId).toBe('');
  });

  it('opens the editor from a campaign, the report from its button, and a new campaign from 新建', async () => {
    stubMerchant({
      me: meOwner,
      'campaign.list': { action: 'campaign.list', campaigns: [summary({ id: 'c_a' })] },
    });
    const navigate = jest.spyOn(wx, 'navigateTo');
    const page = await open();
    page.querySelector('.rs-mh__card-head')!.dispatchEvent('tap');
    await settle();
    await tapButton(page, 'rs-mh-report-c_a');
    await tapButton(page, 'rs-mh-create');
    await tapButton(page, 'rs-mh-invite');
    expect(navigate.mock.calls.map(([o]) => o.url)).toEqual([
      '/merchant/pages/campaign/index?campaignId=c_a',
      '/merchant/pages/report/index?campaignId=c_a',
      '/merchant/pages/campaign/index',
      '/merchant/pages/invite/index',
    ]);
  });

  it('links members and platform admins to the experiments', async () => {
    stubMerchant({ me: meStaff, 'campaign.list': { action: 'campaign.list', campaigns: [] } });
    const navigate = jest.spyOn(wx, 'navigateTo');
    let page = await open();
    page.querySelector('#rs-mh-experiments')!.dispatchEvent('tap');
    await settle();
    setApi(null);
    stubMerchant({ me: meAdmin });
    page = await open();
    page.querySelector('#rs-mh-experiments-admin')!.dispatchEvent('tap');
    await settle();
    expect(navigate.mock.calls.map(([o]) => o.url)).toEqual([
      '/merchant/pages/experiments/index',
      '/merchant/pages/experiments/index',
    ]);
  });

  it('links platform admins, and only them, to 评论审核', async () => {
    stubMerchant({ me: meStaff, 'campaign.list': { action: 'campaign.list', campaigns: [] } });
    const navigate = jest.spyOn(wx, 'navigateTo');
    let page = await open();
    expect(page.querySelector('#rs-mh-moderation')).toBeFalsy();
    setApi(null);
    stubMerchant({ me: meAdmin });
    page = await open();
    page.querySelector('#rs-mh-moderation-admin')!.dispatchEvent('tap');
    await settle();
    expect(navigate.mock.calls.map(([o]) => o.url)).toEqual(['/merchant/pages/moderation/index']);
  });

  it('links owners, and only owners, to member management', async () => {
    stubMerchant({ me: meStaff, 'campaign.list': { action: 'campaign.list', campaigns: [] } });
    let page = await open();
    expect(page.querySelector('#rs-mh-members')).toBeFalsy();
    setApi(null);
    stubMerchant({ me: meOwner, 'campaign.list': { action: 'campaign.list', campaigns: [] } });
    const navigate = jest.spyOn(wx, 'navigateTo');
    page = await open();
    page.querySelector('#rs-mh-members')!.dispatchEvent('tap');
    await settle();
    expect(navigate.mock.calls.map(([o]) => o.url)).toEqual(['/merchant/pages/members/index']);
  });

  it('links owners, and only owners, to the held orders awaiting review', async () => {
    stubMerchant({ me: meStaff, 'campaign.list': { action: 'campaign.list', campaigns: [] } });
    let page = await open();
    expect(page.querySelector('#rs-mh-orders')).toBeFalsy();
    setApi(null);
    stubMerchant({ me: meOwner, 'campaign.list': { action: 'campaign.list', campaigns: [] } });
    const navigate = jest.spyOn(wx, 'navigateTo');
    page = await open();
    page.querySelector('#rs-mh-orders')!.dispatchEvent('tap');
    await settle();
    expect(navigate.mock.calls.map(([o]) => o.url)).toEqual(['/merchant/pages/orders/index']);
  });

  it('shows an empty list with an invitation to create the first campaign', async () => {
    stubMerchant({ me: meOwner, 'campaign.list': { action: 'campaign.list', campaigns: [] } });
    const page = await open();
    expect(dom(page).textContent).toContain('还没有广告计划，新建一个开始投放吧');
    expect(buttons(page)).toEqual(['新建广告计划', '邀请码']);
  });

  it('sends a caller without a merchant to the invitation code, and never lists campaigns', async () => {
    const calls = stubMerchant({ me: meGuest });
    const navigate = jest.spyOn(wx, 'navigateTo');
    const page = await open();
    expect(calls).toEqual([{ action: 'me' }]);
    expect(dom(page).textContent).toContain('你还不是商家成员');
    await tapButton(page, 'rs-mh-join');
    expect(navigate).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/invite/index' }),
    );
  });

  it('offers a platform admin without a merchant the merchant and code tools', async () => {
    stubMerchant({ me: meAdmin });
    const page = await open();
    expect(dom(page).textContent).toContain('你是平台管理员');
    expect(buttons(page)).toEqual(['新建商家与邀请码']);
  });

  it('shows an error with retry, and the list once the retry works', async () => {
    const calls = stubMerchant({
      me: [new ApiError('NETWORK', '网络连接失败，请检查网络后重试'), meOwner],
      'campaign.list': { action: 'campaign.list', campaigns: [summary()] },
    });
    const page = await open();
    expect(dom(page).textContent).toContain('网络连接失败，请检查网络后重试');
    await tapRetry(page);
    expect(calls.map((c) => c.action)).toEqual(['me', 'me', 'campaign.list']);
    expect(texts(dom(page), 'merchant-home', 'rs-mh__name')).toEqual(['火锅节推广']);
  });

  it('reloads on pull-to-refresh and on coming back to the page, then stops the refresh spinner', async () => {
    const calls = stubMerchant({
      me: meOwner,
      'campaign.list': [
        {
          action: 'campaign.list',
          campaigns: [summary({ today: { day: '20261128', clicks: 1, spentFen: 100 } })],
        },
        {
          action: 'campaign.list',
          campaigns: [summary({ today: { day: '20261128', clicks: 2, spentFen: 250 } })],
        },
        {
          action: 'campaign.list',
          campaigns: [summary({ today: { day: '20261128', clicks: 3, spentFen: 400 } })],
        },
      ],
    });
    const stop = jest.spyOn(wx, 'stopPullDownRefresh');
    const page = await open();
    await page.instance.onShow(); // the first show follows onLoad: no second load
    expect(texts(dom(page), 'merchant-home', 'rs-mh__today')).toEqual(['¥1.00']);
    await page.instance.onPullDownRefresh();
    expect(texts(dom(page), 'merchant-home', 'rs-mh__today')).toEqual(['¥2.50']);
    expect(stop).toHaveBeenCalledTimes(1);
    await page.instance.onShow();
    expect(texts(dom(page), 'merchant-home', 'rs-mh__today')).toEqual(['¥4.00']);
    expect(calls.filter((c) => c.action === 'campaign.list')).toHaveLength(3);
  });
});
