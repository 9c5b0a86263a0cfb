/**
 * The detail page in miniprogram-simulate with real @vant/weapp components, a recording tracker
 * and a stubbed `content` client: the item from the feed's card store or, opened cold, from
 * item.get (loading, not found, error and retry); the comment list with paging, empty and error
 * states; posting (client checks, the server's refusal shown, no separate comment event) and
 * deleting one's own; like / unlike, share and shared opens, and dwell time, each naming the
 * slate and position the card was served at.
 */
import * as simulate from 'miniprogram-simulate';
import type { CommentView, ContentRequest, ContentResponse } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import pageJson from '../../../miniprogram/pages/detail/index.json';
import { deferred, stubContent, type ContentHandler } from '../helpers/content-api';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { answerNextModal } from '../helpers/modal';
import { recordingTracker, tapsOf } from '../helpers/recording-tracker';
import { retryButton, tapRetry } from '../helpers/load-state';
import { PICNIC_CARD } from '../helpers/detail-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const CARD = PICNIC_CARD;
/** The item as the server has it now (a fresher title than the card the feed served). */
const SERVER_ITEM = { ...CARD.item, title: '春日野餐指南（更新版）' };

const comment = (n: number, over: Partial<CommentView> = {}): CommentView => ({
  id: `c-${n}`,
  itemId: 'item-7',
  text: `第 ${n} 条评论`,
  author: `用户${String(n).padStart(4, 'A')}`,
  createdAt: Date.UTC(2026, 10, 28, 1, n),
  mine: false,
  ...over,
});

type AnyObject = WechatMiniprogram.IAnyObject;
type DetailPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: {
    onLoad(q?: object): Promise<void>;
    onShow(): void;
    onHide(): void;
    onUnload(): void;
    onReachBottom(): Promise<void>;
    onShareAppMessage(): { title: string; path: string };
  };
};

/** Answers for an item with these comment pages (cursor "p2", "p3" … between them). */
function world(
  pages: CommentView[][] = [[]],
  opts: { liked?: boolean; item?: ContentResponse | Error } = {},
): ContentHandler {
  return (req: ContentRequest) => {
    if (req.action === 'item.get')
      return opts.item ?? { action: 'item.get', item: SERVER_ITEM, liked: opts.liked ?? false };
    if (req.action === 'like.set') return { action: 'like.set', liked: req.liked };
    if (req.action === 'comment.list') {
      const i = req.cursor ? Number(req.cursor.slice(1)) - 1 : 0;
      return {
        action: 'comment.list',
        comments: pages[i] ?? [],
        cursor: i + 1 < pages.length ? `p${i + 2}` : null,
      };
    }
    throw new Error(`unscripted ${req.action}`);
  };
}

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant('pages/detail/index', 'detail-page', pageJson.usingComponents);
});

beforeEach(() => rememberCards([CARD]));

afterEach(() => {
  forgetCards();
  setTracker(null);
  setApi(null);
  jest.restoreAllMocks();
});

