/**
 * The experience-score (体验评分) rules that can be checked offline, per page in
 * miniprogram-simulate with real vant components and worst-case sizes: setData on the first
 * screen and on load-more (≤ 256 KB per call, ≤ 20 calls in any second, as measured by the
 * `measured` behavior every page uses), and the first render's WXML tree (< 1,000 nodes,
 * depth < 30; vant's own nodes included, as the runtime renders them).
 */
import * as simulate from 'miniprogram-simulate';
import type { CommentView, ContentCard, FeedCard, RecommendResponse } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import {
  MAX_BYTES_PER_CALL,
  MAX_CALLS_PER_SECOND,
  type SetDataMeter,
} from '../../../miniprogram/services/set-data-meter';
import feedJson from '../../../miniprogram/pages/feed/index.json';
import detailJson from '../../../miniprogram/pages/detail/index.json';
import { loadWithVant } from '../helpers/vant';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { stubContent } from '../helpers/content-api';
import { recordingTracker } from '../helpers/recording-tracker';

type AnyObject = WechatMiniprogram.IAnyObject;
type Rendered = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: AnyObject & {
    setDataMeter: SetDataMeter;
    onLoad(q?: object): Promise<void>;
    onReachBottom(): Promise<void>;
  };
};

/** Element count and depth of the rendered tree. */
function shape(root: Element): { nodes: number; depth: number } {
  let nodes = 0;
  let depth = 0;
  const walk = (el: Element, d: number): void => {
    nodes++;
    depth = Math.max(depth, d);
    for (const c of Array.from(el.children)) walk(c, d + 1);
  };
  walk(root, 1);
  return { nodes, depth };
}

function expectWithinBudgets(page: Rendered): void {
  const m = page.instance.setDataMeter.peek();
  expect(m.calls).toBeGreaterThan(0); // the meter saw the page's calls
  expect(m.maxBytes).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
  expect(m.peakPerSecond).toBeLessThanOrEqual(MAX_CALLS_PER_SECOND);
}

function expectSmallTree(page: Rendered): void {
  const { nodes, depth } = shape(page.dom as Element);
  expect(nodes).toBeGreaterThan(50); // the page really rendered (cards, vant's nodes)
  expect(nodes).toBeLessThan(1_000);
  expect(depth).toBeLessThan(30);
}

const long = '很长的文字🙂'.repeat(400);
const item = (id: string) => ({
  id,
  title: long,
  summary: long,
  category: '美食',
  tags: Array.from({ length: 50 }, (_, t) => `标签${t}`),
  cover: `https://img.example.com/${'c'.repeat(400)}.jpg`,
  publishedAt: 0,
});

afterEach(() => {
  setApi(null);
  setTracker(null);
  forgetCards();
});

describe('experience score: feed', () => {
  let pageId: string;
  beforeAll(() => {
    pageId = loadWithVant('pages/feed/index', 'feed-page', feedJson.usingComponents);
  });

  it('keeps first screen and load-more within the setData budgets, and the first render small', async () => {
    recordingTracker();
    const page10 = (p: number): RecommendResponse => ({
      slateId: `slate-${p}`,
      cursor: `c${p}`,
      cards: Array.from({ length: 10 }, (_, i): FeedCard => ({
        kind: 'content',
        position: p * 10 + i,
        item: item(`i-${p}-${i}`),
      })),
    });
    stubFunction('recommend', inOrder([page10(0), page10(1), page10(2)]));
    const page = simulate.render(pageId) as unknown as Rendered;
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({});
    await simulate.sleep(0);
    expectWithinBudgets(page);
    expectSmallTree(page);
    await page.instance.onReachBottom();
    await page.instance.onReachBottom();
    await simulate.sleep(0);
    expect(page.data.cards).toHaveLength(30);
    expectWithinBudgets(page);
  });
});

describe('experience score: detail', () => {
  let pageId: string;
  beforeAll(() => {
    pageId = loadWithVant('pages/detail/index', 'detail-page', detailJson.usingComponents);
  });

  it('keeps first screen and more comments within the setData budgets, and the first render small', async () => {
    recordingTracker();
    const card: ContentCard = { kind: 'content', position: 0, item: item('item-7') };
    rememberCards([card]);
    const comment = (n: number): CommentView => ({
      id: `c-${n}`,
      itemId: 'item-7',
      text: '评论'.repeat(250),
      author: `用户${n}`,
      createdAt: n,
      mine: false,
    });
    stubContent((req) => {
      if (req.action === 'item.get') return { action: 'item.get', item: card.item, liked: false };
      if (req.action === 'comment.list') {
        const p = req.cursor ? Number(req.cursor) : 0;
        return {
          action: 'comment.list',
          comments: Array.from({ length: 20 }, (_, i) => comment(p * 20 + i)),
          cursor: p < 2 ? String(p + 1) : null,
        };
      }
      throw new Error(`unscripted ${req.action}`);
    });
    const page = simulate.render(pageId) as unknown as Rendered;
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({ itemId: 'item-7', slateId: 'slate-1', position: '0' });
    await simulate.sleep(0);
    expectWithinBudgets(page);
    expectSmallTree(page);
    await page.instance.onReachBottom();
    await simulate.sleep(0);
    expectWithinBudgets(page);
  });
});
