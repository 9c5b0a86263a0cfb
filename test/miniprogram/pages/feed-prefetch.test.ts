/**
 * The feed page prefetches what its recommend answer's plan names (issue 18), in
 * miniprogram-simulate with real @vant/weapp components: on Wi-Fi each planned item's detail
 * payload is fetched and held for the detail page; on 3G nothing is fetched.
 */
import * as simulate from 'miniprogram-simulate';
import type { ContentCard, ContentRequest, RecommendResponse } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi, type ApiClient } from '../../../miniprogram/services/api';
import { forgetPrefetched, takePrefetched } from '../../../miniprogram/services/prefetch';
import pageJson from '../../../miniprogram/pages/feed/index.json';
import { loadWithVant } from '../helpers/vant';
import { recordingTracker } from '../helpers/recording-tracker';

const card = (i: number): ContentCard => ({
  kind: 'content',
  position: i,
  item: {
    id: `item-${i}`,
    title: `标题 ${i}`,
    summary: '',
    category: '美食',
    tags: [],
    cover: '',
    publishedAt: Date.UTC(2026, 10, 27),
  },
  pctr: 0.1 + i / 100,
});

const PAGE: RecommendResponse = {
  slateId: 'slate-1',
  cards: [0, 1, 2, 3].map(card),
  cursor: null,
  prefetch: { policy: 'learned', itemIds: ['item-3', 'item-2'], bytes: [9000, 9000] },
};

function server(): { content: ContentRequest[] } {
  const content: ContentRequest[] = [];
  setApi({
    async call(name: string, req: ContentRequest) {
      if (name === 'recommend') return PAGE;
      if (name !== 'content') throw new Error(`unexpected ${name}`);
      content.push(req);
      const itemId = 'itemId' in req ? req.itemId : '';
      if (req.action === 'item.get')
        return { action: 'item.get', item: card(Number(itemId.slice(5))).item, liked: false };
      if (req.action === 'comment.list')
        return { action: 'comment.list', comments: [], cursor: null };
      throw new Error(`unscripted ${req.action}`);
    },
  } as unknown as ApiClient);
  return { content };
}

function onNetwork(networkType: string): void {
  (wx as unknown as { getNetworkType: () => Promise<{ networkType: string }> }).getNetworkType =
    () => Promise.resolve({ networkType });
}

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/feed/index', 'feed-page', pageJson.usingComponents);
});
beforeEach(() => recordingTracker());
afterEach(() => {
  forgetPrefetched();
  setApi(null);
  setTracker(null);
});

async function open(): Promise<void> {
  const page = simulate.render(pageId) as unknown as {
    instance: { onLoad(q: object): Promise<void> };
  };
  (page as unknown as { attach(el: Element): void }).attach(
    document.createElement('parent-wrapper'),
  );
  await page.instance.onLoad({});
  await simulate.sleep(10);
}

describe('feed prefetch', () => {
  it('on Wi-Fi fetches the planned items’ detail payloads and holds them for the detail page', async () => {
    onNetwork('wifi');
    const { content } = server();
    await open();
    expect(content.map((r) => `${r.action} ${'itemId' in r ? r.itemId : ''}`).sort()).toEqual([
      'comment.list item-2',
      'comment.list item-3',
      'item.get item-2',
      'item.get item-3',
    ]);
    expect(takePrefetched('item-3')?.item.item.id).toBe('item-3');
    expect(takePrefetched('item-1')).toBeUndefined();
  });

  it('on 3G fetches nothing', async () => {
    onNetwork('3g');
    const { content } = server();
    await open();
    expect(content).toEqual([]);
    expect(takePrefetched('item-3')).toBeUndefined();
  });
});
