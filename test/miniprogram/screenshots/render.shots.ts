/**
 * Renders each page and its main states for `npm run screenshots` (scripts/screenshots.ts), the way
 * the page tests do: miniprogram-simulate with real @vant/weapp, the API stubbed with the tests'
 * helpers and fixtures. Writes one JSON per state (the rendered DOM, the page and its tag) to
 * $SHOTS_OUT; the script turns them into PNGs. Not part of `npm test` (no *.test.ts name).
 */
import * as simulate from 'miniprogram-simulate';
import type { DailyReportRow, FeedCard, FunctionMap, FunctionName } from '../../../typings';
import { setCanvasQuery } from '../../../miniprogram/merchant/chart/canvas';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { setTracker } from '../../../miniprogram/services/analytics';
import { PERF_REPORT } from '../helpers/perf-report';
import { recordingTracker } from '../helpers/recording-tracker';
import { loadWithVant } from '../helpers/vant';
import { open, settle, tap, type } from '../merchant/page-helpers';
import { meOwner, summary, campaign } from '../merchant/campaign-fixtures';
import { SCENES, targetingOptions } from '../merchant/campaign-editor';
import { experiment, me as experimentsMe, results, running } from '../merchant/experiment-fixtures';
import { recordingCanvas } from '../merchant/recording-canvas';
import feedJson from '../../../miniprogram/pages/feed/index.json';
import detailJson from '../../../miniprogram/pages/detail/index.json';
import adJson from '../../../miniprogram/pages/ad/index.json';
import meJson from '../../../miniprogram/pages/me/index.json';
import likedJson from '../../../miniprogram/pages/me/liked/index.json';
import supportJson from '../../../miniprogram/pages/support/index.json';
import homeJson from '../../../miniprogram/merchant/pages/home/index.json';
import campaignJson from '../../../miniprogram/merchant/pages/campaign/index.json';
import reportJson from '../../../miniprogram/merchant/pages/report/index.json';
import experimentsJson from '../../../miniprogram/merchant/pages/experiments/index.json';
import experimentJson from '../../../miniprogram/merchant/pages/experiment/index.json';
import perfJson from '../../../miniprogram/merchant/pages/perf/index.json';

declare const process: { env: Record<string, string | undefined> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('fs') as { writeFileSync(file: string, text: string): void };

const OUT = process.env.SHOTS_OUT;
jest.setTimeout(60_000);

/** loadWithVant, once per page (simulate loads a page path once; a second state renders it again). */
const loaded = new Map<string, string>();
function loadOnce(path: string, tag: string, usingComponents: Record<string, string>): string {
  const id = loaded.get(path) ?? loadWithVant(path, tag, usingComponents);
  loaded.set(path, id);
  return id;
}

/** Answers by function and action; anything unscripted fails as the network would (the page shows its error state). */
type Script = Partial<Record<FunctionName, Record<string, unknown>>>;
function scripted(script: Script): void {
  setApi({
    async call<N extends FunctionName>(name: N, req: FunctionMap[N]['req']) {
      const action = (req as { action?: string }).action ?? '';
      const answer = script[name]?.[action] ?? script[name]?.['*'];
      if (answer === undefined || answer instanceof Error)
        throw answer ?? new ApiError('NETWORK', '网络连接失败');
      return answer as FunctionMap[N]['res'];
    },
  });
}

interface JsonNode {
  tagName?: string;
  attrs?: Array<{ name: string; value: unknown }>;
  children?: unknown[];
}
/** Every input and textarea of simulate's JSON tree, in document order, with its attributes. */
function fields(
  node: unknown,
  out: Array<Record<string, unknown>> = [],
): Array<Record<string, unknown>> {
  if (!node || typeof node !== 'object') return out;
  const n = node as JsonNode;
  if (n.tagName === 'wx-input' || n.tagName === 'wx-textarea')
    out.push(Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value])));
  for (const c of n.children ?? []) fields(c, out);
  return out;
}

/**
 * simulate keeps an input's value and placeholder as properties, not in the DOM: copy them onto the
 * DOM nodes (matched in document order, only when both trees agree on the count) for the CSS to show.
 */
