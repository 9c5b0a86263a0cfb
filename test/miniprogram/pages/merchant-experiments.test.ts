/**
 * The experiment list in miniprogram-simulate with real @vant/weapp components and a stubbed
 * `merchant` client: status tags, who sees start/stop, the confirmation and the calls it sends.
 */
import type { ExperimentParameter, MerchantRequest } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/experiments/index.json';
import { loadWithVant } from '../helpers/vant';
import { experiment, me, running } from '../merchant/experiment-fixtures';
import { answerModal, open, stubMerchant, tap, texts } from '../merchant/page-helpers';
import type { Answer, Page } from '../merchant/page-helpers';
import { tapRetry } from '../helpers/load-state';

const TAG = 'experiments-page';

const LIST = [
  experiment({
    id: 'exp_old',
    name: '旧实验',
    status: 'stopped',
    startedAt: 1,
    stoppedAt: Date.UTC(2026, 10, 21, 2, 0),
    createdAt: 1,
  }),
  experiment({
    id: 'exp_draft',
    name: '广告位测试',
    parameter: 'ads.slots',
    variants: [
      { name: 'a', weight: 1, value: [3] },
      { name: 'b', weight: 1, value: [5] },
    ],
    buckets: 500,
  }),
  running({ id: 'exp_run', name: '多样性测试' }),
];

/**
 * The page follows the server's `merchantParameters` (today ['ad.creative']). Most tests name
 * ads.slots as one, so that the list's own ads.slots draft can be started; the creative test below
 * uses the real answer.
 */
function server(
  role: 'owner' | 'staff' | null,
  admin = false,
  extra: (req: MerchantRequest) => Answer | undefined = () => undefined,
  merchantParameters: ExperimentParameter[] = ['ads.slots'],
) {
  return (req: MerchantRequest): Answer => {
    const custom = extra(req);
    if (custom) return custom;
    if (req.action === 'me') return me(role, admin);
    if (req.action === 'experiment.list')
      return { action: 'experiment.list', experiments: LIST, merchantParameters };
    throw new Error(`unexpected ${req.action}`);
  };
}

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant('merchant/pages/experiments/index', TAG, pageJson.usingComponents);
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

const openList = (): Promise<Page> => open(pageId);

