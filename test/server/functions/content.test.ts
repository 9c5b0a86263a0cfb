/**
 * The `content` function on both adapters: items and ads by id (NOT_FOUND when not shown),
 * comments (server-side rules, consent like `track`, paging, author-only delete, the comment
 * event stored once), the liked history kept from `track`'s like/unlike events, and erasure
 * removing the user's comments and likes.
 */
import { randomUUID } from 'node:crypto';
import type { ContentResponse, ContentItem } from '../../../typings';
import { dayBucket } from '../../../server/engine/time';
import content from '../../../server/functions/content';
import { COMMENTS_PER_MINUTE } from '../../../server/content/comments';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { sendEvents } from '../../helpers/track-calls';
import { makeCampaign, publishedItem } from '../../helpers/fixtures';
import { accountCalls } from '../../helpers/account-calls';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { functionCalls, type ResponseFor } from '../../helpers/function-calls';
import { personalTraces } from '../../helpers/personal-scan';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const ME = 'commenter-5e1d0b';
const OTHER = 'reader-8c27aa';

const item = (id: string, over: Partial<ContentItem> = {}): ContentItem =>
  publishedItem(id, NOW, over);

describe.each(bothAdapters)('content on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { call, ok, anonymous } = functionCalls(content, () => deps, ME);
  const accounts = accountCalls(() => deps, ME);
  const consent = (openid: string) => accounts.consent(true, openid);
  const tap = (type: 'like' | 'unlike', itemId: string, clientTime: number) => ({
    eventId: randomUUID(),
    type,
    clientTime,
    sessionId: 's-1',
    page: 'pages/detail/index',
    itemId,
  });
  const send = async (openid: string, events: object[]) => {
    expect((await sendEvents(deps, openid, events)).accepted).toHaveLength(events.length);
  };
  const post = (text: string, itemId = 'i1', openid = ME) =>
    call({ action: 'comment.post', itemId, text }, openid);

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([
      item('i1'),
      item('i2', { cover: 'https://img.example/2.jpg' }),
      item('gone', { status: 'unpublished' }),
    ]);
  });
  afterEach(() => opened.cleanup());

  it("item.get answers the published item as the feed shows it, with the caller's like; NOT_FOUND otherwise", async () => {
    const got = await ok({ action: 'item.get', itemId: 'i2' });
    expect(got).toEqual({
      action: 'item.get',
      item: {
        id: 'i2',
        title: '标题 i2',
        summary: '摘要 i2',
        category: '美食',
        tags: ['火锅'],
        cover: 'https://img.example/2.jpg',
        publishedAt: NOW - 3_600_000,
      },
      liked: false,
      author: { id: 'a-1', name: '作者 a-1', following: false },
      body: [],
      likes: 0,
      comments: 0,
    });
    await consent(ME);
    await send(ME, [tap('like', 'i2', NOW - 10)]);
    expect((await ok({ action: 'item.get', itemId: 'i2' })).liked).toBe(true);
    expect((await ok({ action: 'item.get', itemId: 'i2' }, OTHER)).liked).toBe(false);
    for (const itemId of ['gone', 'nope']) {
      expect(await call({ action: 'item.get', itemId })).toEqual({
        ok: false,
        code: 'NOT_FOUND',
        message: '内容不存在或已下架',
      });
    }
  });

  it('refuses malformed requests with stable codes', async () => {
    expect(await anonymous({ action: 'item.get', itemId: 'i1' })).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
    expect(await call({ action: 'item.get', itemId: { $ne: 1 } })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await call({ action: 'item.get', itemId: 'i1', openid: OTHER })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await call({ action: 'comment.list', itemId: 'i1', limit: 51 })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await call({ action: 'comment.delete', commentId: 'not-a-uuid' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await call({ action: 'comment.list', itemId: 'i1', cursor: 'garbage' })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/翻页位置无效/),
    });
    expect(
      await call({ action: 'likes.list', cursor: Buffer.from('[1]').toString('base64url') }),
    ).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await call({ action: 'nope' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('ad.get answers an active campaign inside its schedule with its advertiser; NOT_FOUND for paused, ended, future or unknown ones', async () => {
    await opened.stores.ads.upsertMerchants([{ id: 'm-1', name: '川味火锅', createdAt: NOW }]);
    await opened.stores.ads.upsertCampaigns([
      makeCampaign('live', { startAt: NOW - 1000, endAt: NOW + 1000 }),
      makeCampaign('paused', { status: 'paused', startAt: NOW - 1000, endAt: NOW + 1000 }),
      makeCampaign('ended', { startAt: NOW - 2000, endAt: NOW }),
      makeCampaign('future', { startAt: NOW + 1, endAt: NOW + 1000 }),
    ]);
    expect(await ok({ action: 'ad.get', adId: 'live' })).toEqual({
      action: 'ad.get',
      ad: {
        kind: 'ad',
        sponsored: true,
        adId: 'live',
        advertiser: '川味火锅',
        merchantId: 'm-1',
        creative: makeCampaign('x').creative,
      },
    });
    for (const adId of ['paused', 'ended', 'future', 'unknown']) {
      expect(await call({ action: 'ad.get', adId })).toEqual({
        ok: false,
        code: 'NOT_FOUND',
        message: '广告不存在或已下线',
      });
    }
  });

  it('posts a comment only with a recorded consent, and records it once as a comment event with the item counter', async () => {
    expect(await post('写得真好')).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: expect.stringMatching(/同意隐私说明/),
    });
    expect((await ok({ action: 'comment.list', itemId: 'i1' })).comments).toEqual([]);
    expect(await opened.stores.events.countForUser(ME)).toBe(0);

    await consent(ME);
    deps.setNow(NOW + 5);
    const { comment } = await ok({
      action: 'comment.post',
      itemId: 'i1',
      text: '  写得真好\r\n下次还来  ',
      slateId: 'slate-1',
      position: 4,
    });
    expect(comment).toEqual({
      id: expect.any(String),
      itemId: 'i1',
      text: '写得真好\n下次还来',
      author: '我',
      createdAt: NOW + 5,
      mine: true,
    });
    const events = (await opened.stores.events.readAfter(null, Number.MAX_SAFE_INTEGER, 10)).events;
    expect(events).toEqual([
      expect.objectContaining({
        openid: ME,
        eventId: comment.id,
        type: 'comment',
        itemId: 'i1',
        slateId: 'slate-1',
        position: 4,
        page: 'pages/detail/index',
        props: { commentId: comment.id },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('写得真好'); // deleting the comment leaves no copy of its words
    const counters = await opened.stores.counters.read('item', ['i1'], dayBucket(NOW));
    expect(counters.i1.comments).toBe(1);
    expect(await post('nice', 'gone')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('rejects text that breaks the rules with COMMENT_REJECTED and a reason, storing nothing', async () => {
    await consent(ME);
    const cases: [string, RegExp][] = [
      ['', /不能为空/],
      [' \n\t ', /不能为空/],
      ['好'.repeat(501), /最多 500 字，当前 501 字/],
      ['你好\u0007', /控制字符/],
      ['abc\u202Edef', /控制字符/],
      ['一\n'.repeat(21), /最多 20 行/],
      ['想要优惠的 加 微 信 123', /不允许发布/],
      ['加VX了解', /不允许发布/],
    ];
    for (const [text, why] of cases) {
      expect(await post(text)).toEqual({
        ok: false,
        code: 'COMMENT_REJECTED',
        message: expect.stringMatching(why),
      });
    }
    expect(await post('x'.repeat(4001))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await ok({ action: 'comment.list', itemId: 'i1' })).comments).toEqual([]);
    expect(await opened.stores.events.countForUser(ME)).toBe(0);
    // At the limit, emoji (ZWJ sequences) and line breaks are fine.
    expect(await post('好'.repeat(500))).toMatchObject({ ok: true });
    expect(await post('👨‍👩‍👧 一家人\n第二行')).toMatchObject({ ok: true });
  });

  it('limits comments per user per minute', async () => {
    await consent(ME);
    for (let i = 0; i < COMMENTS_PER_MINUTE; i++)
      expect(await post(`第 ${i} 条`)).toMatchObject({ ok: true });
    expect(await post('one more')).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    deps.setNow(NOW + 60_000);
    expect(await post('next minute')).toMatchObject({ ok: true });
  });

  it("lists an item's comments newest first in pages, mine marked, others under a per-item pseudonym", async () => {
    await consent(ME);
    await consent(OTHER);
    for (let i = 0; i < 23; i++) {
      deps.setNow(NOW + i * 7000); // under the per-minute limit
      await ok(
        { action: 'comment.post', itemId: 'i1', text: `评论 ${i}` },
        i % 2 === 0 ? ME : OTHER,
      );
    }
    await ok({ action: 'comment.post', itemId: 'i2', text: '另一篇' }, OTHER);
    const pages: ResponseFor<ContentResponse, 'comment.list'>[] = [];
    let cursor: string | undefined;
    do {
      const page = await ok({
        action: 'comment.list',
        itemId: 'i1',
        limit: 10,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.comments.length)).toEqual([10, 10, 3]);
    const all = pages.flatMap((p) => p.comments);
    expect(all.map((c) => c.text)).toEqual(Array.from({ length: 23 }, (_, i) => `评论 ${22 - i}`));
    expect(all.filter((c) => c.mine).map((c) => c.author)).toEqual(Array(12).fill('我'));
    const others = new Set(all.filter((c) => !c.mine).map((c) => c.author));
    expect(others.size).toBe(1);
    const [alias] = [...others];
    expect(alias).toMatch(/^用户[0-9A-F]{8}$/);
    expect(alias).not.toContain(OTHER);
    const elsewhere = (await ok({ action: 'comment.list', itemId: 'i2' })).comments[0];
    expect(elsewhere.author).toMatch(/^用户[0-9A-F]{8}$/);
    expect(elsewhere.author).not.toBe(alias);
    // The author sees "我" where others see the pseudonym.
    expect((await ok({ action: 'comment.list', itemId: 'i2' }, OTHER)).comments[0]).toMatchObject({
      author: '我',
      mine: true,
    });
    expect(await call({ action: 'comment.list', itemId: 'gone' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('lets only the author delete a comment', async () => {
    await consent(ME);
    const { comment } = await ok({ action: 'comment.post', itemId: 'i1', text: '删掉我' });
    expect(await call({ action: 'comment.delete', commentId: comment.id }, OTHER)).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect((await ok({ action: 'comment.list', itemId: 'i1' })).comments).toHaveLength(1);
    expect(await ok({ action: 'comment.delete', commentId: comment.id })).toEqual({
      action: 'comment.delete',
      deleted: true,
    });
    expect((await ok({ action: 'comment.list', itemId: 'i1' })).comments).toEqual([]);
    expect(await call({ action: 'comment.delete', commentId: comment.id })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('like.set stores the like as the caller’s data at once (consent needed), and agrees with the tracked taps', async () => {
    const like = (itemId: string, liked: boolean, at: number, openid = ME) =>
      call({ action: 'like.set', itemId, liked, at }, openid);
    // No recorded consent: refused, nothing stored.
    expect(await like('i1', true, NOW)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await opened.stores.likes.liked(ME, ['i1'])).toEqual([]);
    await consent(ME);
    expect(await like('i1', true, NOW - 20)).toEqual({
      ok: true,
      data: { action: 'like.set', liked: true },
    });
    expect((await ok({ action: 'item.get', itemId: 'i1' })).liked).toBe(true);
    expect((await ok({ action: 'item.get', itemId: 'i1' }, OTHER)).liked).toBe(false);
    // The tracker's event of the same tap (same device time) changes nothing; a later unlike
    // through either path wins, and an older tap arriving late (a retried batch) undoes nothing.
    await send(ME, [tap('like', 'i1', NOW - 20)]);
    expect(await like('i1', false, NOW - 10)).toMatchObject({ ok: true, data: { liked: false } });
    await send(ME, [tap('like', 'i1', NOW - 15)]);
    expect((await ok({ action: 'item.get', itemId: 'i1' })).liked).toBe(false);
    expect(await like('i1', true, NOW - 30)).toMatchObject({ ok: true, data: { liked: false } });
    // Unknown or unpublished items cannot be liked; a like can be taken back whatever the item.
    expect(await like('gone', true, NOW)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await like('nope', false, NOW)).toMatchObject({ ok: true, data: { liked: false } });
    // A device clock more than a day off is refused with a clear message; bad input changes nothing.
    expect(await like('i2', true, NOW + 2 * 86_400_000)).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/校准时间/),
    });
    for (const payload of [
      { action: 'like.set', itemId: 'i2', liked: 'yes', at: NOW },
      { action: 'like.set', itemId: 'i2', liked: true },
      { action: 'like.set', itemId: 'i2', liked: true, at: 1.5 },
      { action: 'like.set', itemId: { $ne: null }, liked: true, at: NOW },
      { action: 'like.set', itemId: 'i2', liked: true, at: NOW, openid: OTHER },
    ])
      expect(await call(payload)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await opened.stores.likes.liked(ME, ['i2'])).toEqual([]);
  });

  it('lists the liked history from like/unlike events, latest like first, paged, unpublished items left out', async () => {
    await opened.stores.catalog.upsert(Array.from({ length: 6 }, (_, i) => item(`l${i}`)));
    await consent(ME);
    await send(
      ME,
      [0, 1, 2, 3, 4, 5].map((i) => tap('like', `l${i}`, NOW - 100 + i)),
    );
    // l1 unliked; l3 liked again later (moves up); the late retry of an older like of l1 changes nothing.
    await send(ME, [tap('unlike', 'l1', NOW - 50), tap('like', 'l3', NOW - 40)]);
    await send(ME, [tap('like', 'l1', NOW - 99)]);
    await opened.stores.catalog.upsert([item('l4', { status: 'unpublished' })]);
    const first = await ok({ action: 'likes.list', limit: 2 });
    expect(first.items).toEqual([
      { item: expect.objectContaining({ id: 'l3', title: '标题 l3' }), likedAt: NOW - 40 },
      { item: expect.objectContaining({ id: 'l5' }), likedAt: NOW - 95 },
    ]);
    const second = await ok({ action: 'likes.list', limit: 2, cursor: first.cursor! });
    expect(second.items.map((e) => e.item.id)).toEqual(['l2']); // l4 is unpublished: its slot stays empty, paging goes on
    const third = await ok({ action: 'likes.list', limit: 2, cursor: second.cursor! });
    expect(third).toEqual({
      action: 'likes.list',
      items: [{ item: expect.objectContaining({ id: 'l0' }), likedAt: NOW - 100 }],
      cursor: null,
    });
    expect(await ok({ action: 'likes.list' }, OTHER)).toEqual({
      action: 'likes.list',
      items: [],
      cursor: null,
    });
  });

  it("erasure removes the user's comments and likes; while it runs, posting answers CONFLICT", async () => {
    await consent(ME);
    await consent(OTHER);
    await ok({ action: 'comment.post', itemId: 'i1', text: '我的评论' });
    await ok({ action: 'comment.post', itemId: 'i1', text: '别人的评论' }, OTHER);
    await send(ME, [tap('like', 'i1', NOW - 5), tap('like', 'i2', NOW - 4)]);
    await send(OTHER, [tap('like', 'i1', NOW - 5)]);
    expect(personalTraces(await opened.dumpAll!(), ME).map((t) => t.collection)).toEqual(
      expect.arrayContaining(['comments', 'likes']),
    );

    const exported: Record<string, unknown[]> = {};
    let cursor: string | undefined;
    do {
      const res = await accounts.call({ action: 'export.page', ...(cursor ? { cursor } : {}) });
      if (!res.ok || res.data.action !== 'export.page') throw new Error('export failed');
      (exported[res.data.page.collection] ??= []).push(...res.data.page.records);
      cursor = res.data.page.cursor ?? undefined;
    } while (cursor);
    expect(JSON.stringify(exported.comments)).toContain('我的评论');
    expect(JSON.stringify(exported.comments)).not.toContain('别人的评论');
    expect(exported.likes).toHaveLength(2);

    const start = await accounts.call({ action: 'erase.start' });
    expect(start).toMatchObject({ ok: true, data: { erasure: { status: 'running' } } });
    expect(await post('趁删除时发')).toMatchObject({ ok: false, code: 'CONFLICT' });
    deps.setNow(NOW + GATE_TTL_MS);
    expect(await accounts.call({ action: 'erase.status' })).toMatchObject({
      ok: true,
      data: {
        erasure: { status: 'done', deleted: expect.objectContaining({ comments: 1, likes: 2 }) },
      },
    });
    const list = (await ok({ action: 'comment.list', itemId: 'i1' }, OTHER)).comments;
    expect(list.map((c) => c.text)).toEqual(['别人的评论']);
    expect((await ok({ action: 'likes.list' })).items).toEqual([]);
    expect((await ok({ action: 'likes.list' }, OTHER)).items).toHaveLength(1);
    const left = personalTraces(await opened.dumpAll!(), ME);
    expect(left.map((t) => t.collection)).toEqual(['erasures']);
  });
});
