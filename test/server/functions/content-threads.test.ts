/**
 * The `content` function on both adapters, issue 20: an item's body (sanitised rich-text nodes,
 * pictures only from allowed sources) and its like and comment counts; replies (one level, the
 * replied-to author by pseudonym); WeChat's content-safety verdicts (risky refused, review held
 * for its author only); 举报 once per user per comment, rate-limited; the platform admins'
 * moderation queue, hide and restore, audited.
 */
import type { ContentItem } from '../../../typings';
import content from '../../../server/functions/content';
import { PLATFORM_AUDIT, REPORTS_PER_MINUTE } from '../../../server/content/moderation';
import { accountCalls } from '../../helpers/account-calls';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { publishedItem } from '../../helpers/fixtures';
import { functionCalls } from '../../helpers/function-calls';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const ME = 'commenter-5e1d0b';
const OTHER = 'reader-8c27aa';
const THIRD = 'third-77aa01';
const ADMIN = 'admin-0a0a0a';

const item = (id: string, over: Partial<ContentItem> = {}): ContentItem =>
  publishedItem(id, NOW, over);

describe.each(bothAdapters)('content threads and moderation on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { call, ok } = functionCalls(content, () => deps, ME);
  const accounts = accountCalls(() => deps, ME);
  const consent = (openid: string) => accounts.consent(true, openid);
  const post = async (text: string, openid = ME, replyTo?: string) =>
    (
      await ok(
        { action: 'comment.post', itemId: 'i1', text, ...(replyTo ? { replyTo } : {}) },
        openid,
      )
    ).comment;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    deps.config = { ...deps.config, platformAdmins: [ADMIN] };
    await opened.stores.catalog.upsert([item('i1'), item('i2')]);
    for (const u of [ME, OTHER, THIRD]) await consent(u);
  });
  afterEach(() => opened.cleanup());

  it('item.get sends the body as sanitised rich-text nodes, with the like and comment counts', async () => {
    await opened.stores.catalog.putBodies([
      {
        itemId: 'i1',
        body: [
          '## 做法',
          '先**热锅** <img src=x onerror="alert(1)"> 再下料。',
          '![好图](https://picsum.photos/seed/a/640/400)',
          '![外站图](https://evil.example/a.jpg)',
          '[点我](https://evil.example)',
        ].join('\n\n'),
      },
    ]);
    await ok({ action: 'like.set', itemId: 'i1', liked: true, at: NOW }, OTHER);
    await ok({ action: 'like.set', itemId: 'i1', liked: true, at: NOW }, THIRD);
    const c = await post('第一条');
    await post('回复一下', OTHER, c.id);
    const got = await ok({ action: 'item.get', itemId: 'i1' });
    expect(got.likes).toBe(2);
    expect(got.comments).toBe(2);
    expect(got.body).toEqual([
      { name: 'h3', attrs: { class: 'rs-rt-h3' }, children: [{ type: 'text', text: '做法' }] },
      {
        name: 'p',
        attrs: { class: 'rs-rt-p' },
        children: [
          { type: 'text', text: '先' },
          {
            name: 'strong',
            attrs: { class: 'rs-rt-strong' },
            children: [{ type: 'text', text: '热锅' }],
          },
          // Raw HTML stays words on the page.
          { type: 'text', text: ' <img src=x onerror="alert(1)"> 再下料。' },
        ],
      },
      {
        name: 'p',
        attrs: { class: 'rs-rt-p' },
        children: [
          {
            name: 'img',
            attrs: {
              class: 'rs-rt-img',
              src: 'https://picsum.photos/seed/a/640/400',
              alt: '好图',
            },
          },
        ],
      },
      // A picture from a host not allowed is left out; a link keeps its words only.
      { name: 'p', attrs: { class: 'rs-rt-p' }, children: [] },
      { name: 'p', attrs: { class: 'rs-rt-p' }, children: [{ type: 'text', text: '点我' }] },
    ]);
    expect((await ok({ action: 'item.get', itemId: 'i2' })).body).toEqual([]);
  });

  it('threads replies under their top-level comment, naming whom a reply to a reply answers', async () => {
    const root = await post('锅底推荐哪个？');
    deps.setNow(NOW + 1000);
    const r1 = await post('番茄锅', OTHER, root.id);
    deps.setNow(NOW + 2000);
    expect(r1).toMatchObject({ parentId: root.id, mine: true, author: '我' });
    const r2 = await post('谢谢！', ME, r1.id);
    expect(r2.parentId).toBe(root.id);
    expect(r2.replyToAuthor).toMatch(/^用户[0-9A-F]{8}$/);
    const list = await ok({ action: 'comment.list', itemId: 'i1' });
    expect(list.comments).toHaveLength(1);
    const [top] = list.comments;
    expect(top.id).toBe(root.id);
    expect(top.replies?.map((r) => [r.text, r.author === '我', r.replyToAuthor])).toEqual([
      ['番茄锅', false, undefined],
      ['谢谢！', true, r2.replyToAuthor],
    ]);
    // The other reader sees the same thread, the reply to them as to 我.
    const theirs = await ok({ action: 'comment.list', itemId: 'i1' }, OTHER);
    expect(theirs.comments[0].replies?.[1].replyToAuthor).toBe('我');
    // Replies belong to the item they were posted under.
    expect(
      await call({ action: 'comment.post', itemId: 'i2', text: '串台', replyTo: root.id }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await call({
        action: 'comment.post',
        itemId: 'i1',
        text: '回复不存在的',
        replyTo: '00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('refuses risky text, holds text WeChat wants reviewed for its author only, and queues it', async () => {
    expect(await call({ action: 'comment.post', itemId: 'i1', text: '兼职刷单' })).toEqual({
      ok: false,
      code: 'COMMENT_REJECTED',
      message: expect.stringMatching(/不允许发布/),
    });
    const held = await post('有意向的私信我');
    expect(held.inReview).toBe(true);
    expect((await ok({ action: 'comment.list', itemId: 'i1' })).comments[0]).toMatchObject({
      id: held.id,
      inReview: true,
    });
    expect((await ok({ action: 'comment.list', itemId: 'i1' }, OTHER)).comments).toEqual([]);
    expect((await ok({ action: 'item.get', itemId: 'i1' })).comments).toBe(0);
    const queue = await ok({ action: 'comment.flagged' }, ADMIN);
    expect(queue.comments).toEqual([
      expect.objectContaining({ id: held.id, inReview: true, reports: 0, flaggedAt: NOW }),
    ]);
  });

  it("takes one 举报 per user and comment, not of one's own, rate-limited; bad input changes nothing", async () => {
    const c = await post('普通评论');
    expect(await ok({ action: 'comment.report', commentId: c.id, reason: 'spam' }, OTHER)).toEqual({
      action: 'comment.report',
      reported: true,
    });
    await ok({ action: 'comment.report', commentId: c.id, reason: 'abuse' }, OTHER);
    await ok({ action: 'comment.report', commentId: c.id, reason: 'abuse' }, THIRD);
    expect(await call({ action: 'comment.report', commentId: c.id, reason: 'spam' })).toMatchObject(
      {
        ok: false,
        code: 'FORBIDDEN',
      },
    );
    expect(
      await call({ action: 'comment.report', commentId: c.id, reason: 'nonsense' }, THIRD),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const [queued] = (await ok({ action: 'comment.flagged' }, ADMIN)).comments;
    expect(queued).toMatchObject({ id: c.id, reports: 2, reasons: { spam: 1, abuse: 1 } });
    // THIRD has reported once this minute already.
    for (let i = 1; i < REPORTS_PER_MINUTE; i++) {
      const other = await post(`第 ${i} 条`);
      await ok({ action: 'comment.report', commentId: other.id, reason: 'other' }, THIRD);
    }
    const last = await post('再一条');
    expect(
      await call({ action: 'comment.report', commentId: last.id, reason: 'other' }, THIRD),
    ).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect((await opened.stores.comments.get(last.id))?.reports).toBeUndefined();
  });

  it('lets platform admins hide and restore a queued comment, audited; others are refused', async () => {
    const c = await post('被举报的评论');
    await ok({ action: 'comment.report', commentId: c.id, reason: 'porn' }, OTHER);
    expect(
      await call({ action: 'comment.moderate', commentId: c.id, decision: 'hide' }, OTHER),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await call({ action: 'comment.flagged' }, OTHER)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    await ok({ action: 'comment.moderate', commentId: c.id, decision: 'hide' }, ADMIN);
    expect((await ok({ action: 'comment.flagged' }, ADMIN)).comments).toEqual([]);
    // Hidden from everyone, its author too; not counted.
    expect((await ok({ action: 'comment.list', itemId: 'i1' })).comments).toEqual([]);
    expect((await ok({ action: 'item.get', itemId: 'i1' }, OTHER)).comments).toBe(0);
    deps.setNow(NOW + 1000);
    await ok({ action: 'comment.moderate', commentId: c.id, decision: 'restore' }, ADMIN);
    expect((await ok({ action: 'comment.list', itemId: 'i1' }, OTHER)).comments).toHaveLength(1);
    const audit = await opened.stores.merchants.listMerchantAudit(PLATFORM_AUDIT, 10);
    expect(audit.map((a) => [a.action, a.subject, a.actor]).sort()).toEqual([
      ['comment.hide', c.id, ADMIN],
      ['comment.restore', c.id, ADMIN],
    ]);
  });
});
