/**
 * The detail page in miniprogram-simulate with real @vant/weapp components, issue 20: the body
 * (rich text from item.get, whitelisted again on the device) in place of the summary, the author
 * and the like and comment counts; replies shown one level deep with whom they answer; 回复 on a
 * comment or a reply; a post held for review marked 审核中; 举报 with a reason.
 */
import * as simulate from 'miniprogram-simulate';
import type { CommentView, ContentRequest, RichNode } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import pageJson from '../../../miniprogram/pages/detail/index.json';
import { stubContent, type ContentHandler } from '../helpers/content-api';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { recordingTracker } from '../helpers/recording-tracker';
import { richTextHtml } from '../helpers/rich-text';
import { PICNIC_CARD } from '../helpers/detail-fixtures';

const CARD = PICNIC_CARD;

const BODY: RichNode[] = [
  { name: 'h3', attrs: { class: 'rs-rt-h3' }, children: [{ type: 'text', text: '准备什么' }] },
  {
    name: 'p',
    attrs: { class: 'rs-rt-p' },
    children: [{ type: 'text', text: '一块野餐垫，一篮水果。' }],
  },
  {
    name: 'img',
    attrs: { class: 'rs-rt-img', src: 'https://picsum.photos/seed/a/640/400', alt: '野餐' },
  },
];
/** What a tampered or buggy answer could carry: none of it may reach rich-text. */
const HOSTILE = [
  { name: 'script', children: [{ type: 'text', text: 'alert(1)' }] },
  { name: 'img', attrs: { src: 'http://evil.example/x.jpg' } },
  { name: 'img', attrs: { src: 'javascript:alert(1)' } },
  { name: 'p', attrs: { class: 'x', style: 'position:fixed', onclick: 'alert(1)' }, children: [] },
] as unknown as RichNode[];

const T0 = Date.UTC(2026, 10, 28, 1, 0);
const comment = (id: string, over: Partial<CommentView> = {}): CommentView => ({
  id,
  itemId: 'item-7',
  text: `评论 ${id}`,
  author: `用户${id.toUpperCase().padStart(8, '0')}`,
  createdAt: T0,
  mine: false,
  ...over,
});

type AnyObject = WechatMiniprogram.IAnyObject;
type DetailPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): Promise<void>; data: AnyObject };
};

function world(opts: { body?: RichNode[]; comments?: CommentView[] } = {}): ContentHandler {
  return (req: ContentRequest) => {
    if (req.action === 'item.get')
      return {
        action: 'item.get',
        item: CARD.item,
        liked: false,
        author: { id: 'author-1', name: '作者 author-1', following: false },
        body: opts.body ?? [],
        likes: 12,
        comments: 3,
      };
    if (req.action === 'comment.list')
      return { action: 'comment.list', comments: opts.comments ?? [], cursor: null };
    if (req.action === 'like.set') return { action: 'like.set', liked: req.liked };
    throw new Error(`unscripted ${req.action}`);
  };
}

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
  setTracker(null);
  setApi(null);
  jest.restoreAllMocks();
});

async function open(): Promise<DetailPage> {
  const page = simulate.render(pageId) as unknown as DetailPage;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad({ itemId: 'item-7', slateId: 'slate-1', position: '3' });
  await simulate.sleep(0);
  return page;
}

const own = (page: DetailPage, cls: string) => texts(page, 'detail-page', cls);
/** What rich-text shows of the nodes the page handed it (simulate renders the built-in empty). */
const shownBody = (page: DetailPage) => richTextHtml(page.instance.data.body as RichNode[]);

async function tapButton(page: DetailPage, id: string): Promise<void> {
  page.querySelector(`#${id}`)?.querySelector('.van-button')?.dispatchEvent('tap');
  await simulate.sleep(0);
}

/** Taps the first element with this class inside the n-th element with `within` (page-scoped classes). */
async function tapIn(page: DetailPage, within: string, n: number, cls: string): Promise<void> {
  const dom = page.dom as HTMLElement;
  const box = dom.querySelectorAll(`.detail-page--${within}`)[n];
  const el = box?.querySelector(`.detail-page--${cls}`);
  expect(el).toBeTruthy();
  // simulate dispatches on its own node tree: find the one rendered as this DOM element.
  const target = page.querySelectorAll(`.${cls}`).find((c) => c.dom === el);
  expect(target).toBeTruthy();
  target?.dispatchEvent('tap');
  await simulate.sleep(0);
}