function showFieldText(page: { dom: unknown; toJSON(): unknown }): void {
  const nodes = Array.from((page.dom as HTMLElement).querySelectorAll('wx-input,wx-textarea'));
  const attrs = fields(page.toJSON());
  if (nodes.length !== attrs.length) return;
  nodes.forEach((el, i) => {
    el.setAttribute('data-shot-text', String(attrs[i].value ?? ''));
    el.setAttribute('data-shot-placeholder', String(attrs[i].placeholder ?? ''));
  });
}

function save(
  name: string,
  pagePath: string,
  tag: string,
  page: { dom: unknown; toJSON(): unknown },
): void {
  if (!OUT) throw new Error('SHOTS_OUT is not set: run `npm run screenshots`');
  showFieldText(page);
  const html = (page.dom as HTMLElement).outerHTML;
  fs.writeFileSync(`${OUT}/${name}.json`, JSON.stringify({ name, pagePath, tag, html }));
}

const ITEMS = [
  ['成都三天两夜吃遍老街小馆', '从宽窄巷子到玉林路，十二家本地人常去的店', '美食'],
  ['秋天的川西自驾路线', '新都桥、塔公草原与木格措，适合五天的行程', '旅行'],
  ['手机拍夜景的五个技巧', '稳住、降曝光、用好人像模式', '科技'],
  ['一周三次的轻断食食谱', '营养师推荐的低卡家常菜', '健康'],
] as const;
const cards: FeedCard[] = ITEMS.map(([title, summaryText, category], i) => ({
  kind: 'content',
  position: i,
  item: {
    id: `item-${i}`,
    title,
    summary: summaryText,
    category,
    tags: [],
    cover: '',
    publishedAt: 0,
  },
}));
cards.splice(1, 0, {
  kind: 'ad',
  position: 1,
  sponsored: true,
  adId: 'camp-1',
  advertiser: '川味小馆',
  merchantId: 'm-1',
  creative: {
    title: '新店开业 双人火锅套餐',
    description: '全场八折，仅限本周',
    image: '',
    landing: { kind: 'page', path: 'pages/feed/index' },
  },
  reason: { code: 'interest', text: '你关注了「美食」' },
});

/** Three days of a campaign's report, the last with a refund (its CPA and ROAS net of it). */
const REPORT_ROWS: DailyReportRow[] = [
  ['20261126', 2_000, 1_500, 30, 4_500, 4, 2, 9_000, 0, 0],
  ['20261127', 1_800, 1_400, 21, 3_150, 1, 1, 4_500, 0, 0],
  ['20261128', 15_000, 12_000, 120, 12_345, 30, 10, 24_690, 1, 990],
].map(([day, won, views, clicks, spend, invalid, orders, paid, refunds, refunded]) => {
  const netOrders = (orders as number) - (refunds as number);
  const netPaid = (paid as number) - (refunded as number);
  return {
    day: day as string,
    requestsWon: won as number,
    viewableImpressions: views as number,
    clicks: clicks as number,
    spendFen: spend as number,
    invalidClicks: invalid as number,
    ctr: (clicks as number) / (views as number),
    orders: orders as number,
    paidFen: paid as number,
    refunds: refunds as number,
    refundedFen: refunded as number,
    netOrders,
    netPaidFen: netPaid,
    cpaFen: Math.round((spend as number) / netOrders),
    roas: netPaid / (spend as number),
  };
});

afterEach(() => {
  setApi(null);
  setTracker(null);
  setCanvasQuery(null);
  jest.restoreAllMocks();
});

