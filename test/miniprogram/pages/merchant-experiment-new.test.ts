/**
 * The create-experiment form in miniprogram-simulate with real @vant/weapp components and a
 * stubbed `merchant` client: who may use it, the field messages, and the exact create request —
 * platform parameters for an admin, a creative A/B test of one of its campaigns for an owner.
 */
import * as simulate from 'miniprogram-simulate';
import type { ExperimentParameter, MerchantRequest } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { setUploader } from '../../../miniprogram/services/upload';
import pageJson from '../../../miniprogram/merchant/pages/experiment-new/index.json';
import { loadWithVant } from '../helpers/vant';
import { campaign, summary } from '../merchant/campaign-fixtures';
import { experiment, me } from '../merchant/experiment-fixtures';
import { open, settle, stubMerchant, tap, texts } from '../merchant/page-helpers';
import type { Answer, Page } from '../merchant/page-helpers';

const TAG = 'experiment-new-page';

/** The owner's campaigns: one to test, one ended (not offered). */
const CAMPAIGNS = [
  summary({ id: 'c_1', name: '火锅节推广' }),
  summary({ id: 'c_2', name: '老活动', status: 'ended' }),
  summary({ id: 'c_3', name: '露营季' }),
];

function server(
  role: 'owner' | 'staff' | null,
  create: (req: MerchantRequest) => Answer = () => ({
    action: 'experiment.create',
    experiment: experiment({ id: 'exp_new' }),
  }),
  admin = false,
  merchantParameters: ExperimentParameter[] = ['ad.creative'],
) {
  return (req: MerchantRequest): Answer => {
    if (req.action === 'me') return me(role, admin);
    if (req.action === 'experiment.list')
      return { action: 'experiment.list', experiments: [], merchantParameters };
    if (req.action === 'campaign.list') return { action: 'campaign.list', campaigns: CAMPAIGNS };
    if (req.action === 'experiment.create') return create(req);
    throw new Error(`unexpected ${req.action}`);
  };
}
const adminServer = (create?: (req: MerchantRequest) => Answer) => server(null, create, true);

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant('merchant/pages/experiment-new/index', TAG, pageJson.usingComponents);
});

afterEach(() => {
  setApi(null);
  setUploader(null);
  jest.restoreAllMocks();
});

/** A vant field or stepper's change event, as the component emits it (the value is the detail). */
async function change(page: Page, id: string, value: string | number): Promise<void> {
  const node = page.querySelector(`#${id}`);
  if (!node) throw new Error(`no #${id}`);
  node.dispatchEvent('change', { detail: value });
  await simulate.sleep(0);
  await settle();
}

const fieldErrors = (page: Page): string[] => texts(page, 'van-field', 'van-field__error-message');

