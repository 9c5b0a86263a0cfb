/**
 * 回复时通知我 on the detail page (miniprogram-simulate, real vant): offered only after a comment
 * is posted, it asks wx.requestSubscribeMessage for the reply template inside the tap, records
 * the answer through `account` subscribe.record, and tells the person what happened — subscribed
 * (the offer goes), refused, banned, switched off in settings, or not offered on this deployment.
 */
import * as simulate from 'miniprogram-simulate';
import type { CommentView, FunctionMap, FunctionName, SubscribeState } from '../../../typings';
import { setApi, type ApiClient } from '../../../miniprogram/services/api';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import { forgetSubscribeTopics } from '../../../miniprogram/services/subscribe';
import { setTracker } from '../../../miniprogram/services/analytics';
import pageJson from '../../../miniprogram/pages/detail/index.json';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { recordingTracker } from '../helpers/recording-tracker';
import { PICNIC_CARD } from '../helpers/detail-fixtures';

const CARD = PICNIC_CARD;
const POSTED: CommentView = {
  id: 'c-1',
  itemId: 'item-7',
  text: '周末去',
  author: '我',
  createdAt: Date.UTC(2026, 10, 28, 1),
  mine: true,
};
const ON: SubscribeState = {
  topics: [
    { topic: 'reply', templateId: 'tpl-reply', left: 0 },
    { topic: 'budget', templateId: null, left: 0 },
    { topic: 'ending', templateId: null, left: 0 },
  ],
};

type AnyObject = WechatMiniprogram.IAnyObject;
type Page = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): Promise<void> };
};

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/detail/index', 'detail-page', pageJson.usingComponents);
});
beforeEach(() => {
  rememberCards([CARD]);
  forgetSubscribeTopics();
  recordingTracker();
});
afterEach(() => {
  forgetCards();
  setTracker(null);
  setApi(null);
  jest.restoreAllMocks();
});

/** Both functions the page calls here; every request recorded as [function, request]. */
function stubApi(state: SubscribeState): [FunctionName, unknown][] {
  const calls: [FunctionName, unknown][] = [];
  const client: ApiClient = {
    async call<M extends FunctionName>(
      name: M,
      req: FunctionMap[M]['req'],
    ): Promise<FunctionMap[M]['res']> {
      calls.push([name, req]);
      const r = req as { action: string };
      const answer =
        name === 'account'
          ? { action: r.action, subscriptions: state }
          : r.action === 'item.get'
            ? { action: 'item.get', item: CARD.item, liked: false }
            : r.action === 'comment.list'
              ? { action: 'comment.list', comments: [], cursor: null }
              : r.action === 'comment.post'
                ? { action: 'comment.post', comment: POSTED }
                : null;
      if (!answer) throw new Error(`unscripted ${name} ${r.action}`);
      return answer as FunctionMap[M]['res'];
    },
  };
  setApi(client);
  return calls;
}

/** What the person answers in WeChat's subscribe dialog (or how the call fails). */
function dialog(answer: Record<string, string> | { errCode: number }) {
  return jest
    .spyOn(wx, 'requestSubscribeMessage')
    .mockImplementation((opts: WechatMiniprogram.RequestSubscribeMessageOption) => {
      if (typeof answer.errCode === 'number')
        opts.fail?.({ errMsg: 'requestSubscribeMessage:fail', errCode: answer.errCode });
      else opts.success?.({ errMsg: 'requestSubscribeMessage:ok', ...answer } as never);
      return undefined as never;
    });
}

async function tap(page: Page, id: string): Promise<void> {
  const button = page.querySelector(`#${id}`)?.querySelector('.van-button');
  expect(button).toBeTruthy();
  button?.dispatchEvent('tap');
  await simulate.sleep(0);
  await simulate.sleep(0);
}

async function openAndPost(): Promise<Page> {
  const page = simulate.render(pageId) as unknown as Page;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad({ itemId: 'item-7', slateId: 'slate-1', position: '3' });
  await simulate.sleep(0);
  expect(page.querySelector('#rs-detail-notify')).toBeFalsy(); // nothing offered before posting
  const field = page.querySelector('#rs-detail-comment');
  field
    ?.querySelector('.van-field__control--textarea')
    ?.dispatchEvent('input', { detail: { value: '周末去' } });
  await simulate.sleep(0);
  await tap(page, 'rs-detail-send');
  return page;
}

const notifyText = (page: Page) => texts(page, 'detail-page', 'rs-detail__notify-text');

describe('回复时通知我 on the detail page', () => {
  it('asks for the reply template after posting and records the accept; the offer then goes', async () => {
    const calls = stubApi(ON);
    const asked = dialog({ 'tpl-reply': 'accept' });
    const page = await openAndPost();
    expect(texts(page, 'van-button', 'van-button__text')).toContain('回复时通知我');
    await tap(page, 'rs-detail-notify');
    expect(asked).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tpl-reply'] }));
    expect(calls.filter(([n]) => n === 'account').map(([, r]) => r)).toEqual([
      { action: 'subscribe.get' },
      { action: 'subscribe.record', choices: { reply: 'accept' } },
    ]);
    expect(notifyText(page)).toEqual(['已订阅：有人在这里评论时通知你一次']);
    expect(page.querySelector('#rs-detail-notify')).toBeFalsy();
  });

  it.each([
    [{ 'tpl-reply': 'reject' }, '你没有允许，本次不会通知你', true],
    [{ 'tpl-reply': 'ban' }, '该通知已被微信限制，暂时无法订阅', true],
    [{ errCode: 20004 }, '你已关闭订阅消息，可在右上角「…」→「设置」中打开', false],
  ])('when the answer is %j it says so and keeps the offer', async (answer, said, recorded) => {
    const calls = stubApi(ON);
    dialog(answer);
    const page = await openAndPost();
    await tap(page, 'rs-detail-notify');
    expect(notifyText(page)).toEqual([said]);
    expect(page.querySelector('#rs-detail-notify')).toBeTruthy();
    expect(
      calls.some(
        ([n, r]) => n === 'account' && (r as { action: string }).action === 'subscribe.record',
      ),
    ).toBe(recorded);
  });

  it('says the notice is not offered when the deployment has no reply template, without asking WeChat', async () => {
    stubApi({ topics: ON.topics.map((t) => ({ ...t, templateId: null })) });
    const asked = dialog({});
    const page = await openAndPost();
    await tap(page, 'rs-detail-notify');
    expect(asked).not.toHaveBeenCalled();
    expect(notifyText(page)).toEqual(['暂未开通此通知']);
  });
});