describe('pages', () => {
  it('feed: loaded, empty, offline', async () => {
    setTracker(recordingTracker() as never);
    const id = loadWithVant('pages/feed/index', 'feed-page', feedJson.usingComponents);
    const states: Array<[string, unknown]> = [
      ['loaded', { action: '', slateId: 's1', cursor: 'c2', cards }],
      ['empty', { slateId: 's1', cursor: null, cards: [] }],
      ['offline', new ApiError('NETWORK', '网络连接失败')],
    ];
    for (const [state, answer] of states) {
      scripted({ recommend: { '*': answer } });
      const page = await open(id);
      save(`feed-${state}`, 'pages/feed/index', 'feed-page', page);
    }
  });

  it('detail: loaded', async () => {
    setTracker(recordingTracker() as never);
    const id = loadWithVant('pages/detail/index', 'detail-page', detailJson.usingComponents);
    scripted({
      content: {
        'item.get': {
          action: 'item.get',
          liked: true,
          item: {
            ...(cards[0] as { item: object }).item,
            body: '第一站是玉林路的老字号冒菜……',
            likes: 128,
          },
        },
        'comment.list': {
          action: 'comment.list',
          cursor: null,
          comments: [
            {
              id: 'cm-1',
              text: '收藏了，下个月就去！',
              nickname: '小林',
              createdAt: Date.UTC(2026, 10, 20),
              mine: false,
            },
            {
              id: 'cm-2',
              text: '第三家真的很好吃',
              nickname: '阿杰',
              createdAt: Date.UTC(2026, 10, 21),
              mine: true,
            },
          ],
        },
      },
    });
    const page = await open(id, { itemId: 'item-0', slateId: 's1', position: '0' });
    await simulate.sleep(0);
    save('detail-loaded', 'pages/detail/index', 'detail-page', page);
  });

  it('ad: loaded', async () => {
    setTracker(recordingTracker() as never);
    const id = loadWithVant('pages/ad/index', 'ad-page', adJson.usingComponents);
    const ad = cards[1] as Extract<FeedCard, { kind: 'ad' }>;
    const { position: _p, reason: _r, ...view } = ad;
    void _p;
    void _r;
    scripted({
      content: {
        'ad.get': {
          action: 'ad.get',
          ad: {
            ...view,
            offer: { title: '双人火锅套餐', priceFen: 9_900, stock: 10, perUserLimit: 2 },
          },
        },
      },
    });
    const page = await open(id, { adId: 'camp-1' });
    save('ad-loaded', 'pages/ad/index', 'ad-page', page);
  });

  it('me: loaded', async () => {
    const likedId = loadWithVant('pages/me/liked/index', 'rs-liked', likedJson.usingComponents);
    const id = loadWithVant('pages/me/index', 'me-page', meJson.usingComponents, {
      'rs-liked': likedId,
    });
    scripted({
      content: {
        'likes.list': {
          action: 'likes.list',
          cursor: null,
          items: cards
            .filter((c): c is Extract<FeedCard, { kind: 'content' }> => c.kind === 'content')
            .slice(0, 2)
            .map((c, i) => ({ item: c.item, likedAt: Date.UTC(2026, 10, 20 + i) })),
        },
      },
      account: {
        'profile.get': {
          action: 'profile.get',
          profile: {
            interests: [
              { tag: 'cat:美食', score: 2 },
              { tag: 'tag:露营', score: 1 },
            ],
            eventCounts: { impression: 12, like: 3, comment: 1 },
            experiments: [],
            personalized: true,
          },
        },
      },
    });
    const page = await open(id);
    save('me-loaded', 'pages/me/index', 'me-page', page);
  });

  it('support: answered', async () => {
    const id = loadWithVant('pages/support/index', 'support-page', supportJson.usingComponents);
    scripted({
      support: {
        ask: {
          action: 'ask',
          askId: '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
          lowConfidence: false,
          answers: [
            {
              faqId: '3f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
              category: '支付',
              question: '如何申请退款',
              answer: '在订单详情中点击「申请退款」',
              score: 0.747,
            },
            {
              faqId: '4f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
              category: '支付',
              question: '付款失败怎么办',
              answer: '请确认余额后重试',
              score: 0.41,
            },
          ],
        },
      },
    });
    const page = await open(id);
    await type(page, 'rs-sp-question', '我要退钱');
    await tap(page, 'rs-sp-ask', '.van-button');
    await simulate.sleep(0);
    save('support-answered', 'pages/support/index', 'support-page', page);
  });
});