function render(): DetailPage {
  const page = simulate.render(pageId) as unknown as DetailPage;
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

async function open(
  query: object = { itemId: 'item-7', slateId: 'slate-1', position: '3' },
): Promise<DetailPage> {
  const page = render();
  await page.instance.onLoad(query);
  await simulate.sleep(0);
  return page;
}

/** Taps vant's native button inside the van-button with this id. */
async function tapButton(page: DetailPage, id: string): Promise<void> {
  const button = page.querySelector(`#${id}`)?.querySelector('.van-button');
  expect(button).toBeTruthy();
  button?.dispatchEvent('tap');
  await simulate.sleep(0);
}

/** Types into the comment field's own textarea, as a person would; van-field emits `change`. */
async function typeComment(page: DetailPage, value: string): Promise<void> {
  const field = page.querySelector('#rs-detail-comment');
  const control = field?.querySelector('.van-field__control--textarea');
  expect(control).toBeTruthy();
  control?.dispatchEvent('input', { detail: { value } });
  await simulate.sleep(0);
}

const commentTexts = (page: DetailPage) => texts(page, 'detail-page', 'rs-detail__comment-text');
const moreText = (page: DetailPage) => texts(page, 'detail-page', 'rs-detail__more-text');
const authors = (page: DetailPage) => texts(page, 'detail-page', 'rs-detail__comment-author');

describe('detail page: the item', () => {
  it("renders the tapped item from the card store at once, then takes the server's version and like state", async () => {
    const item = deferred<ContentResponse>();
    const calls = stubContent((req) => (req.action === 'item.get' ? item.promise : world()(req)));
    const page = render();
    const loaded = page.instance.onLoad({ itemId: 'item-7', slateId: 'slate-1', position: '3' });
    await simulate.sleep(0);
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南']);
    expect(texts(page, 'detail-page', 'rs-detail__summary')).toEqual(['带上篮子去公园']);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['美食']);
    expect(texts(page, 'detail-page', 'rs-detail__date')).toEqual(['2026年11月28日']); // 20:00 UTC is the next day in China
    item.resolve({ action: 'item.get', item: SERVER_ITEM, liked: true });
    await loaded;
    await simulate.sleep(0);
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南（更新版）']);
    expect(page.querySelector('#rs-detail-like')?.dom?.textContent).toContain('已赞');
    expect(calls).toEqual([
      { action: 'item.get', itemId: 'item-7' },
      { action: 'comment.list', itemId: 'item-7', limit: 20 },
    ]);
  });

  it('shows social proof from item.get ("3 位好友赞过"), and nothing when the server sent none', async () => {
    stubContent(
      world([[]], {
        item: { action: 'item.get', item: SERVER_ITEM, liked: false, socialProof: 4 },
      }),
    );
    const page = await open();
    expect(texts(page, 'detail-page', 'rs-detail__proof')).toEqual(['4 位好友赞过']);
    stubContent(world());
    const plain = await open();
    expect(texts(plain, 'detail-page', 'rs-detail__proof')).toEqual([]);
  });

  it('follows and unfollows the item’s author (关注作者), and shows a refusal as a toast', async () => {
    const toast = jest.spyOn(wx, 'showToast');
    const author = { id: 'author-1', name: '作者 author-1', following: false };
    let refuse = false;
    const calls = stubContent((req) => {
      if (req.action === 'item.get')
        return { action: 'item.get', item: SERVER_ITEM, liked: false, author };
      if (req.action === 'author.follow')
        return refuse
          ? new ApiError('FORBIDDEN', '关注前需要先同意隐私说明（在「我的」页可查看）')
          : { action: 'author.follow', author: { ...author, following: true } };
      if (req.action === 'author.unfollow') return { action: 'author.unfollow', unfollowed: true };
      return world()(req);
    });
    const page = await open();
    const label = () => page.querySelector('#rs-detail-author')?.dom?.textContent?.trim();
    expect(label()).toBe('关注作者');
    await tapButton(page, 'rs-detail-author');
    expect(label()).toBe('已关注作者');
    await tapButton(page, 'rs-detail-author');
    expect(label()).toBe('关注作者');
    expect(calls.filter((c) => c.action.startsWith('author.'))).toEqual([
      { action: 'author.follow', itemId: 'item-7' },
      { action: 'author.unfollow', authorId: 'author-1' },
    ]);
    refuse = true;
    await tapButton(page, 'rs-detail-author');
    expect(label()).toBe('关注作者');
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({
        title: '关注前需要先同意隐私说明（在「我的」页可查看）',
        icon: 'none',
      }),
    );
  });

  it('adds a travel item to the trip (加入行程) and takes it out again; a plain item has no button', async () => {
    const toast = jest.spyOn(wx, 'showToast');
    const sight = { ...SERVER_ITEM, category: '旅行', place: { city: '成都' } };
    const entry = { item: sight, city: '成都', addedAt: 1 };
    let refuse = false;
    const calls = stubContent((req) => {
      if (req.action === 'item.get') return { action: 'item.get', item: sight, liked: false };
      if (req.action === 'trip.add')
        return refuse
          ? new ApiError('FORBIDDEN', '加入行程前需要先同意隐私说明（在「我的」页可查看）')
          : { action: 'trip.add', trip: { entries: [entry], cities: ['成都'] } };
      if (req.action === 'trip.remove')
        return { action: 'trip.remove', trip: { entries: [], cities: [] } };
      return world()(req);
    });
    const page = await open();
    const label = () => page.querySelector('#rs-detail-trip')?.dom?.textContent?.trim();
    expect(label()).toBe('加入行程');
    await tapButton(page, 'rs-detail-trip');
    expect(label()).toBe('已加入行程');
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '已加入行程（共 1 项）' }),
    );
    await tapButton(page, 'rs-detail-trip');
    expect(label()).toBe('加入行程');
    expect(calls.filter((c) => c.action.startsWith('trip.'))).toEqual([
      { action: 'trip.add', itemId: 'item-7' },
      { action: 'trip.remove', itemId: 'item-7' },
    ]);
    refuse = true;
    await tapButton(page, 'rs-detail-trip');
    expect(label()).toBe('加入行程');
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '加入行程前需要先同意隐私说明（在「我的」页可查看）' }),
    );

    stubContent(world());
    const plain = await open();
    expect(plain.querySelector('#rs-detail-trip')).toBeFalsy();
  });

  it('shows no author button before the server named the author', async () => {
    stubContent(world());
    const page = await open();
    expect(page.querySelector('#rs-detail-author')).toBeFalsy();
  });

  it('offers customer service with the item as the session context', async () => {
    stubContent(world());
    const page = await open();
    const contact = page.querySelector('#rs-detail-contact');
    expect(contact?.dom?.textContent).toContain('客服');
    expect(contact?.data).toMatchObject({ openType: 'contact', sessionFrom: 'item:item-7' });
  });

  it('keeps the card-store item when item.get fails', async () => {
    stubContent((req) =>
      req.action === 'item.get' ? new ApiError('NETWORK', '网络不可用') : world()(req),
    );
    const page = await open();
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南']);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([]);
  });

  it('opens cold from a share: loading, then the item from item.get, and share_open tracked', async () => {
    forgetCards(); // a shared link opens on a fresh launch: the feed has served nothing yet
    const tracked = recordingTracker();
    const item = deferred<ContentResponse>();
    const calls = stubContent((req) =>
      req.action === 'item.get' ? item.promise : world([[comment(1)]])(req),
    );
    const page = render();
    const loaded = page.instance.onLoad({ itemId: 'item-7', shareId: 'share-abc' });
    await simulate.sleep(0);
    expect(texts(page, 'van-loading', 'van-loading__text')).toEqual(['加载中…']);
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual([]);
    item.resolve({ action: 'item.get', item: SERVER_ITEM, liked: false });
    await loaded;
    await simulate.sleep(0);
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南（更新版）']);
    expect(commentTexts(page)).toEqual(['第 1 条评论']);
    expect(tracked).toEqual([
      ['share_open', { shareId: 'share-abc', itemId: 'item-7', target: 'chat' }],
    ]);
    expect(calls.map((c) => c.action)).toEqual(['item.get', 'comment.list']);
  });

  it("says the item is gone when item.get answers NOT_FOUND, with the server's words", async () => {
    forgetCards();
    stubContent((req) =>
      req.action === 'item.get'
        ? new ApiError('NOT_FOUND', '内容不存在或已下架')
        : new ApiError('NOT_FOUND', '内容不存在或已下架'),
    );
    const page = await open({ itemId: 'item-404' });
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['内容不存在或已下架']);
    expect(retryButton(page)).toBeFalsy();
    expect(page.querySelector('#rs-detail-comment')).toBeFalsy();
  });

  it('shows an error with a retry on a cold open that cannot reach the server, and loads on retry', async () => {
    forgetCards();
    let online = false;
    const calls = stubContent((req) =>
      online ? world([[comment(1)]])(req) : new ApiError('NETWORK', '网络不可用，请检查网络后重试'),
    );
    const page = await open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '网络不可用，请检查网络后重试',
    ]);
    online = true;
    await tapRetry(page);
    await simulate.sleep(0);
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南（更新版）']);
    expect(commentTexts(page)).toEqual(['第 1 条评论']);
    expect(calls.map((c) => c.action)).toEqual([
      'item.get',
      'comment.list',
      'item.get',
      'comment.list',
    ]);
  });

  it('says the item is missing when opened without an item id, asking nothing', async () => {
    const calls = stubContent(world());
    const page = await open({});
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['内容不存在或已下架']);
    expect(calls).toEqual([]);
  });
});