async function typeAndSend(page: DetailPage, value: string): Promise<void> {
  const control = page
    .querySelector('#rs-detail-comment')
    ?.querySelector('.van-field__control--textarea');
  control?.dispatchEvent('input', { detail: { value } });
  await simulate.sleep(0);
  await tapButton(page, 'rs-detail-send');
  await simulate.sleep(0);
}

describe('detail page: the body and the counts', () => {
  it('renders the body in place of the summary, with the author and "12 赞 · 3 条评论"', async () => {
    stubContent(world({ body: BODY }));
    const page = await open();
    expect((page.dom as HTMLElement).querySelector('.detail-page--rs-detail__rich')).toBeTruthy();
    expect(shownBody(page)).toBe(
      '<h3 class="rs-rt-h3">准备什么</h3><p class="rs-rt-p">一块野餐垫，一篮水果。</p>' +
        '<img class="rs-rt-img" src="https://picsum.photos/seed/a/640/400" alt="野餐"></img>',
    );
    expect(own(page, 'rs-detail__summary')).toEqual([]);
    expect(own(page, 'rs-detail__author')).toEqual(['作者 author-1']);
    expect(own(page, 'rs-detail__counts')).toEqual(['12 赞 · 3 条评论']);
  });

  it('hands rich-text only whitelisted nodes: no script, no event or style attribute, no picture from http or javascript:', async () => {
    stubContent(world({ body: [...BODY, ...HOSTILE] }));
    const page = await open();
    const html = shownBody(page);
    expect(html).not.toMatch(/script|alert|evil\.example|javascript|onclick|position:fixed/);
    expect(html.endsWith('<p></p>')).toBe(true);
  });

  it('shows the summary when the item has no body', async () => {
    stubContent(world());
    const page = await open();
    expect((page.dom as HTMLElement).querySelector('.detail-page--rs-detail__rich')).toBeNull();
    expect(own(page, 'rs-detail__summary')).toEqual(['带上篮子去公园']);
  });

  it('counts a like at once, and puts the count back when the server refuses', async () => {
    let refuse = false;
    stubContent((req) =>
      req.action === 'like.set' && refuse
        ? new ApiError('FORBIDDEN', '点赞前需要先同意隐私说明')
        : world()(req),
    );
    jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never);
    const page = await open();
    await tapButton(page, 'rs-detail-like');
    expect(own(page, 'rs-detail__counts')).toEqual(['13 赞 · 3 条评论']);
    await tapButton(page, 'rs-detail-like');
    expect(own(page, 'rs-detail__counts')).toEqual(['12 赞 · 3 条评论']);
    refuse = true;
    await tapButton(page, 'rs-detail-like');
    expect(own(page, 'rs-detail__counts')).toEqual(['12 赞 · 3 条评论']);
  });
});

