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
import type { SetDataMeter } from '../../../miniprogram/services/set-data-meter';
import feedJson from '../../../miniprogram/pages/feed/index.json';
import detailJson from '../../../miniprogram/pages/detail/index.json';
import { loadWithVant } from '../helpers/vant';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { stubContent } from '../helpers/content-api';
import { recordingTracker } from '../helpers/recording-tracker';
import { expectExperience, oversizedImages } from '../helpers/experience';
import * as imageSize from '../../../miniprogram/services/image-size';

type AnyObject = WechatMiniprogram.IAnyObject;
type Rendered = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: AnyObject & {
    setDataMeter: SetDataMeter;
    onLoad(q?: object): Promise<void>;
    onReachBottom(): Promise<void>;
  };
};

const long = '很长的文字🙂'.repeat(400);
const item = (id: string) => ({
  id,
  title: long,
  summary: long,
  category: '美食',
  tags: Array.from({ length: 50 }, (_, t) => `标签${t}`),
  // The demo world's covers: 640 × 360 px, stated in the URL.
  cover: `https://picsum.photos/seed/${'c'.repeat(400)}/640/360`,
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
    expectExperience(page, 50);
    await page.instance.onReachBottom();
    await page.instance.onReachBottom();
    await simulate.sleep(0);
    expect(page.data.cards).toHaveLength(30);
    expectExperience(page, 50);
  });

  it("asks for the cover at its box; the demo world's full 640 × 360 cover would be flagged", async () => {
    recordingTracker();
    const cards = Array.from({ length: 4 }, (_, i): FeedCard => ({
      kind: 'content',
      position: i,
      item: { ...item(`i-${i}`), cover: `https://picsum.photos/seed/i-${i}/640/360` },
    }));
    stubFunction('recommend', () => ({ slateId: 's', cursor: null, cards }));
    const open = async () => {
      const page = simulate.render(pageId) as unknown as Rendered;
      page.attach(document.createElement('parent-wrapper'));
      await page.instance.onLoad({});
      await simulate.sleep(0);
      return page;
    };
    const sized = await open();
    const srcs = sized.data.cards.map((c: { cover: string }) => c.cover);
    expect(srcs[0]).toBe('https://picsum.photos/seed/i-0/324/243'); // 216 × 162 rpx at 1.5 px per rpx
    expect(oversizedImages(sized.toJSON())).toEqual([]);

    // The check itself: the same covers asked at full size are over 2× their box both ways.
    const spy = jest.spyOn(imageSize, 'sizedImage').mockImplementation((url) => url);
    const full = await open();
    expect(oversizedImages(full.toJSON())).toHaveLength(4);
    spy.mockRestore();
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
    expectExperience(page, 50);
    await page.instance.onReachBottom();
    await simulate.sleep(0);
    expectExperience(page, 50);
  });
});