describe('detail page: comments', () => {
  it('lists comments newest first with author and CST time, marks mine, and pages on "load more" and at the bottom', async () => {
    const first = Array.from({ length: 20 }, (_, i) =>
      comment(40 - i, i === 0 ? { author: '我', mine: true } : {}),
    );
    const second = [comment(20), comment(19)];
    const third = [comment(18)];
    const calls = stubContent(world([first, second, third]));
    const page = await open();
    expect(commentTexts(page)).toHaveLength(20);
    expect(commentTexts(page)[0]).toBe('第 40 条评论');
    expect(authors(page)[0]).toBe('我');
    expect(authors(page)[1]).toBe('用户AA39');
    expect(texts(page, 'detail-page', 'rs-detail__comment-time')[0]).toBe('2026年11月28日 09:40');
    expect(texts(page, 'detail-page', 'rs-detail__delete')).toEqual(['删除']); // only on my own
    await tapButton(page, 'rs-detail-more');
    await simulate.sleep(0);
    expect(commentTexts(page).slice(-2)).toEqual(['第 20 条评论', '第 19 条评论']);
    await page.instance.onReachBottom();
    await simulate.sleep(0);
    expect(commentTexts(page)).toHaveLength(23);
    expect(moreText(page)).toEqual(['没有更多评论了']);
    expect(page.querySelector('#rs-detail-more')).toBeFalsy();
    await page.instance.onReachBottom(); // at the end: asks nothing more
    expect(calls.filter((c) => c.action === 'comment.list')).toEqual([
      { action: 'comment.list', itemId: 'item-7', limit: 20 },
      { action: 'comment.list', itemId: 'item-7', limit: 20, cursor: 'p2' },
      { action: 'comment.list', itemId: 'item-7', limit: 20, cursor: 'p3' },
    ]);
  });

  it('invites the first comment when there is none', async () => {
    stubContent(world([[]]));
    const page = await open();
    expect(commentTexts(page)).toEqual([]);
    expect(moreText(page)).toEqual(['还没有评论，来说第一句吧']);
  });

  it('shows a failed comment page with its reason and retries from the same place', async () => {
    let fail = true;
    const calls = stubContent((req) =>
      req.action === 'comment.list' && fail
        ? new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试')
        : world([[comment(1)]])(req),
    );
    const page = await open();
    expect(moreText(page)).toEqual(['服务暂时不可用，请稍后重试']);
    fail = false;
    await tapButton(page, 'rs-detail-comments-retry');
    await simulate.sleep(0);
    expect(commentTexts(page)).toEqual(['第 1 条评论']);
    expect(calls.filter((c) => c.action === 'comment.list')).toHaveLength(2);
  });

  it('checks length and emptiness before posting, shows the count, and posts a good comment trimmed with the slate and position', async () => {
    const tracked = recordingTracker();
    const toast = jest.spyOn(wx, 'showToast');
    const posted = comment(99, { text: '收藏了，周末就去', author: '我', mine: true });
    const calls = stubContent((req) =>
      req.action === 'comment.post'
        ? { action: 'comment.post', comment: posted }
        : world([[comment(1)]])(req),
    );
    const page = await open();

    await tapButton(page, 'rs-detail-send');
    expect(texts(page, 'van-field', 'van-field__error-message')).toEqual(['评论不能为空']);

    await typeComment(page, '好'.repeat(501));
    expect(texts(page, 'detail-page', 'rs-detail__count')).toEqual(['501/500']);
    await tapButton(page, 'rs-detail-send');
    expect(texts(page, 'van-field', 'van-field__error-message')).toEqual([
      '评论最多 500 字，当前 501 字',
    ]);
    expect(calls.filter((c) => c.action === 'comment.post')).toEqual([]);

    await typeComment(page, '  收藏了，周末就去  ');
    expect(texts(page, 'van-field', 'van-field__error-message')).toEqual([]); // typing clears the error
    await tapButton(page, 'rs-detail-send');
    await simulate.sleep(0);
    expect(calls.filter((c) => c.action === 'comment.post')).toEqual([
      {
        action: 'comment.post',
        itemId: 'item-7',
        text: '收藏了，周末就去',
        slateId: 'slate-1',
        position: 3,
      },
    ]);
    expect(commentTexts(page)).toEqual(['收藏了，周末就去', '第 1 条评论']);
    expect(page.data.commentText).toBe('');
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '评论已发表' }));
    expect(tracked).toEqual([]); // the server records the comment event itself
  });

  it("shows the server's reason when it refuses a comment, and keeps the text", async () => {
    const calls = stubContent((req) =>
      req.action === 'comment.post'
        ? new ApiError(
            'COMMENT_REJECTED',
            '评论含有不允许发布的内容（如引流、广告信息），请修改后重试',
          )
        : world()(req),
    );
    const page = await open();
    await typeComment(page, '加微信领红包');
    await tapButton(page, 'rs-detail-send');
    await simulate.sleep(0);
    expect(texts(page, 'van-field', 'van-field__error-message')).toEqual([
      '评论含有不允许发布的内容（如引流、广告信息），请修改后重试',
    ]);
    expect(page.data.commentText).toBe('加微信领红包');
    expect(commentTexts(page)).toEqual([]);
    expect(calls.filter((c) => c.action === 'comment.post')).toHaveLength(1);
  });

  it('accepts a comment of exactly 500 characters', async () => {
    const calls = stubContent((req) =>
      req.action === 'comment.post'
        ? {
            action: 'comment.post',
            comment: comment(5, { text: req.text, mine: true, author: '我' }),
          }
        : world()(req),
    );
    const page = await open();
    await typeComment(page, '好'.repeat(500));
    await tapButton(page, 'rs-detail-send');
    expect(calls.filter((c) => c.action === 'comment.post')).toHaveLength(1);
  });

  it('lays a comment out as a head line (author, time, then 回复 and 删除 or 举报 at its end) over the full-width text', async () => {
    stubContent(world([[comment(2, { author: '我', mine: true }), comment(1)]]));
    const page = await open();
    const dom = page.dom as HTMLElement;
    const rows = Array.from(dom.querySelectorAll('.detail-page--rs-detail__comment-row'));
    expect(rows).toHaveLength(2);
    const childClasses = (el: Element) => Array.from(el.children).map((c) => c.className);
    // The text is the row's own child, below the head: not squeezed into a title column.
    expect(childClasses(rows[0])).toEqual([
      'detail-page--rs-detail__comment-head',
      'detail-page--rs-detail__comment-text',
    ]);
    // The tools are the last thing on the head line, after author and time.
    expect(childClasses(rows[0].children[0])).toEqual([
      'detail-page--rs-detail__comment-author',
      'detail-page--rs-detail__comment-time',
      'detail-page--rs-detail__tools',
    ]);
    const tools = (row: Element) =>
      Array.from(row.children[0].lastElementChild?.children ?? []).map((c) => c.textContent);
    expect(tools(rows[0])).toEqual(['回复', '删除']);
    expect(tools(rows[1])).toEqual(['回复', '举报']);
  });

  it('shows the cover cropped to fill a fixed 16:9 box, with vant’s placeholder until it loads', async () => {
    const item = { ...SERVER_ITEM, cover: 'https://img.example.com/c.jpg' };
    stubContent(world([[]], { item: { action: 'item.get', item, liked: false } }));
    const page = await open();
    const html = () => (page.dom as HTMLElement).innerHTML;
    expect(html()).toMatch(/width:\s*750(rpx|px);\s*height:\s*422(rpx|px)/); // simulate writes rpx as px
    expect(html()).toContain('van-image__loading');
    const image = page.querySelector('#rs-detail-cover')?.querySelector('.van-image__img');
    expect(image).toBeTruthy();
    image?.dispatchEvent('load');
    await simulate.sleep(0);
    expect(html()).not.toContain('van-image__loading');
  });

  it('deletes my own comment after confirmation, and keeps it when cancelled', async () => {
    const mine = comment(2, { author: '我', mine: true });
    const calls = stubContent((req) =>
      req.action === 'comment.delete'
        ? { action: 'comment.delete', deleted: true }
        : world([[mine, comment(1)]])(req),
    );
    answerNextModal(false);
    const page = await open();
    const del = () => {
      const node = page.querySelector('.rs-detail__delete');
      expect(node).toBeTruthy();
      node?.dispatchEvent('tap');
      return simulate.sleep(0);
    };
    await del();
    expect(commentTexts(page)).toEqual(['第 2 条评论', '第 1 条评论']);
    answerNextModal(true);
    await del();
    await simulate.sleep(0);
    expect(commentTexts(page)).toEqual(['第 1 条评论']);
    expect(calls.filter((c) => c.action === 'comment.delete')).toEqual([
      { action: 'comment.delete', commentId: 'c-2' },
    ]);
  });
});

