/**
 * Prefetch (issue 18) in miniprogram-simulate with real @vant/weapp components: the payloads the
 * feed's plan names are fetched on Wi-Fi (on 4G within the launch's cellular allowance, never on
 * 3G), and the detail page opened on one renders its item, like state and comments before the
 * network answers anything; a stale or missing payload is fetched as before.
 */
import * as simulate from 'miniprogram-simulate';
import type { CommentView, ContentRequest, ContentResponse, PrefetchPlan } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi, type ApiClient } from '../../../miniprogram/services/api';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import {
  CELLULAR_BYTES,
  forgetPrefetched,
  prefetchPlan,
  prefetchStats,
  PREFETCH_TTL_MS,
} from '../../../miniprogram/services/prefetch';
import pageJson from '../../../miniprogram/pages/detail/index.json';
import { deferred, stubContent } from '../helpers/content-api';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { recordingTracker } from '../helpers/recording-tracker';
import { PICNIC_CARD } from '../helpers/detail-fixtures';

const CARD = PICNIC_CARD;
const SERVER_ITEM = { ...CARD.item, title: '春日野餐指南（更新版）' };
const COMMENT: CommentView = {
  id: 'c-1',
  itemId: 'item-7',
  text: '预取的评论',
  author: '用户AAA1',
  createdAt: Date.UTC(2026, 10, 28, 1),
  mine: false,
};
const PLAN: PrefetchPlan = { policy: 'learned', itemIds: ['item-7'], bytes: [9000] };

/** A content client that answers item-7's payload and records every request. */
function server(): { client: ApiClient; requests: ContentRequest[] } {
  const requests: ContentRequest[] = [];
  const client = {
    async call(name: string, req: ContentRequest) {
      if (name !== 'content') throw new Error(`unexpected ${name}`);
      requests.push(req);
      if (req.action === 'item.get') return { action: 'item.get', item: SERVER_ITEM, liked: true };
      if (req.action === 'comment.list')
        return { action: 'comment.list', comments: [COMMENT], cursor: 'p2' };
      throw new Error(`unscripted ${req.action}`);
    },
  } as unknown as ApiClient;
  return { client, requests };
}

function onNetwork(networkType: string): void {
  (wx as unknown as { getNetworkType: () => Promise<{ networkType: string }> }).getNetworkType =
    () => Promise.resolve({ networkType });
}

type DetailPage = Omit<
  simulate.RootComponent<
    WechatMiniprogram.IAnyObject,
    WechatMiniprogram.IAnyObject,
    WechatMiniprogram.IAnyObject
  >,
  'instance'
> & { instance: { onLoad(q?: object): Promise<void> } };

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/detail/index', 'detail-page', pageJson.usingComponents);
});
beforeEach(() => {
  rememberCards([CARD]);
  recordingTracker();
});
afterEach(() => {
  forgetCards();
  forgetPrefetched();
  setTracker(null);
  setApi(null);
});

/** Opens the detail page without awaiting its load: what it shows at once. */
function open(): { page: DetailPage; loaded: Promise<void> } {
  const page = simulate.render(pageId) as unknown as DetailPage;
  page.attach(document.createElement('parent-wrapper'));
  const loaded = page.instance.onLoad({ itemId: 'item-7', slateId: 'slate-1', position: '3' });
  return { page, loaded };
}

describe('detail prefetch', () => {
  it('on Wi-Fi fetches the planned payload; the detail page then shows it before the network answers anything', async () => {
    onNetwork('wifi');
    const { client, requests } = server();
    await prefetchPlan(PLAN, client);
    expect(requests.map((r) => r.action)).toEqual(['item.get', 'comment.list']);
    expect(prefetchStats()).toMatchObject({ calls: 2, hits: 0 });

    // From now on the network never answers.
    const never = deferred<never>();
    const live = stubContent(() => never.promise);
    const { page, loaded } = open();
    await simulate.sleep(0);
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南（更新版）']);
    expect(texts(page, 'detail-page', 'rs-detail__comment-text')).toEqual(['预取的评论']);
    expect((page as unknown as { data: { liked: boolean } }).data.liked).toBe(true);
    await loaded;
    expect(live).toEqual([]);
    expect(prefetchStats().hits).toBe(1);
  });

  it('fetches nothing on 3G; on 4G only within the cellular allowance', async () => {
    const { client, requests } = server();
    onNetwork('3g');
    await prefetchPlan(PLAN, client);
    expect(requests).toEqual([]);
    onNetwork('4g');
    await prefetchPlan(
      { policy: 'position', itemIds: ['a', 'b', 'item-7'], bytes: [CELLULAR_BYTES - 100, 200, 50] },
      client,
    );
    // 'b' would pass the allowance; 'item-7' still fits after it.
    expect(requests.map((r) => ('itemId' in r ? r.itemId : ''))).toEqual([
      'a',
      'a',
      'item-7',
      'item-7',
    ]);
  });

  it('a payload past its TTL is not used: the page asks the network as before', async () => {
    onNetwork('wifi');
    const t0 = Date.now();
    await prefetchPlan(PLAN, server().client, () => t0 - PREFETCH_TTL_MS - 1);
    const never = deferred<never>();
    const live = stubContent(() => never.promise);
    const { page } = open();
    await simulate.sleep(0);
    // The card the feed served, while the page waits for the network.
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南']);
    expect(live.map((r) => r.action).sort()).toEqual(['comment.list', 'item.get']);
  });

  it('measures the time to content once per open: at once from the prefetch, after the answer from the network', async () => {
    const tracked = recordingTracker({ withPerf: true });
    onNetwork('wifi');
    await prefetchPlan(PLAN, server().client);
    const never = deferred<never>();
    stubContent(() => never.promise);
    const hit = open();
    await hit.loaded;
    const timings = () => tracked.filter(([type]) => type === 'page_perf').map(([, p]) => p);
    expect(timings()).toEqual([
      expect.objectContaining({ metric: 'timeToContent', page: 'pages/detail/index' }),
    ]);
    expect((timings()[0] as { durationMs: number }).durationMs).toBeLessThan(1_000);

    // Without a prefetch: measured only once the server's answer is shown (not the card's preview).
    forgetPrefetched();
    const item = deferred<ContentResponse>();
    stubContent((req) =>
      req.action === 'item.get'
        ? item.promise
        : { action: 'comment.list', comments: [], cursor: null },
    );
    const miss = open();
    await simulate.sleep(0);
    expect(timings()).toHaveLength(1);
    item.resolve({ action: 'item.get', item: PICNIC_CARD.item, liked: false });
    await miss.loaded;
    expect(timings()).toHaveLength(2);
  });
});