describe('merchant pages', () => {
  it('home: loaded', async () => {
    const id = loadWithVant('merchant/pages/home/index', 'merchant-home', homeJson.usingComponents);
    scripted({
      merchant: {
        me: meOwner,
        'campaign.list': {
          action: 'campaign.list',
          campaigns: [
            summary({ id: 'c_a', status: 'active' }),
            summary({ id: 'c_d', status: 'draft', name: '周末早午餐' } as never),
          ],
        },
      },
    });
    const page = await open(id);
    save('merchant-home', 'merchant/pages/home/index', 'merchant-home', page);
  });

  it('campaign editor: editing', async () => {
    const id = loadOnce(
      'merchant/pages/campaign/index',
      'merchant-campaign',
      campaignJson.usingComponents,
    );
    scripted({
      merchant: { me: meOwner, 'campaign.get': { action: 'campaign.get', campaign: campaign() } },
    });
    const page = await open(id, { campaignId: 'c_1' });
    save('merchant-campaign', 'merchant/pages/campaign/index', 'merchant-campaign', page);
  });

  it('campaign editor: in a 旅游出行 deployment (scene notice, out-of-scene interests muted)', async () => {
    const id = loadOnce(
      'merchant/pages/campaign/index',
      'merchant-campaign',
      campaignJson.usingComponents,
    );
    scripted({
      merchant: {
        me: meOwner,
        'campaign.get': { action: 'campaign.get', campaign: campaign() },
        'targeting.options': targetingOptions(
          { categories: ['美食', '旅行', '理财'], tags: ['火锅', '露营'] },
          SCENES.travel,
        ),
      },
    });
    const page = await open(id, { campaignId: 'c_1' });
    save('merchant-campaign-travel', 'merchant/pages/campaign/index', 'merchant-campaign', page);
  });

  it('report: error', async () => {
    const id = loadOnce(
      'merchant/pages/report/index',
      'merchant-report',
      reportJson.usingComponents,
    );
    scripted({ merchant: { me: meOwner } });
    const page = await open(id, { campaignId: 'c_1' });
    await settle();
    save('merchant-report-error', 'merchant/pages/report/index', 'merchant-report', page);
  });

  it('report: loaded (CPA and ROAS net of refunds)', async () => {
    const id = loadOnce(
      'merchant/pages/report/index',
      'merchant-report',
      reportJson.usingComponents,
    );
    // The report's days are the last 7 up to today: today is the rows' last day (12:00 in China).
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 10, 28, 4, 0));
    // The chart's canvas is not in the picture (the renders do not draw canvas): recorded, not shown.
    setCanvasQuery(async () => ({ ctx: recordingCanvas(), width: 320, height: 220 }));
    scripted({
      merchant: {
        me: meOwner,
        'campaign.get': { action: 'campaign.get', campaign: campaign() },
        'report.daily': { action: 'report.daily', rows: REPORT_ROWS },
        'report.breakdown': {
          action: 'report.breakdown',
          breakdown: { by: 'position', rows: [], suppressedRows: 0, minUsers: 10 },
        },
      },
    });
    const page = await open(id, { campaignId: 'c_1' });
    await settle();
    save('merchant-report-loaded', 'merchant/pages/report/index', 'merchant-report', page);
  });

  it('experiments: loaded', async () => {
    const id = loadWithVant(
      'merchant/pages/experiments/index',
      'merchant-experiments',
      experimentsJson.usingComponents,
    );
    scripted({
      merchant: {
        me: experimentsMe('owner'),
        'experiment.list': {
          action: 'experiment.list',
          experiments: [running(), experiment({ id: 'x_2', name: '封面图对比' } as never)],
          merchantParameters: ['ad.creative'],
        },
      },
    });
    const page = await open(id);
    save('merchant-experiments', 'merchant/pages/experiments/index', 'merchant-experiments', page);
  });

  it('experiment: results (paid net of refunds per variant)', async () => {
    const id = loadWithVant(
      'merchant/pages/experiment/index',
      'merchant-experiment',
      experimentJson.usingComponents,
    );
    const exp = running();
    scripted({
      merchant: {
        me: experimentsMe('owner'),
        'experiment.get': { action: 'experiment.get', experiment: exp },
        'experiment.results': { action: 'experiment.results', experiment: exp, results: results() },
      },
    });
    const page = await open(id, { experimentId: exp.id });
    await settle();
    save(
      'merchant-experiment-results',
      'merchant/pages/experiment/index',
      'merchant-experiment',
      page,
    );
  });

  it('perf: forbidden', async () => {
    const id = loadOnce('merchant/pages/perf/index', 'merchant-perf', perfJson.usingComponents);
    scripted({
      merchant: { 'perf.report': new ApiError('FORBIDDEN', '只有平台管理员可以进行此操作') },
    });
    const page = await open(id);
    save('merchant-perf-forbidden', 'merchant/pages/perf/index', 'merchant-perf', page);
  });

  it('perf: loaded', async () => {
    setTracker(recordingTracker() as never);
    const id = loadOnce('merchant/pages/perf/index', 'merchant-perf', perfJson.usingComponents);
    scripted({ merchant: { 'perf.report': { action: 'perf.report', report: PERF_REPORT } } });
    const page = await open(id);
    save('merchant-perf-loaded', 'merchant/pages/perf/index', 'merchant-perf', page);
  });
});