describe('detail page: tracking', () => {
  beforeEach(() => stubContent(world()));

  it('tracks like then unlike with the item, slate and position, and the button follows', async () => {
    const tracked = recordingTracker();
    const page = await open();
    await tapButton(page, 'rs-detail-like');
    expect(page.data.liked).toBe(true);
    expect(page.querySelector('#rs-detail-like')?.dom?.textContent).toContain('已赞');
    await tapButton(page, 'rs-detail-like');
    expect(page.data.liked).toBe(false);
    expect(tracked).toEqual([
      ['like', { itemId: 'item-7', slateId: 'slate-1', position: 3 }],
      ['unlike', { itemId: 'item-7', slateId: 'slate-1', position: 3 }],
    ]);
  });

  it('names each tapped feature (detail.like, detail.more-comments) in a tap event before its own events', async () => {
    const tracked = recordingTracker({ withTaps: true });
    const page = await open();
    await tapButton(page, 'rs-detail-like');
    expect(tracked.slice(0, 2)).toEqual([
      ['tap', { feature: 'detail.like' }],
      ['like', { itemId: 'item-7', slateId: 'slate-1', position: 3 }],
    ]);
    expect(tapsOf(tracked)).toEqual(['detail.like']);
  });

  it('stores the like through content like.set with the tap time, and puts it back when refused', async () => {
    const toast = jest.spyOn(wx, 'showToast');
    let refuse = false;
    const calls = stubContent((req) =>
      req.action === 'like.set' && refuse
        ? new ApiError('FORBIDDEN', '点赞前需要先同意隐私说明（在「我的」页可查看）')
        : world()(req),
    );
    const page = await open();
    const before = Date.now();
    await tapButton(page, 'rs-detail-like');
    const set = calls.filter((c) => c.action === 'like.set');
    expect(set).toEqual([
      { action: 'like.set', itemId: 'item-7', liked: true, at: expect.any(Number) },
    ]);
    expect((set[0] as { at: number }).at).toBeGreaterThanOrEqual(before);
    expect(page.data.liked).toBe(true);
    refuse = true;
    await tapButton(page, 'rs-detail-like');
    expect(page.data.liked).toBe(true); // the unlike was refused: still liked, as stored
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '点赞前需要先同意隐私说明（在「我的」页可查看）' }),
    );
  });

  it('shares with a fresh share id carried in the shared path, and tracks the share', async () => {
    const tracked = recordingTracker();
    const page = await open();
    const first = page.instance.onShareAppMessage();
    const second = page.instance.onShareAppMessage();

    expect(first.title).toBe('春日野餐指南（更新版）');
    const shareId = /[?&]shareId=([^&]+)/.exec(first.path)?.[1];
    expect(shareId).toMatch(UUID);
    expect(first.path).toBe(`/pages/detail/index?itemId=item-7&shareId=${shareId}`);
    expect(second.path).not.toBe(first.path); // every share gets its own id
    expect(tracked[0]).toEqual([
      'share',
      { shareId, target: 'chat', itemId: 'item-7', slateId: 'slate-1', position: 3 },
    ]);
    expect(tracked).toHaveLength(2);
  });

  it('shares to 朋友圈 with its own share id in the query, tracked with target timeline', async () => {
    const tracked = recordingTracker();
    const page = await open();
    const timeline = (
      page.instance as unknown as { onShareTimeline(): { title: string; query: string } }
    ).onShareTimeline();
    expect(timeline.title).toBe('春日野餐指南（更新版）');
    const shareId = /(?:^|&)shareId=([^&]+)/.exec(timeline.query)?.[1];
    expect(shareId).toMatch(UUID);
    expect(timeline.query).toBe(`itemId=item-7&shareId=${shareId}`);
    expect(tracked).toEqual([
      ['share', { shareId, target: 'timeline', itemId: 'item-7', slateId: 'slate-1', position: 3 }],
    ]);
  });

  it('offers 转发 with a shareTicket and 分享到朋友圈', async () => {
    const menu = jest.spyOn(wx, 'showShareMenu');
    await open();
    expect(menu).toHaveBeenCalledWith(
      expect.objectContaining({
        withShareTicket: true,
        menus: ['shareAppMessage', 'shareTimeline'],
      }),
    );
  });

  it('records where an opened share was posted: a group (shareTicket or group scene), or 朋友圈', async () => {
    const enter = jest.spyOn(wx, 'getEnterOptionsSync');
    const opened: unknown[] = [];
    for (const options of [
      { scene: 1044, shareTicket: 'tk' },
      { scene: 1008 },
      { scene: 1154 },
      { scene: 1007 },
    ]) {
      enter.mockReturnValueOnce(options as never);
      const tracked = recordingTracker();
      stubContent(world());
      await open({ itemId: 'item-7', shareId: 'share-1' });
      opened.push(tracked.find(([type]) => type === 'share_open')?.[1].target);
    }
    expect(opened).toEqual(['group', 'group', 'timeline', 'chat']);
  });

  it('tracks no share_open on an ordinary open', async () => {
    const tracked = recordingTracker();
    await open();
    expect(tracked).toEqual([]);
  });

  it('emits the visible time as dwell on hide, and again for the next visible span until unload', async () => {
    const tracked = recordingTracker();
    const page = await open();
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      page.instance.onShow();
      now += 4_200;
      page.instance.onHide();
      now += 60_000; // in the background: not counted
      page.instance.onShow();
      now += 800;
      page.instance.onUnload();
      page.instance.onUnload(); // no second event for the same span
    } finally {
      clock.mockRestore();
    }
    expect(tracked).toEqual([
      [
        'dwell',
        {
          dwellMs: 4_200,
          itemId: 'item-7',
          slateId: 'slate-1',
          position: 3,
          page: 'pages/detail/index',
        },
      ],
      [
        'dwell',
        {
          dwellMs: 800,
          itemId: 'item-7',
          slateId: 'slate-1',
          position: 3,
          page: 'pages/detail/index',
        },
      ],
    ]);
  });
});
