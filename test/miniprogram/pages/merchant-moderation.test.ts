/**
 * The 评论审核 page in miniprogram-simulate with real @vant/weapp components and a stubbed
 * `content` client: the queue with why each comment is there (WeChat's review, reports by reason),
 * 隐藏 after a confirmation and 恢复显示, each taking the comment out of the queue; paging; the
 * empty queue; a caller who is not a platform admin sees the refusal.
 */
import * as simulate from 'miniprogram-simulate';
import type { FlaggedComment } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/moderation/index.json';
import { stubContent } from '../helpers/content-api';
import { loadWithVant } from '../helpers/vant';
import { answerModal, fullTexts, open, texts } from '../merchant/page-helpers';
import { expectExperience } from '../helpers/experience';

const TAG = 'moderation-page';
const T = Date.UTC(2026, 10, 28, 2, 0);

const flagged = (id: string, over: Partial<FlaggedComment> = {}): FlaggedComment => ({
  id,
  itemId: 'item-7',
  text: `评论 ${id}`,
  author: '用户0A1B2C3D',
  createdAt: T - 60_000,
  flaggedAt: T,
  inReview: false,
  reports: 0,
  reasons: {},
  ...over,
});

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('merchant/pages/moderation/index', TAG, pageJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

/** Taps 隐藏 (n = 0) or 恢复显示 (n = 1) of the queue's row (vant's native button inside). */
async function tapRowButton(page: Awaited<ReturnType<typeof open>>, row: number, n: number) {
  const id = `rs-mod-${n === 0 ? 'hide' : 'restore'}-${row}`;
  const button = page.querySelector(`#${id}`)?.querySelector('.van-button');
  expect(button).toBeTruthy();
  button?.dispatchEvent('tap');
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await simulate.sleep(0);
}

describe('merchant moderation page (评论审核)', () => {
  it('lists flagged comments with why they are there', async () => {
    const calls = stubContent(() => ({
      action: 'comment.flagged',
      comments: [
        flagged('c1', { reports: 3, reasons: { spam: 2, other: 1 } }),
        flagged('c2', { inReview: true }),
      ],
      cursor: null,
    }));
    const page = await open(pageId);
    expect(calls).toEqual([{ action: 'comment.flagged', limit: 20 }]);
    expect(texts(page, TAG, 'rs-mod__why')).toEqual([
      '举报 3 次：垃圾广告 2、其他 1',
      '微信内容安全：需人工审核',
    ]);
    expect(texts(page, TAG, 'rs-mod__text')).toEqual(['评论 c1', '评论 c2']);
    expect(fullTexts(page, TAG, 'rs-mod__meta')[0]).toMatch(
      /^用户0A1B2C3D · 内容 item-7 · 2026年11月28日 10:00 进入队列$/,
    );
    expect(page.querySelector('#rs-mod-more')).toBeFalsy();
  });

  it('hides a comment after the confirmation and restores another; each leaves the queue', async () => {
    const calls = stubContent((req) => {
      if (req.action === 'comment.flagged')
        return {
          action: 'comment.flagged',
          comments: [flagged('c1'), flagged('c2')],
          cursor: null,
        };
      if (req.action === 'comment.moderate')
        return { action: 'comment.moderate', decision: req.decision };
      throw new Error(`unscripted ${req.action}`);
    });
    jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never);
    const modal = answerModal(false);
    const page = await open(pageId);
    await tapRowButton(page, 0, 0);
    expect(modal).toHaveBeenCalledTimes(1);
    expect(calls.filter((c) => c.action === 'comment.moderate')).toEqual([]);
    modal.mockRestore();
    answerModal(true);
    await tapRowButton(page, 0, 0);
    expect(texts(page, TAG, 'rs-mod__text')).toEqual(['评论 c2']);
    await tapRowButton(page, 0, 1);
    expect(calls.filter((c) => c.action === 'comment.moderate')).toEqual([
      { action: 'comment.moderate', commentId: 'c1', decision: 'hide' },
      { action: 'comment.moderate', commentId: 'c2', decision: 'restore' },
    ]);
    expect(page.querySelector('#rs-mod-empty')).toBeTruthy();
  });

  it('pages the queue with 加载更多', async () => {
    const calls = stubContent((req) =>
      req.action === 'comment.flagged' && !req.cursor
        ? { action: 'comment.flagged', comments: [flagged('c1')], cursor: 'p2' }
        : { action: 'comment.flagged', comments: [flagged('c1'), flagged('c9')], cursor: null },
    );
    const page = await open(pageId);
    page.querySelector('#rs-mod-more')?.querySelector('.van-button')?.dispatchEvent('tap');
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await simulate.sleep(0);
    expect(calls[1]).toEqual({ action: 'comment.flagged', limit: 20, cursor: 'p2' });
    expect(texts(page, TAG, 'rs-mod__text')).toEqual(['评论 c1', '评论 c9']);
    expect(page.querySelector('#rs-mod-more')).toBeFalsy();
  });

  it('keeps load-more within the experience-score rules: two full pages of the longest comments', async () => {
    const long = (p: number) =>
      Array.from({ length: 20 }, (_, i) =>
        flagged(`c${p}-${i}`, {
          text: '评论内容很长'.repeat(84).slice(0, 500), // the longest comment.post takes
          reports: 3,
          reasons: { spam: 2, abuse: 1 },
        }),
      );
    stubContent((req) =>
      req.action === 'comment.flagged' && !req.cursor
        ? { action: 'comment.flagged', comments: long(1), cursor: 'p2' }
        : { action: 'comment.flagged', comments: long(2), cursor: null },
    );
    const page = await open(pageId); // the first screen is checked there
    page.querySelector('#rs-mod-more')?.querySelector('.van-button')?.dispatchEvent('tap');
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await simulate.sleep(0);
    expect(texts(page, TAG, 'rs-mod__text')).toHaveLength(40);
    expectExperience(page, 5);
  });

  it('shows the refusal to someone who is not a platform admin', async () => {
    stubContent(() => new ApiError('FORBIDDEN', '只有平台管理员可以处理举报'));
    const page = await open(pageId);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '只有平台管理员可以处理举报',
    ]);
  });
});
