/**
 * Subscription messages (订阅消息) through `account` and `content` on both adapters: the topics
 * are off until their templates are configured and say so; each accept allows one message; a
 * new comment on an item notifies its earlier commenters who accepted and a reply only the author
 * of the comment it answers (never the author, never
 * without an accepted send), WeChat's refusals are recorded and not retried, a send retried
 * after a failure takes no second quota; bad input changes nothing; erasure removes it all.
 */
import type { AccountResponse, ApiResult, SubscribeState } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import type { LocalSubscribeMessages } from '../../../server/adapters/sqlite/local-subscribe';
import { sendNotice } from '../../../server/content/subscribe-messages';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters, cloudTransport } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const contentH = toHandler(content);
const accountH = toHandler(account);
const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const TEMPLATES = { reply: 'tpl-reply', budget: 'tpl-budget', ending: 'tpl-ending' };

describe.each(bothAdapters)('subscription messages on %s', (name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const cloud = name !== 'sqlite';
  const acc = async (payload: object, openid: string): Promise<ApiResult<AccountResponse>> =>
    accountH({ payload, openid }, deps);
  const state = async (payload: object, openid: string): Promise<SubscribeState> => {
    const res = await acc(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return (res.data as { subscriptions: SubscribeState }).subscriptions;
  };
  /** The person taps 允许 on the device (WeChat counts it) and the page records it. */
  const accepts = async (openid: string, topic: 'reply' | 'budget' | 'ending') => {
    if (cloud) cloudTransport()!.subscribe.accept(openid, TEMPLATES[topic]);
    return state({ action: 'subscribe.record', choices: { [topic]: 'accept' } }, openid);
  };
  /** What WeChat delivered (cloud) or the stand-in kept (local), to one person. */
  const delivered = async (openid: string): Promise<unknown[]> =>
    cloud
      ? cloudTransport()!.subscribe.delivered.filter((m) => m.touser === openid)
      : (opened.stores.subscribeMessages as LocalSubscribeMessages).outbox(openid);
  const comment = async (openid: string, text: string) => {
    await acc({ action: 'consent.set', noticeVersion: 'v1', granted: true }, openid);
    const res = await contentH(
      { payload: { action: 'comment.post', itemId: 'hotpot', text }, openid },
      deps,
    );
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
  };
  const configure = () => {
    deps.config = { ...deps.config, subscribeTemplates: TEMPLATES };
    if (cloud)
      for (const [topic, id] of Object.entries(TEMPLATES))
        cloudTransport()!.subscribe.templates.set(
          id,
          topic === 'ending' ? ['thing1', 'time2', 'thing3'] : ['thing1', 'thing2', 'time3'],
        );
    else (opened.stores.subscribeMessages as LocalSubscribeMessages).templates = TEMPLATES;
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([
      makeItem('hotpot', { title: '成都老火锅：一家开了三十年的街边小店，人均六十' }),
    ]);
  });
  afterEach(() => opened.cleanup());

  it('is off, and says so, while no template is configured; accepting then counts nothing', async () => {
    const off = await state({ action: 'subscribe.record', choices: { reply: 'accept' } }, 'u1');
    expect(off.topics).toEqual([
      { topic: 'reply', templateId: null, left: 0 },
      { topic: 'budget', templateId: null, left: 0 },
      { topic: 'ending', templateId: null, left: 0 },
    ]);
    await comment('u1', '好吃');
    await comment('u2', '同意');
    expect(await delivered('u1')).toEqual([]);
  });

  it('notifies earlier commenters who accepted, once per accept, never the author', async () => {
    configure();
    await comment('u1', '第一条');
    await comment('u3', '我也来过');
    expect((await accepts('u1', 'reply')).topics[0]).toEqual({
      topic: 'reply',
      templateId: 'tpl-reply',
      left: 1,
    });
    await accepts('u2', 'budget'); // another topic allows no reply notice
    await comment('u2', '请问几点开门？');
    const got = (await delivered('u1')) as {
      data: Record<string, { value: string }>;
      page: string;
    }[];
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      page: 'pages/detail/index?id=hotpot',
      data: {
        thing1: { value: '成都老火锅：一家开了三十年的街边小店，…' },
        thing2: { value: '请问几点开门？' },
        time3: { value: '2026-12-06 11:00' },
      },
    });
    expect(await delivered('u3')).toEqual([]); // u3 never accepted
    expect(await delivered('u2')).toEqual([]); // the author is not told of their own comment
    // The one accept is used: the next comment tells u1 nothing.
    expect((await state({ action: 'subscribe.get' }, 'u1')).topics[0].left).toBe(0);
    await comment('u2', '再问一次');
    expect(await delivered('u1')).toHaveLength(1);
  });

  it("tells a reply's target author (only them, never oneself), not the item's other commenters", async () => {
    configure();
    const post = async (openid: string, text: string, replyTo?: string): Promise<string> => {
      await acc({ action: 'consent.set', noticeVersion: 'v1', granted: true }, openid);
      const res = await contentH(
        {
          payload: {
            action: 'comment.post',
            itemId: 'hotpot',
            text,
            ...(replyTo ? { replyTo } : {}),
          },
          openid,
        },
        deps,
      );
      if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
      return (res.data as { comment: { id: string } }).comment.id;
    };
    const c1 = await post('u1', '第一条');
    const c3 = await post('u3', '我也来过');
    for (const u of ['u1', 'u2', 'u3']) await accepts(u, 'reply');
    // u2 answers u3's comment: u3 is told, u1 (an earlier commenter of the item) is not.
    await post('u2', '同意楼上', c3);
    expect(await delivered('u3')).toHaveLength(1);
    expect((await delivered('u3'))[0]).toMatchObject({ data: { thing2: { value: '同意楼上' } } });
    expect(await delivered('u1')).toEqual([]);
    expect((await state({ action: 'subscribe.get' }, 'u1')).topics[0].left).toBe(1);
    // u1 replies to their own comment: nobody is told (not oneself, not the others).
    await post('u1', '补充一下', c1);
    expect(await delivered('u1')).toEqual([]);
    expect(await delivered('u2')).toHaveLength(0);
    // u3 answers in their own thread: nobody is told.
    await post('u3', '谢谢', c3);
    expect(await delivered('u3')).toHaveLength(1);
    // u1 answers u2's reply inside u3's thread: u2 (the reply's author) is told, u3 is not.
    const threadReply = (await contentH(
      { payload: { action: 'comment.list', itemId: 'hotpot' }, openid: 'u3' },
      deps,
    )) as {
      ok: true;
      data: { comments: { id: string; replies: { id: string; text: string }[] }[] };
    };
    const u2Reply = threadReply.data.comments
      .flatMap((c) => c.replies)
      .find((r) => r.text === '同意楼上')!;
    await post('u1', '回复二楼', u2Reply.id);
    expect(await delivered('u2')).toHaveLength(1);
    expect(await delivered('u3')).toHaveLength(1); // the thread's owner is not told of a reply to another
  });

  it('records a refusal and does not retry it; a failed send retried takes no second quota', async () => {
    configure();
    await accepts('u1', 'reply');
    await accepts('u1', 'reply');
    const notice = {
      openid: 'u1',
      topic: 'reply' as const,
      key: 'reply:bad',
      page: 'pages/detail/index?id=hotpot',
      data: { thing1: { toString: () => '' }.toString(), thing2: 'x', time3: 'not a time' },
    };
    expect(await sendNotice(deps.stores, deps.config, deps.log, notice, NOW)).toBe('refused');
    expect(await sendNotice(deps.stores, deps.config, deps.log, notice, NOW)).toBe('done');
    expect((await state({ action: 'subscribe.get' }, 'u1')).topics[0].left).toBe(1);
    const good = {
      ...notice,
      key: 'reply:good',
      data: { thing1: '火锅', thing2: '好', time3: '2026-12-06 11:00' },
    };
    // WeChat unreachable once: pending with its quota taken, then sent on the retry with no second taken.
    const send = deps.stores.subscribeMessages.send.bind(deps.stores.subscribeMessages);
    let down = true;
    deps.stores.subscribeMessages.send = async (m) => {
      if (down) throw new Error('ETIMEDOUT');
      return send(m);
    };
    expect(await sendNotice(deps.stores, deps.config, deps.log, good, NOW)).toBe('failed');
    down = false;
    expect(await sendNotice(deps.stores, deps.config, deps.log, good, NOW)).toBe('sent');
    expect(await sendNotice(deps.stores, deps.config, deps.log, good, NOW)).toBe('done');
    expect(await delivered('u1')).toHaveLength(1);
    expect((await state({ action: 'subscribe.get' }, 'u1')).topics[0].left).toBe(0);
  });

  it('refuses bad answers with a Chinese message and changes nothing', async () => {
    configure();
    for (const payload of [
      { action: 'subscribe.record', choices: {} },
      { action: 'subscribe.record', choices: { reply: 'yes' } },
      { action: 'subscribe.record', choices: { other: 'accept' } },
      { action: 'subscribe.record' },
    ]) {
      const res = await acc(payload, 'u1');
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await opened.stores.subscriptions.quotas('u1')).toEqual({});
    const res = await acc({ action: 'subscribe.record', choices: {} }, 'u1');
    expect(!res.ok && res.message).toMatch(/请至少回答一项订阅/);
  });

  it('erasure removes the accepted sends', async () => {
    configure();
    await accepts('u1', 'reply');
    await acc({ action: 'consent.set', noticeVersion: 'v1', granted: true }, 'u1');
    let res = await acc({ action: 'erase.start' }, 'u1');
    for (
      let i = 0;
      i < 20 &&
      res.ok &&
      (res.data as { erasure: { status: string } }).erasure.status === 'running';
      i++
    )
      res = await acc({ action: 'erase.status' }, 'u1');
    expect(await opened.stores.subscriptions.quotas('u1')).toEqual({});
  });
});