describe('merchant create-experiment page', () => {
  it('staff are told only owners create experiments', async () => {
    const calls = stubMerchant(server('staff'));
    const page = await open(pageId);
    expect(calls).toEqual([{ action: 'me' }]);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '只有商家所有者可以创建实验',
    ]);
    expect(page.querySelector('#rs-expnew-submit')).toBeFalsy();
  });

  it("sends an admin's filled form as experiment.create and opens the new draft", async () => {
    const calls = stubMerchant(adminServer());
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '广告位后移');
    await tap(page, 'rs-expnew-param-2'); // 广告位置
    await change(page, 'rs-expnew-traffic', 20);
    await tap(page, 'rs-expnew-target-likes_per_impression');
    await tap(page, 'rs-expnew-guard-ctr');
    await change(page, 'rs-expnew-vvalue-0', '4, 11');
    await change(page, 'rs-expnew-vname-1', 'later');
    await change(page, 'rs-expnew-vvalue-1', '6，13');
    await change(page, 'rs-expnew-vweight-1', 3);
    expect(texts(page, TAG, 'rs-expnew__hint')[0]).toMatch(/^取值：放广告的信息流位置/);

    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(calls[1]).toEqual({
      action: 'experiment.create',
      experiment: {
        name: '广告位后移',
        parameter: 'ads.slots',
        trafficPercent: 20,
        variants: [
          { name: 'control', weight: 1, value: [3, 10] },
          { name: 'later', weight: 3, value: [5, 12] },
        ],
        targetMetric: 'likes_per_impression',
        guardrails: ['ctr'],
      },
    });
    expect(redirect).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/experiment/index?experimentId=exp_new' }),
    );
  });

  it('offers the net revenue per user (扣除退款) as a target, beside the gross one as a guardrail', async () => {
    const calls = stubMerchant(adminServer());
    const page = await open(pageId);
    expect(texts(page, TAG, 'rs-expnew__chip')).toEqual(
      expect.arrayContaining(['人均支付金额', '人均净收入（扣除退款）']),
    );
    await change(page, 'rs-expnew-name', '多样性与净收入');
    await tap(page, 'rs-expnew-target-net_paid_per_user');
    await tap(page, 'rs-expnew-guard-paid_per_user');
    await change(page, 'rs-expnew-vvalue-0', '0.2');
    await change(page, 'rs-expnew-vvalue-1', '0.5');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(calls[1]).toMatchObject({
      action: 'experiment.create',
      experiment: { targetMetric: 'net_paid_per_user', guardrails: ['paid_per_user'] },
    });
  });

  it('shows each wrong field and sends nothing', async () => {
    const calls = stubMerchant(adminServer());
    const page = await open(pageId);
    await change(page, 'rs-expnew-vvalue-0', '2');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(calls).toHaveLength(1);
    expect(fieldErrors(page)).toEqual([
      '名称不能为空',
      '应为 0–1 之间的数，如 0.3',
      '应为 0–1 之间的数，如 0.3',
    ]);
    expect(texts(page, TAG, 'rs-expnew__form-error')).toEqual(['请先修改标红的项']);
  });

  it('adds variants up to five and removes any but the control', async () => {
    stubMerchant(adminServer());
    const page = await open(pageId);
    expect(page.querySelector('#rs-expnew-vremove-1')).toBeFalsy(); // two is the minimum
    for (let i = 0; i < 3; i++) await tap(page, 'rs-expnew-add', '.van-button');
    expect(page.instance.data.form.variants.map((v: { name: string }) => v.name)).toEqual([
      'control',
      'treatment',
      'variant2',
      'variant3',
      'variant4',
    ]);
    expect(page.querySelector('#rs-expnew-add')).toBeFalsy();
    await tap(page, 'rs-expnew-vremove-2', '.van-button');
    expect(page.instance.data.form.variants.map((v: { name: string }) => v.name)).toEqual([
      'control',
      'treatment',
      'variant3',
      'variant4',
    ]);
    expect(page.querySelector('#rs-expnew-vremove-0')).toBeFalsy();
  });

  it("shows the server's refusal and stays on the form", async () => {
    stubMerchant(adminServer(() => new ApiError('FORBIDDEN', '只有商家所有者可以创建实验')));
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '测试');
    await change(page, 'rs-expnew-vvalue-0', '0.1');
    await change(page, 'rs-expnew-vvalue-1', '0.3');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(texts(page, TAG, 'rs-expnew__form-error')).toEqual(['只有商家所有者可以创建实验']);
    expect(redirect).not.toHaveBeenCalled();
    expect(page.instance.data.submitting).toBe(false);
  });

  it('offers an admin the platform parameters only; an owner only the creative test, on its campaigns that have not ended', async () => {
    stubMerchant(adminServer());
    let page = await open(pageId);
    const params = (p: Page) =>
      (p.instance.data.parameterChips as { label: string }[]).map((c) => c.label);
    expect(params(page)).toEqual(['推荐多样性', '探索比例', '广告位置', '详情预取']);
    const calls = stubMerchant(server('owner'));
    page = await open(pageId);
    expect(calls.map((c) => c.action).sort()).toEqual(['campaign.list', 'experiment.list', 'me']);
    // The creative test's metrics: CTR (the default target) or the money its viewers paid, gross
    // or kept; never likes (not counted on ad cards). No value fields; the control shown once a
    // campaign is picked.
    expect(texts(page, TAG, 'rs-expnew__chip')).toEqual([
      '广告创意',
      '火锅节推广',
      '露营季',
      '点击率',
      '人均支付金额',
      '人均净收入（扣除退款）',
      '人均支付金额',
      '人均净收入（扣除退款）',
    ]);
    expect(page.querySelector('#rs-expnew-target-ctr')!.dom!.className).toContain('chip--on');
    expect(page.querySelector('#rs-expnew-target-likes_per_impression')).toBeFalsy();
    expect(page.querySelector('#rs-expnew-vvalue-0')).toBeFalsy();
    expect(texts(page, TAG, 'rs-expnew__control-title')).toEqual([]);
    await tap(page, 'rs-expnew-campaign-0');
    expect(texts(page, TAG, 'rs-expnew__control-title')).toEqual(['火锅节限时八折']);
    expect(page.querySelector('#rs-expnew-ctitle-0')).toBeFalsy();
    expect(page.querySelector('#rs-expnew-ctitle-1')).toBeTruthy();
  });

  it('tells an owner when no parameter is open to merchants', async () => {
    stubMerchant(server('owner', undefined, false, []));
    const page = await open(pageId);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '目前没有商家可以做实验的参数',
    ]);
  });

  it("sends an owner's creative test: the campaign, its current creative as control, the new creatives with an uploaded image", async () => {
    const calls = stubMerchant(server('owner'));
    const uploaded: string[] = [];
    setUploader({
      upload: async (path) => (uploaded.push(path), 'cloud://env-1.bucket/ads/new.png'),
      src: (image) => `src:${image}`,
    });
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '标题测试');
    await tap(page, 'rs-expnew-campaign-1'); // 露营季
    await change(page, 'rs-expnew-traffic', 50);
    await change(page, 'rs-expnew-vname-1', 'half');
    await change(page, 'rs-expnew-ctitle-1', ' 第二份半价 ');
    await change(page, 'rs-expnew-cdesc-1', '限周末');
    page
      .querySelector('#rs-expnew-cimage-1')!
      .dispatchEvent('after-read', { detail: { file: { url: 'http://tmp/a.png' } } });
    await simulate.sleep(0);
    await settle();
    expect(uploaded).toEqual(['http://tmp/a.png']);
    expect(page.instance.data.creativeFiles[1]).toEqual([
      { url: 'src:cloud://env-1.bucket/ads/new.png', isImage: true },
    ]);
    await change(page, 'rs-expnew-clanding-1', 'pages/feed/index');
    await tap(page, 'rs-expnew-add', '.van-button');
    await change(page, 'rs-expnew-ctitle-2', '露营装备八折');
    // No image for the third, and a content item as its landing.
    await change(page, 'rs-expnew-ckind-2', 'item');
    expect(page.querySelector('#rs-expnew-clanding-2')!.dom!.textContent).toContain('内容 ID');
    await change(page, 'rs-expnew-clanding-2', 'item-9');
    // Four creatives at most.
    await tap(page, 'rs-expnew-add', '.van-button');
    expect(page.querySelector('#rs-expnew-add')).toBeFalsy();
    await tap(page, 'rs-expnew-vremove-3', '.van-button');

    await tap(page, 'rs-expnew-submit', '.van-button');
    const current = campaign().creative;
    expect(calls.find((c) => c.action === 'experiment.create')).toEqual({
      action: 'experiment.create',
      experiment: {
        name: '标题测试',
        parameter: 'ad.creative',
        campaignId: 'c_3',
        trafficPercent: 50,
        variants: [
          { name: 'control', weight: 1, value: current },
          {
            name: 'half',
            weight: 1,
            value: {
              title: '第二份半价',
              description: '限周末',
              image: 'cloud://env-1.bucket/ads/new.png',
              landing: { kind: 'page', path: 'pages/feed/index' },
            },
          },
          {
            name: 'variant2',
            weight: 1,
            value: {
              title: '露营装备八折',
              description: '',
              image: '',
              landing: { kind: 'item', itemId: 'item-9' },
            },
          },
        ],
        targetMetric: 'ctr',
        guardrails: [],
      },
    });
    expect(redirect).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/experiment/index?experimentId=exp_new' }),
    );
  });

  it('lets an owner judge a creative test on money kept: net revenue as target, the gross one as guardrail', async () => {
    const calls = stubMerchant(server('owner'));
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '净收入测试');
    await tap(page, 'rs-expnew-campaign-0');
    await change(page, 'rs-expnew-ctitle-1', '第二份半价');
    await change(page, 'rs-expnew-clanding-1', 'pages/feed/index');
    await tap(page, 'rs-expnew-target-net_paid_per_user');
    await tap(page, 'rs-expnew-guard-paid_per_user');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(calls.find((c) => c.action === 'experiment.create')).toMatchObject({
      experiment: {
        parameter: 'ad.creative',
        campaignId: 'c_1',
        targetMetric: 'net_paid_per_user',
        guardrails: ['paid_per_user'],
      },
    });
  });

  it('checks each creative as the campaign editor does and sends nothing while one is wrong', async () => {
    const calls = stubMerchant(server('owner'));
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '标题测试');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(texts(page, TAG, 'rs-expnew__error').filter((t) => t !== '请先修改标红的项')).toEqual([
      '请选择要测试创意的广告计划',
    ]);
    expect(fieldErrors(page)).toEqual(['标题不能为空', '应为小程序页面路径，如 pages/feed/index']);
    await tap(page, 'rs-expnew-campaign-0');
    // The same creative as the control is refused too.
    const c = campaign().creative;
    await change(page, 'rs-expnew-ctitle-1', c.title);
    await change(page, 'rs-expnew-cdesc-1', c.description);
    page.querySelector('#rs-expnew-cimage-1')!.dispatchEvent('oversize', {});
    await simulate.sleep(0);
    await settle();
    expect(texts(page, TAG, 'rs-expnew__image-error')).toEqual(['图片不能超过 2 MB']);
    setUploader({ upload: async () => c.image, src: (i) => i });
    page
      .querySelector('#rs-expnew-cimage-1')!
      .dispatchEvent('after-read', { detail: { file: { url: 'http://tmp/a.png' } } });
    await simulate.sleep(0);
    await settle();
    await change(page, 'rs-expnew-clanding-1', 'pages/feed/index');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(fieldErrors(page)).toEqual(['和前面的创意完全相同，请至少改动一项']);
    expect(calls.some((x) => x.action === 'experiment.create')).toBe(false);
  });

  it("shows the server's scene refusal of a variant under that variant's landing, and stays on the form", async () => {
    // The server's answer as it words it (server/merchant/campaign-scene.ts, experiments.ts).
    const reason =
      '本小程序当前为「旅游出行」场景，只投放与“旅行”相关的广告，这个计划不会被展示；请在兴趣定向中选择“旅行”（或落地到这些分类的内容）';
    stubMerchant(
      server(
        'owner',
        () =>
          new ApiError(
            'INVALID_INPUT',
            `请求参数有误：experiment.variants.1.value.landing: ${reason}`,
          ),
      ),
    );
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '落地页测试');
    await tap(page, 'rs-expnew-campaign-0');
    await change(page, 'rs-expnew-ctitle-1', '到店吃火锅');
    await change(page, 'rs-expnew-clanding-1', 'pages/feed/index');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(fieldErrors(page)).toEqual([reason]);
    expect(texts(page, TAG, 'rs-expnew__form-error')).toEqual(['请先修改标红的项']);
    expect(redirect).not.toHaveBeenCalled();
    expect(page.instance.data.submitting).toBe(false);
  });
});