describe('merchant experiments page', () => {
  it('lists running first, then drafts, then stopped, with status tags and what each varies', async () => {
    const calls = stubMerchant(server('owner'));
    const page = await openList();
    expect(calls).toEqual([{ action: 'me' }, { action: 'experiment.list' }]);
    expect(texts(page, TAG, 'rs-exps__name')).toEqual(['多样性测试', '广告位测试', '旧实验']);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['运行中', '草稿', '已停止']);
    expect(texts(page, TAG, 'rs-exps__summary')).toEqual([
      '推荐多样性 · 2 组 · 流量 20% · 目标 点击率',
      '广告位置 · 2 组 · 流量 5% · 目标 点击率',
      '推荐多样性 · 2 组 · 流量 20% · 目标 点击率',
    ]);
    expect(texts(page, TAG, 'rs-exps__time')[2]).toBe('停止于 2026年11月21日 10:00');
  });

  it('owners see start on drafts, stop on running ones, and the create button; staff see none of them', async () => {
    stubMerchant(server('owner'));
    let page = await openList();
    expect(page.querySelector('#rs-exps-start-exp_draft')).toBeTruthy();
    expect(page.querySelector('#rs-exps-stop-exp_run')).toBeTruthy();
    expect(page.querySelector('#rs-exps-start-exp_old')).toBeFalsy();
    expect(page.querySelector('#rs-exps-stop-exp_old')).toBeFalsy();
    expect(page.querySelector('#rs-exps-create')).toBeTruthy();

    setApi(null);
    stubMerchant(server('staff'));
    page = await openList();
    expect(page.querySelector('#rs-exps-start-exp_draft')).toBeFalsy();
    expect(page.querySelector('#rs-exps-stop-exp_run')).toBeFalsy();
    expect(page.querySelector('#rs-exps-create')).toBeFalsy();
    expect(texts(page, TAG, 'rs-exps__name')).toHaveLength(3);
  });

  it("with the server's merchant parameter (ad.creative), an owner sees 新建实验 and may start a creative draft, not a platform one", async () => {
    const creative = (title: string) => ({
      title,
      description: '',
      image: '',
      landing: { kind: 'page' as const, path: 'pages/feed/index' },
    });
    const draft = experiment({
      id: 'exp_creative',
      name: '标题测试',
      parameter: 'ad.creative',
      campaignId: 'c_1',
      guardrails: [],
      buckets: 10_000,
      variants: [
        { name: 'control', weight: 1, value: creative('a') },
        { name: 'b', weight: 1, value: creative('b') },
        { name: 'c', weight: 1, value: creative('c') },
      ],
    });
    stubMerchant(
      server('owner', false, (req) =>
        req.action === 'experiment.list'
          ? {
              action: 'experiment.list',
              experiments: [draft, ...LIST],
              merchantParameters: ['ad.creative'],
            }
          : undefined,
      ),
    );
    const page = await openList();
    expect(page.querySelector('#rs-exps-create')).toBeTruthy();
    expect(texts(page, TAG, 'rs-exps__notice')).toEqual([]);
    expect(page.querySelector('#rs-exps-start-exp_creative')).toBeTruthy();
    expect(page.querySelector('#rs-exps-start-exp_draft')).toBeFalsy();
    expect(texts(page, TAG, 'rs-exps__summary')).toContain(
      '广告创意 · 3 组 · 流量 100% · 目标 点击率',
    );
  });

  it('with no parameter scoped to a merchant, an owner gets a notice, no create and no start, but may still stop', async () => {
    stubMerchant(server('owner', false, undefined, []));
    const page = await openList();
    expect(page.querySelector('#rs-exps-create')).toBeFalsy();
    expect(texts(page, TAG, 'rs-exps__notice')[0]).toContain('只有平台管理员可以创建和开始实验');
    expect(page.querySelector('#rs-exps-start-exp_draft')).toBeFalsy();
    expect(page.querySelector('#rs-exps-stop-exp_run')).toBeTruthy();
  });

  it("an admin may create and start platform drafts, not a merchant's draft on a platform parameter", async () => {
    stubMerchant(
      server(null, true, (req) =>
        req.action === 'experiment.list'
          ? {
              action: 'experiment.list',
              experiments: [...LIST, experiment({ id: 'exp_platform', merchantId: null })],
              merchantParameters: [],
            }
          : undefined,
      ),
    );
    const page = await openList();
    expect(page.querySelector('#rs-exps-create')).toBeTruthy();
    expect(page.querySelector('#rs-exps-start-exp_platform')).toBeTruthy();
    expect(page.querySelector('#rs-exps-start-exp_draft')).toBeFalsy();
    expect(texts(page, TAG, 'rs-exps__notice')).toEqual([]);
  });

  it('a platform admin without a merchant may manage', async () => {
    stubMerchant(server(null, true));
    const page = await openList();
    expect(page.querySelector('#rs-exps-start-exp_draft')).toBeTruthy();
  });

  it('start asks first; cancelled sends nothing, confirmed sends experiment.start and shows the new status', async () => {
    const calls = stubMerchant(
      server('owner', false, (req) =>
        req.action === 'experiment.start'
          ? {
              action: 'experiment.start',
              experiment: running({ id: 'exp_draft', name: '广告位测试' }),
            }
          : undefined,
      ),
    );
    const page = await openList();
    const navigate = jest.spyOn(wx, 'navigateTo');
    let modal = answerModal(false);
    await tap(page, 'rs-exps-start-exp_draft', '.van-button');
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '开始实验' }));
    expect(calls).toHaveLength(2);

    modal.mockRestore();
    modal = answerModal(true);
    await tap(page, 'rs-exps-start-exp_draft', '.van-button');
    expect(calls[2]).toEqual({ action: 'experiment.start', experimentId: 'exp_draft' });
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['运行中', '运行中', '已停止']);
    expect(page.querySelector('#rs-exps-stop-exp_draft')).toBeTruthy();
    // The tap on the button does not also open the experiment.
    expect(navigate).not.toHaveBeenCalled();
  });

  it('stop sends experiment.stop after confirmation; a refusal is shown and the row stays', async () => {
    const calls = stubMerchant(
      server('owner', false, (req) =>
        req.action === 'experiment.stop'
          ? new ApiError('CONFLICT', '实验刚被其他人修改，请刷新后重试')
          : undefined,
      ),
    );
    const page = await openList();
    const modal = answerModal(true);
    await tap(page, 'rs-exps-stop-exp_run', '.van-button');
    expect(modal.mock.calls[0][0]).toMatchObject({ title: '停止实验' });
    expect(calls[2]).toEqual({ action: 'experiment.stop', experimentId: 'exp_run' });
    expect(modal.mock.calls[1][0]).toMatchObject({
      title: '操作失败',
      content: '实验刚被其他人修改，请刷新后重试',
    });
    expect(texts(page, 'van-tag', 'van-tag')[0]).toBe('运行中');
    expect(page.instance.data.busyId).toBe('');
  });

  it('a row opens its results page; the create button opens the form', async () => {
    stubMerchant(server('owner'));
    const page = await openList();
    const navigate = jest.spyOn(wx, 'navigateTo');
    await tap(page, 'rs-exps-row-exp_run');
    expect(navigate).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/experiment/index?experimentId=exp_run' }),
    );
    await tap(page, 'rs-exps-create', '.van-button');
    expect(navigate).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/merchant/pages/experiment-new/index' }),
    );
  });

  it('shows an empty list as such', async () => {
    stubMerchant(
      server('owner', false, (req) =>
        req.action === 'experiment.list'
          ? { action: 'experiment.list', experiments: [], merchantParameters: [] }
          : undefined,
      ),
    );
    const page = await openList();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['还没有实验']);
  });

  it('shows the error with a retry that loads again', async () => {
    let fail = true;
    const calls = stubMerchant(
      server('owner', false, (req) =>
        req.action === 'experiment.list' && fail
          ? new ApiError('FORBIDDEN', '只有商家成员可以查看实验')
          : undefined,
      ),
    );
    const page = await openList();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '只有商家成员可以查看实验',
    ]);
    fail = false;
    await tapRetry(page);
    expect(calls.slice(2)).toEqual([{ action: 'me' }, { action: 'experiment.list' }]);
    expect(texts(page, TAG, 'rs-exps__name')).toHaveLength(3);
  });
});
