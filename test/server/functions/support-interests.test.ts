/**
 * `support` ask with the asker's interests (智能客服, issue 19), on both adapters: for an asker
 * whose feed is personalised, a category interest (here chosen at first launch) breaks a tie
 * between near-equal answers of different FAQ categories; without a recorded consent, or with
 * personalisation off, no profile is read and the order is the text engine's.
 */
import type { ApiResult, SupportResponse } from '../../../typings';
import support from '../../../server/functions/support';
import { PLATFORM_SCOPE, type FaqEntry } from '../../../server/ports';
import { toHandler } from '../../../server/runtime/function';
import { accountCalls } from '../../helpers/account-calls';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(support);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const PAY = '00000000-0000-5000-8000-000000000001';
const TRIP = '00000000-0000-5000-8000-000000000002';

const entry = (id: string, category: string, question: string, answer: string): FaqEntry => ({
  id,
  scope: PLATFORM_SCOPE,
  category,
  question,
  answer,
  similar: [],
  revision: 1,
  updatedAt: NOW,
});

describe.each(bothAdapters)('support ask with interests on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { ok, consent } = accountCalls(() => deps, 'asker');
  const firstAnswer = async (openid: string): Promise<string> => {
    const res: ApiResult<SupportResponse> = await handler(
      { payload: { action: 'ask', question: '订单能取消吗' }, openid },
      deps,
    );
    if (!res.ok || res.data.action !== 'ask') throw new Error(JSON.stringify(res));
    return res.data.answers[0].faqId;
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    for (const e of [
      entry(PAY, '支付', '订单可以取消吗', '未付款的订单在订单详情中直接取消。'),
      entry(TRIP, '出行', '订单可以取消吗', '旅行线路和酒店的订单以商家的取消政策为准。'),
      entry(
        '00000000-0000-5000-8000-000000000003',
        '支付',
        '付款失败怎么办',
        '请确认余额或银行卡可用后重试。',
      ),
    ])
      expect(await opened.stores.faq.create(e)).toBe(true);
  });
  afterEach(() => opened.cleanup());

  it('puts the answer of the category the asker is interested in first, between equals', async () => {
    await consent(true, 'traveller');
    await ok({ action: 'interests.set', categories: ['旅行'] }, 'traveller');
    expect(await firstAnswer('traveller')).toBe(TRIP);
    await consent(true, 'plain');
    expect(await firstAnswer('plain')).toBe(PAY); // no interests: the text engine's order (ids)
  });

  it('reads no profile without a recorded consent, nor with personalisation off', async () => {
    const read = jest.spyOn(opened.stores.profiles, 'get');
    expect(await firstAnswer('stranger')).toBe(PAY);
    await consent(true, 'opted-out');
    await ok({ action: 'interests.set', categories: ['旅行'] }, 'opted-out');
    await ok({ action: 'personalization.set', enabled: false }, 'opted-out');
    expect(await firstAnswer('opted-out')).toBe(PAY);
    expect(read).not.toHaveBeenCalled();
  });
});
