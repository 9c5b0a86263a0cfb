/**
 * The detail page in miniprogram-simulate with real @vant/weapp components and a recording
 * tracker: the item from the feed's card store, like / unlike, comment checks, share and shared
 * opens, and dwell time, each naming the slate and position the card was served at.
 */
import * as simulate from 'miniprogram-simulate';
import type { ContentCard } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import pageJson from '../../../miniprogram/pages/detail/index.json';
import { vantComponents } from '../helpers/vant';
import { recordingTracker } from '../helpers/recording-tracker';

const MP_ROOT = `${__dirname}/../../../miniprogram`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const CARD: ContentCard = {
  kind: 'content',
  position: 3,
  item: { id: 'item-7', title: '春日野餐指南', summary: '带上篮子去公园', category: '美食', tags: ['野餐'], cover: '', publishedAt: Date.UTC(2026, 10, 27, 20) },
};

type AnyObject = WechatMiniprogram.IAnyObject;
type DetailPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: {
    onLoad(q?: object): void;
    onShow(): void;
    onHide(): void;
    onUnload(): void;
    onShareAppMessage(): { title: string; path: string };
  };
};

let pageId: string;

beforeAll(() => {
  pageId = simulate.load(`${MP_ROOT}/pages/detail/index`, 'detail-page', {
    rootPath: MP_ROOT,
    usingComponents: vantComponents(pageJson.usingComponents),
  });
});

beforeEach(() => rememberCards([CARD]));

afterEach(() => {
  forgetCards();
  setTracker(null);
});

function open(query: object = { itemId: 'item-7', slateId: 'slate-1', position: '3' }): DetailPage {
  const page = simulate.render(pageId) as unknown as DetailPage;
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad(query);
  return page;
}

/** Own text of the elements with a class, scoped as simulate scopes it (`<owner tag>--<class>`). */
function texts(page: DetailPage, scope: string, className: string): string[] {
  const nodes = (page.dom as HTMLElement).querySelectorAll(`.${scope}--${className}`);
  return Array.from(nodes)
    .map((el) => Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim())
    .filter(Boolean);
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

describe('detail page', () => {
  it('renders the tapped item from the feed\'s card store through vant', () => {
    const page = open();
    expect(texts(page, 'detail-page', 'rs-detail__title')).toEqual(['春日野餐指南']);
    expect(texts(page, 'detail-page', 'rs-detail__summary')).toEqual(['带上篮子去公园']);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['美食']);
    expect(texts(page, 'detail-page', 'rs-detail__date')).toEqual(['2026年11月28日']); // 20:00 UTC is the next day in China
  });

  it('tracks like then unlike with the item, slate and position, and the button follows', async () => {
    const tracked = recordingTracker();
    const page = open();
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

  it('rejects an empty or too long comment with a message under the field, and sends a good one trimmed', async () => {
    const tracked = recordingTracker();
    const toast = jest.spyOn(wx, 'showToast');
    const page = open();

    await tapButton(page, 'rs-detail-send');
    expect(texts(page, 'van-field', 'van-field__error-message')).toEqual(['评论不能为空']);

    await typeComment(page, '好'.repeat(501));
    await tapButton(page, 'rs-detail-send');
    expect(texts(page, 'van-field', 'van-field__error-message')).toEqual(['评论最多 500 字，当前 501 字']);
    expect(tracked).toEqual([]);

    await typeComment(page, '  收藏了，周末就去  ');
    expect(texts(page, 'van-field', 'van-field__error-message')).toEqual([]); // typing clears the error
    await tapButton(page, 'rs-detail-send');
    expect(tracked).toEqual([['comment', { text: '收藏了，周末就去', itemId: 'item-7', slateId: 'slate-1', position: 3 }]]);
    expect(page.data.commentText).toBe('');
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '评论已发送' }));
    toast.mockRestore();
  });

  it('accepts a comment of exactly 500 characters', async () => {
    const tracked = recordingTracker();
    const page = open();
    await typeComment(page, '好'.repeat(500));
    await tapButton(page, 'rs-detail-send');
    expect(tracked.map(([type]) => type)).toEqual(['comment']);
  });

  it('shares with a fresh share id carried in the shared path, and tracks the share', () => {
    const tracked = recordingTracker();
    const page = open();
    const first = page.instance.onShareAppMessage();
    const second = page.instance.onShareAppMessage();

    expect(first.title).toBe('春日野餐指南');
    const shareId = /[?&]shareId=([^&]+)/.exec(first.path)?.[1];
    expect(shareId).toMatch(UUID);
    expect(first.path).toBe(`/pages/detail/index?itemId=item-7&shareId=${shareId}`);
    expect(second.path).not.toBe(first.path); // every share gets its own id
    expect(tracked[0]).toEqual(['share', { shareId, target: 'chat', itemId: 'item-7', slateId: 'slate-1', position: 3 }]);
    expect(tracked).toHaveLength(2);
  });

  it('tracks share_open when opened from a share, and says so when the item is not in memory', () => {
    const tracked = recordingTracker();
    forgetCards(); // a shared link opens on a fresh launch: the feed has served nothing yet
    const page = open({ itemId: 'item-7', shareId: 'share-abc' });
    expect(tracked).toEqual([['share_open', { shareId: 'share-abc', itemId: 'item-7' }]]);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['内容暂时无法显示，请从首页重新打开']);
  });

  it('tracks no share_open on an ordinary open', () => {
    const tracked = recordingTracker();
    open();
    expect(tracked).toEqual([]);
  });

  it('emits the visible time as dwell on hide, and again for the next visible span until unload', () => {
    const tracked = recordingTracker();
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const page = open();
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
      ['dwell', { dwellMs: 4_200, itemId: 'item-7', slateId: 'slate-1', position: 3, page: 'pages/detail/index' }],
      ['dwell', { dwellMs: 800, itemId: 'item-7', slateId: 'slate-1', position: 3, page: 'pages/detail/index' }],
    ]);
  });
});
