/**
 * 智能客服 in miniprogram-simulate with real @vant/weapp components and a scripted `support`
 * client: asking (empty question refused on the page), answers with their match, one verdict
 * per ask, 转人工 first when no answer is confident (a contact button carrying the context and
 * the ask), and a rephrased question sent with the previous ask.
 */
import type { SupportResponse } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/pages/support/index.json';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { loadWithVant } from '../helpers/vant';
import { fullTexts, open, tap, type } from '../merchant/page-helpers';

const ASK_1 = '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const ASK_2 = '2f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const REFUND = '3f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const PAYMENT = '4f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

const answered: SupportResponse = {
  action: 'ask',
  askId: ASK_1,
  lowConfidence: false,
  answers: [
    {
      faqId: REFUND,
      category: '支付',
      question: '如何申请退款',
      answer: '在订单详情中点击「申请退款」',
      score: 0.747,
    },
    {
      faqId: PAYMENT,
      category: '支付',
      question: '付款失败怎么办',
      answer: '请确认余额后重试',
      score: 0.41,
    },
  ],
};

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/support/index', 'support-page', pageJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

describe('智能客服', () => {
  it('asks, shows the answers with their match, and takes one verdict', async () => {
    const calls = stubFunction(
      'support',
      inOrder<SupportResponse | Error>([answered, { action: 'feedback', recorded: true }]),
    );
    const page = await open(pageId, { from: 'item:item-7' });
    await tap(page, 'rs-sp-ask', '.van-button');
    expect(page.instance.data.error).toBe('请输入问题');
    await type(page, 'rs-sp-question', '我要退钱');
    await tap(page, 'rs-sp-ask', '.van-button');
    expect(fullTexts(page, 'support-page', 'rs-sp__question')).toEqual([
      '如何申请退款',
      '付款失败怎么办',
    ]);
    expect(fullTexts(page, 'support-page', 'rs-sp__score')).toEqual(['匹配度 75%', '匹配度 41%']);
    expect(page.querySelector('#rs-sp-handoff-first')).toBeFalsy();
    expect(page.querySelector('#rs-sp-handoff')?.data).toMatchObject({
      openType: 'contact',
      sessionFrom: `item:item-7&ask=${ASK_1}`,
    });
    await tap(page, 'rs-sp-helpful-0');
    expect(calls).toEqual([
      { action: 'ask', question: '我要退钱', context: 'item:item-7' },
      { action: 'feedback', askId: ASK_1, verdict: 'helpful', faqId: REFUND },
    ]);
    expect(fullTexts(page, 'support-page', 'rs-sp__thanks')).toEqual(['已标记有用']);
    expect(page.querySelector('#rs-sp-unhelpful-1')).toBeFalsy(); // one verdict per ask
  });

  it('offers 转人工 first when no answer is confident, and records the hand-off', async () => {
    const calls = stubFunction(
      'support',
      inOrder<SupportResponse | Error>([
        { action: 'ask', askId: ASK_1, lowConfidence: true, answers: [] },
        { action: 'feedback', recorded: true },
      ]),
    );
    const page = await open(pageId);
    await type(page, 'rs-sp-question', '今天天气怎么样');
    await tap(page, 'rs-sp-ask', '.van-button');
    const first = page.querySelector('#rs-sp-handoff-first');
    expect(first?.data).toMatchObject({ openType: 'contact', sessionFrom: `support&ask=${ASK_1}` });
    expect((page.dom as HTMLElement).textContent).toContain('没有找到相关的问答');
    await tap(page, 'rs-sp-handoff-first', '.van-button');
    expect(calls[1]).toEqual({ action: 'feedback', askId: ASK_1, verdict: 'handoff' });
  });

  it('sends a question asked again without a verdict with the previous ask, and shows errors', async () => {
    const calls = stubFunction(
      'support',
      inOrder<SupportResponse | Error>([
        answered,
        { ...answered, askId: ASK_2 },
        new ApiError('INVALID_INPUT', '问题太长了，请精简到 200 字以内'),
      ]),
    );
    const page = await open(pageId, { from: 'javascript:alert(1)' });
    await type(page, 'rs-sp-question', '退款');
    await tap(page, 'rs-sp-ask', '.van-button');
    await type(page, 'rs-sp-question', '退钱怎么操作');
    await tap(page, 'rs-sp-ask', '.van-button');
    expect(calls[1]).toEqual({ action: 'ask', question: '退钱怎么操作', previousAskId: ASK_1 });
    await type(page, 'rs-sp-question', '退'.repeat(150));
    await tap(page, 'rs-sp-ask', '.van-button');
    expect(page.instance.data.error).toBe('问题太长了，请精简到 200 字以内');
    expect(calls[0]).toEqual({ action: 'ask', question: '退款' }); // an unknown context is dropped
  });
});