describe('detail page: replies', () => {
  const ROOT = comment('aa11', { text: '锅底推荐哪个？' });
  const R1 = comment('bb22', { text: '番茄锅', parentId: 'aa11' });
  const R2 = comment('cc33', {
    text: '谢谢！',
    parentId: 'aa11',
    author: '我',
    mine: true,
    replyToAuthor: R1.author,
  });

  it('shows replies under their comment, one level in, naming whom a reply answers', async () => {
    stubContent(world({ comments: [{ ...ROOT, replies: [R1, R2] }, comment('dd44')] }));
    const page = await open();
    const dom = page.dom as HTMLElement;
    const rows = dom.querySelectorAll('.detail-page--rs-detail__comment-row');
    expect(rows).toHaveLength(2);
    const replies = rows[0].querySelectorAll('.detail-page--rs-detail__reply');
    expect(
      Array.from(replies).map(
        (r) => r.querySelector('.detail-page--rs-detail__comment-text')?.textContent,
      ),
    ).toEqual(['番茄锅', '谢谢！']);
    expect(own(page, 'rs-detail__reply-to')).toEqual([`回复 ${R1.author}`]);
    expect(rows[1].querySelectorAll('.detail-page--rs-detail__reply')).toHaveLength(0);
  });

  it('replies to a reply: the field says whom, the post names it, and the reply joins the thread', async () => {
    const calls = stubContent((req) => {
      if (req.action === 'comment.post')
        return {
          action: 'comment.post',
          comment: comment('ee55', {
            text: req.text,
            parentId: 'aa11',
            author: '我',
            mine: true,
            replyToAuthor: R1.author,
          }),
        };
      return world({ comments: [{ ...ROOT, replies: [R1] }] })(req);
    });
    jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never);
    const page = await open();
    await tapIn(page, 'rs-detail__reply', 0, 'rs-detail__reply-tap');
    expect(own(page, 'rs-detail__replying-text')).toEqual([`回复 ${R1.author}`]);
    expect(page.querySelector('#rs-detail-send')?.dom?.textContent).toContain('发表回复');
    await typeAndSend(page, '同意');
    expect(calls.filter((c) => c.action === 'comment.post')).toEqual([
      expect.objectContaining({ action: 'comment.post', text: '同意', replyTo: R1.id }),
    ]);
    const thread = (page.dom as HTMLElement).querySelectorAll('.detail-page--rs-detail__reply');
    expect(thread).toHaveLength(2);
    expect(thread[1].textContent).toContain('同意');
    expect(own(page, 'rs-detail__replying-text')).toEqual([]);
    expect(own(page, 'rs-detail__counts')).toEqual(['12 赞 · 4 条评论']);
  });

  it('cancels a reply with 取消', async () => {
    stubContent(world({ comments: [ROOT] }));
    const page = await open();
    await tapIn(page, 'rs-detail__comment-row', 0, 'rs-detail__reply-tap');
    expect(own(page, 'rs-detail__replying-text')).toEqual([`回复 ${ROOT.author}`]);
    await tapIn(page, 'rs-detail__replying', 0, 'rs-detail__tool');
    expect(own(page, 'rs-detail__replying-text')).toEqual([]);
  });

  it('marks a post held for review 审核中 and says others will see it after review; the count stays', async () => {
    const toast = jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never);
    stubContent((req) =>
      req.action === 'comment.post'
        ? {
            action: 'comment.post',
            comment: comment('ff66', { text: req.text, author: '我', mine: true, inReview: true }),
          }
        : world()(req),
    );
    const page = await open();
    await typeAndSend(page, '有意向的私信我');
    expect(texts(page, 'van-tag', 'van-tag')).toContain('审核中');
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '已提交，审核通过后他人可见' }),
    );
    expect(own(page, 'rs-detail__counts')).toEqual(['12 赞 · 3 条评论']);
  });
});

describe('detail page: 举报', () => {
  it('reports a comment with the reason picked from the sheet, and sends nothing when cancelled', async () => {
    const calls = stubContent((req) =>
      req.action === 'comment.report'
        ? { action: 'comment.report', reported: true }
        : world({ comments: [comment('aa11')] })(req),
    );
    const toast = jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never);
    const sheet = jest
      .spyOn(wx, 'showActionSheet')
      .mockResolvedValueOnce({ tapIndex: 1, errMsg: 'showActionSheet:ok' } as never)
      .mockRejectedValueOnce(new Error('showActionSheet:fail cancel') as never);
    const page = await open();
    await tapIn(page, 'rs-detail__comment-row', 0, 'rs-detail__report');
    await simulate.sleep(0);
    expect(sheet).toHaveBeenCalledWith({
      itemList: ['垃圾广告', '辱骂攻击', '色情低俗', '违法违规', '其他'],
    });
    expect(calls.filter((c) => c.action === 'comment.report')).toEqual([
      { action: 'comment.report', commentId: 'aa11', reason: 'abuse' },
    ]);
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '已举报，我们会尽快处理' }),
    );
    await tapIn(page, 'rs-detail__comment-row', 0, 'rs-detail__report');
    await simulate.sleep(0);
    expect(calls.filter((c) => c.action === 'comment.report')).toHaveLength(1);
  });
});
