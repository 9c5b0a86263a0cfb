/**
 * One experiment's page in miniprogram-simulate with real @vant/weapp components and a stubbed
 * `merchant` client: the definition, the per-variant results with intervals and verdicts, the
 * SRM warning and the truncation notice, start/stop, and the error state.
 */
import type { Experiment, ExperimentResults, MerchantRequest } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/experiment/index.json';
import { loadWithVant } from '../helpers/vant';
import {
  ctrResult,
  experiment,
  me,
  paidResult,
  results,
  running,
} from '../merchant/experiment-fixtures';
import { answerModal, fullTexts, open, stubMerchant, tap, texts } from '../merchant/page-helpers';
import type { Answer, Page } from '../merchant/page-helpers';
import { tapRetry } from '../helpers/load-state';

const TAG = 'experiment-page';

interface World {
  role?: 'owner' | 'staff';
  exp?: Experiment;
  res?: ExperimentResults;
  extra?: (req: MerchantRequest) => Answer | undefined;
}

function server(w: World) {
  let exp = w.exp ?? running();
  return (req: MerchantRequest): Answer => {
    const custom = w.extra?.(req);
    if (custom) return custom;
    switch (req.action) {
      case 'me':
        return me(w.role ?? 'owner');
      case 'experiment.get':
        return { action: 'experiment.get', experiment: exp };
      case 'experiment.results':
        return { action: 'experiment.results', experiment: exp, results: w.res ?? results() };
      case 'experiment.start':
        exp = {
          ...exp,
          status: 'running',
          range: [0, 2000],
          startedAt: exp.createdAt + 60_000,
          version: exp.version + 1,
        };
        return { action: 'experiment.start', experiment: exp };
      case 'experiment.stop':
        exp = { ...exp, status: 'stopped', range: null, stoppedAt: exp.startedAt! + 86_400_000 };
        return { action: 'experiment.stop', experiment: exp };
      default:
        throw new Error(`unexpected ${req.action}`);
    }
  };
}

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant('merchant/pages/experiment/index', TAG, pageJson.usingComponents);
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

const openExp = (query: Record<string, string> = { experimentId: 'exp_a' }): Promise<Page> =>
  open(pageId, query);
const noticeTexts = (page: Page): string[] =>
  texts(page, 'van-notice-bar', 'van-notice-bar__content');

/** Each variant row of each metric card as the texts it shows. */
function metricRows(page: Page): { title: string; rows: string[][] }[] {
  return Array.from((page.dom as HTMLElement).querySelectorAll(`.${TAG}--rs-exp__metric`)).map(
    (card) => ({
      title: (card.querySelector(`.${TAG}--rs-exp__section-title`)?.textContent ?? '').trim(),
      rows: Array.from(card.querySelectorAll(`.${TAG}--rs-exp__row`)).map((row) =>
        Array.from(
          row.querySelectorAll(
            `.${TAG}--rs-exp__value, .${TAG}--rs-exp__detail, .${TAG}--rs-exp__verdict`,
          ),
        ).map((el) => (el.textContent ?? '').trim()),
      ),
    }),
  );
}

describe('merchant experiment page', () => {
  it('asks for the definition, then the results of a started experiment', async () => {
    const calls = stubMerchant(server({}));
    const page = await openExp();
    expect(calls).toEqual([
      { action: 'me' },
      { action: 'experiment.get', experimentId: 'exp_a' },
      { action: 'experiment.results', experimentId: 'exp_a' },
    ]);
    expect(texts(page, TAG, 'rs-exp__name')).toEqual(['多样性测试']);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['运行中']);
    expect(fullTexts(page, TAG, 'rs-exp__definition')).toEqual([
      'control 对照组 取值 0.2 · 流量占比 50%',
      'more 取值 0.5 · 流量占比 50%',
    ]);
    expect(fullTexts(page, TAG, 'rs-exp__users')).toEqual([
      'control 1,000 人（设定 50%，实际 49.8%）',
      'more 1,010 人（设定 50%，实际 50.2%）',
    ]);
    // Per variant, the predicted purchase propensity beside the realised pay rate (issue 17).
    expect(fullTexts(page, TAG, 'rs-exp__purchase')).toEqual([
      'control 预测购买倾向 8.1%（800 人有预测） · 实际付款率 7.5%（75 人付款）' +
        ' 扣除退款后实收 ¥6,336.00（付款 ¥6,600.00，退款 3 笔 ¥264.00）',
      'more 预测购买倾向 8.4%（790 人有预测） · 实际付款率 9.1%（92 人付款）' +
        ' 扣除退款后实收 ¥8,096.00（付款 ¥8,096.00，退款 0 笔 ¥0.00）',
    ]);
  });

  it("labels a creative test's variants by their creative titles, in the definition and the results", async () => {
    const creative = (title: string) => ({
      title,
      description: '',
      image: '',
      landing: { kind: 'page' as const, path: 'pages/feed/index' },
    });
    const exp = running({
      name: '标题测试',
      parameter: 'ad.creative',
      campaignId: 'c_1',
      guardrails: [],
      variants: [
        { name: 'control', weight: 1, value: creative('火锅节限时八折') },
        { name: 'more', weight: 1, value: creative('第二份半价') },
      ],
    });
    stubMerchant(server({ exp, res: results({ guardrails: [] }) }));
    const page = await openExp();
    expect(fullTexts(page, TAG, 'rs-exp__definition')).toEqual([
      'control 对照组 取值 「火锅节限时八折」 · 流量占比 50%',
      'more 取值 「第二份半价」 · 流量占比 50%',
    ]);
    expect(fullTexts(page, TAG, 'rs-exp__users')).toEqual([
      '「火锅节限时八折」 control 1,000 人（设定 50%，实际 49.8%）',
      '「第二份半价」 more 1,010 人（设定 50%，实际 50.2%）',
    ]);
    expect(texts(page, TAG, 'rs-exp__variant-name').slice(-2)).toEqual([
      '「火锅节限时八折」 control',
      '「第二份半价」 more',
    ]);
    expect(metricRows(page).map((m) => m.title)).toEqual(['目标指标：点击率']);
  });

  it('shows each variant with its interval, the difference to control with p-value, and the verdict in words', async () => {
    stubMerchant(server({}));
    const page = await openExp();
    expect(metricRows(page)).toEqual([
      {
        title: '目标指标：点击率',
        rows: [
          ['2.00%', '20,000 次曝光 · 95% 区间 1.80% ~ 2.20%'],
          [
            '2.50%',
            '21,000 次曝光 · 95% 区间 2.29% ~ 2.71%',
            '较对照组 +0.50 个百分点（95% 区间 +0.21 个百分点 ~ +0.79 个百分点，p < 0.001）',
            '显著高于对照组',
          ],
        ],
      },
      {
        title: '护栏指标：人均支付金额',
        rows: [
          ['¥3.50', '900 位用户 · 95% 区间 ¥3.00 ~ ¥4.00'],
          [
            '¥3.40',
            '910 位用户 · 95% 区间 ¥2.90 ~ ¥3.90',
            '较对照组 -¥0.10（95% 区间 -¥0.80 ~ +¥0.60，p = 0.780）',
            '与对照组无显著差异',
          ],
        ],
      },
    ]);
    // The interval bars sit on one axis per metric: the treatment's interval lies right of the control's.
    const bars = Array.from(
      (page.dom as HTMLElement).querySelectorAll(`.${TAG}--rs-exp__interval`),
    ).map((el) => (el as HTMLElement).getAttribute('style') ?? '');
    const lefts = bars.map((s) => Number(/left: ([\d.]+)%/.exec(s)?.[1]));
    expect(lefts[1]).toBeGreaterThan(lefts[0]);
    expect(bars[0]).toMatch(/width: [\d.]+%/);
  });

  it('judges an experiment on money kept: the net metric (扣除退款) as target, the gross one beside it', async () => {
    const net = {
      ...paidResult(),
      metric: 'net_paid_per_user' as const,
      variants: [
        {
          variant: 'control',
          estimate: { n: 1000, value: 633.6, low: 500, high: 767.2 },
          vsControl: null,
        },
        {
          variant: 'more',
          estimate: { n: 1010, value: 801.6, low: 650, high: 953.2 },
          vsControl: { delta: 168, low: 20, high: 316, pValue: 0.026 },
        },
      ],
    };
    stubMerchant(
      server({
        exp: running({ targetMetric: 'net_paid_per_user', guardrails: ['paid_per_user'] }),
        res: results({ target: net, guardrails: [paidResult()] }),
      }),
    );
    const page = await openExp();
    const [target, gross] = metricRows(page);
    expect(target).toEqual({
      title: '目标指标：人均净收入（扣除退款）',
      rows: [
        ['¥6.34', '1,000 位用户 · 95% 区间 ¥5.00 ~ ¥7.67'],
        [
          '¥8.02',
          '1,010 位用户 · 95% 区间 ¥6.50 ~ ¥9.53',
          '较对照组 +¥1.68（95% 区间 +¥0.20 ~ +¥3.16，p = 0.026）',
          '显著高于对照组',
        ],
      ],
    });
    expect(gross.title).toBe('护栏指标：人均支付金额');
  });

  it('gives no verdict before every variant has the minimum sample', async () => {
    stubMerchant(server({ res: results({ target: ctrResult(false) }) }));
    const page = await openExp();
    expect(texts(page, TAG, 'rs-exp__pending')).toEqual([
      '每组至少 1,000 次曝光、100 位用户后才下结论，目前只显示估计值',
    ]);
    expect(metricRows(page)[0].rows[1][3]).toBe('样本不足，暂不下结论');
  });

  it('shows the SRM warning only when the server reports a sample-ratio mismatch', async () => {
    stubMerchant(server({}));
    let page = await openExp();
    expect(page.querySelector('#rs-exp-srm')).toBeFalsy();
    expect(noticeTexts(page)).toEqual([]);

    setApi(null);
    stubMerchant(
      server({
        res: results({
          users: { control: 1000, more: 1300 },
          srm: { chiSquare: 39.1, pValue: 0.0000004, mismatch: true },
        }),
      }),
    );
    page = await openExp();
    expect(page.querySelector('#rs-exp-srm')).toBeTruthy();
    expect(noticeTexts(page)).toEqual([
      '样本比例异常（SRM）：各组实际进入的用户数与设定的流量比例明显不符（p < 0.001），分流或数据记录可能有问题，以下结果暂不可信，请先排查原因。',
    ]);
  });

  it('shows a prefetch experiment’s time to content and prefetch cost per variant (预取效果), and no such card otherwise', async () => {
    const exp = running({
      merchantId: null,
      parameter: 'feed.prefetch',
      variants: [
        { name: 'control', weight: 1, value: 'off' },
        { name: 'more', weight: 1, value: 'learned' },
      ],
    });
    const q = (p50: number, p90: number) => ({ n: 400, p50, p90, p99: p90 * 1.5 });
    const row = (variant: string, over: object) => ({
      variant,
      opens: 400,
      timeToContent: null,
      reports: 0,
      calls: 0,
      bytes: 0,
      hits: 0,
      callsPerOpen: null,
      bytesPerOpen: null,
      hitRate: null,
      ...over,
    });
    const prefetch = [
      row('control', { timeToContent: q(310, 520), callsPerOpen: 0, bytesPerOpen: 0, hitRate: 0 }),
      row('more', {
        timeToContent: q(12.4, 480),
        reports: 120,
        calls: 1200,
        bytes: 6_144_000,
        hits: 180,
        callsPerOpen: 3,
        bytesPerOpen: 15_360,
        hitRate: 0.45,
      }),
    ];
    stubMerchant(server({ exp, res: results({ prefetch }) }));
    const page = await openExp();
    expect(page.querySelector('#rs-exp-prefetch')).toBeTruthy();
    expect(fullTexts(page, TAG, 'rs-exp__prefetch')).toEqual([
      expect.stringMatching(
        /详情内容耗时 p50 310 ms，p90 520 ms（400 次打开） 每次打开预取 0\.00 次请求、0\.0 KB；命中 0(\.0)?%/,
      ),
      expect.stringMatching(
        /详情内容耗时 p50 12 ms，p90 480 ms（400 次打开） 每次打开预取 3\.00 次请求、15\.0 KB；命中 45\.0%（共 1,?200 次请求，6000\.0 KB）/,
      ),
    ]);

    stubMerchant(server({}));
    const plain = await openExp();
    expect(plain.querySelector('#rs-exp-prefetch')).toBeFalsy();
  });

  it('says when the results were capped', async () => {
    stubMerchant(server({ res: results({ truncated: true, eventsRead: 200000 }) }));
    const page = await openExp();
    expect(noticeTexts(page)).toEqual([
      '数据量较大，本次只统计了前 20.0万 条事件，结果可能不完整。',
    ]);
  });

  it('a draft asks for no results; its owner starts it after confirming and sees the results', async () => {
    const calls = stubMerchant(server({ exp: experiment() }));
    const page = await openExp();
    expect(calls.map((c) => c.action)).toEqual(['me', 'experiment.get']);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '实验尚未开始，开始后这里会显示各组结果',
    ]);
    expect(page.querySelector('#rs-exp-stop')).toBeFalsy();

    const modal = answerModal(true);
    await tap(page, 'rs-exp-start', '.van-button');
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '开始实验' }));
    expect(calls[2]).toEqual({ action: 'experiment.start', experimentId: 'exp_a' });
    expect(calls.slice(3).map((c) => c.action)).toEqual([
      'me',
      'experiment.get',
      'experiment.results',
    ]);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['运行中']);
    expect(metricRows(page)).toHaveLength(2);
    expect(page.querySelector('#rs-exp-stop')).toBeTruthy();
  });

  it('stop is sent only when confirmed, and a stopped experiment offers no action', async () => {
    const calls = stubMerchant(server({}));
    const page = await openExp();
    let modal = answerModal(false);
    await tap(page, 'rs-exp-stop', '.van-button');
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '停止实验' }));
    expect(calls.filter((c) => c.action === 'experiment.stop')).toEqual([]);

    modal.mockRestore();
    modal = answerModal(true);
    await tap(page, 'rs-exp-stop', '.van-button');
    expect(calls.filter((c) => c.action === 'experiment.stop')).toEqual([
      { action: 'experiment.stop', experimentId: 'exp_a' },
    ]);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['已停止']);
    expect(page.querySelector('#rs-exp-stop')).toBeFalsy();
    expect(page.querySelector('#rs-exp-start')).toBeFalsy();
  });

  it('a draft stopped before it started asks for no results and says there are none', async () => {
    const calls = stubMerchant(
      server({ exp: experiment({ status: 'stopped', stoppedAt: Date.UTC(2026, 10, 21) }) }),
    );
    const page = await openExp();
    expect(calls.map((c) => c.action)).toEqual(['me', 'experiment.get']);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '实验未开始就已停止，没有结果',
    ]);
    expect(page.querySelector('#rs-exp-start')).toBeFalsy();
  });

  it('staff see results but no start or stop', async () => {
    stubMerchant(server({ role: 'staff' }));
    const page = await openExp();
    expect(metricRows(page)).toHaveLength(2);
    expect(page.querySelector('#rs-exp-stop')).toBeFalsy();
  });

  it('shows the error with a retry that loads again', async () => {
    let fail = true;
    const calls = stubMerchant(
      server({
        extra: (req) =>
          req.action === 'experiment.results' && fail
            ? new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试')
            : undefined,
      }),
    );
    const page = await openExp();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '服务暂时不可用，请稍后重试',
    ]);
    fail = false;
    await tapRetry(page);
    expect(calls.slice(3).map((c) => c.action)).toEqual([
      'me',
      'experiment.get',
      'experiment.results',
    ]);
    expect(metricRows(page)).toHaveLength(2);
  });

  it('without an experiment id it asks nothing and says where to come from', async () => {
    const calls = stubMerchant(server({}));
    const page = await openExp({});
    expect(calls).toEqual([]);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '没有指定实验，请从实验列表进入',
    ]);
  });
});
