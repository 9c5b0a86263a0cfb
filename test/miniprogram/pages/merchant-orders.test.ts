/**
 * The 待审核订单 page in miniprogram-simulate with real @vant/weapp components and a stubbed `pay`
 * client: the held orders with their risk reasons, 通过 / 拒绝 only after a confirmation, each
 * decided order leaving the list, a refusal shown as the server worded it; the loading, empty
 * and error states (with retry).
 */
import * as simulate from 'miniprogram-simulate';
import type { HeldOrderView, PayRequest, PayResponse } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/orders/index.json';
import { stubFunction } from '../helpers/stub-api';
import { loadWithVant } from '../helpers/vant';
import { tapRetry } from '../helpers/load-state';
import { answerModal, fullTexts, open, texts } from '../merchant/page-helpers';

const TAG = 'held-orders-page';
const T = Date.UTC(2026, 10, 28, 2, 0);

const held = (no: string, over: Partial<HeldOrderView> = {}): HeldOrderView => ({
  outTradeNo: no,
  campaignId: 'c1',
  title: '双人火锅套餐',
  quantity: 2,
  totalFen: 29_800,
  state: 'held',
  createdAt: T,
  expiresAt: T + 900_000,
  risk: {
    score: 0.72,
    reasons: [
      { code: 'velocity', message: '短时间内下单过多' },
      { code: 'new_device', message: '新设备上的大额订单' },
    ],
  },
  ...over,
});

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('merchant/pages/orders/index', TAG, pageJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

const stubPay = (answer: (req: PayRequest) => PayResponse | Error | Promise<PayResponse>) =>
  stubFunction('pay', answer);

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await simulate.sleep(0);
}

/** Taps 通过 or 拒绝 of a row (vant's native button inside). */
async function tapRow(
  page: Awaited<ReturnType<typeof open>>,
  what: 'approve' | 'reject',
  row: number,
) {
  const button = page.querySelector(`#rs-held-${what}-${row}`)?.querySelector('.van-button');
  expect(button).toBeTruthy();
  button?.dispatchEvent('tap');
  await flush();
}

describe('merchant held orders page (待审核订单)', () => {
  it('lists the held orders with their amount, risk score and reasons', async () => {
    const calls = stubPay(() => ({
      action: 'order.held',
      orders: [held('o1'), held('o2', { title: '单人餐', quantity: 1, totalFen: 5_980 })],
    }));
    const page = await open(pageId);
    expect(calls).toEqual([{ action: 'order.held' }]);
    expect(texts(page, TAG, 'rs-held__title')).toEqual(['双人火锅套餐', '单人餐']);
    expect(texts(page, TAG, 'rs-held__amount')).toEqual(['¥298.00 · 2 件', '¥59.80 · 1 件']);
    expect(texts(page, TAG, 'rs-held__reason').slice(0, 2)).toEqual([
      '· 短时间内下单过多',
      '· 新设备上的大额订单',
    ]);
    expect(fullTexts(page, 'van-tag', 'van-tag')).toContain('风险分 0.72');
    expect(fullTexts(page, TAG, 'rs-held__meta')[0]).toBe('订单号 o1 · 2026年11月28日 10:00 下单');
    expect(page.querySelector('#rs-held-empty')).toBeFalsy();
  });

  it('approves and rejects only after a confirmation; each decided order leaves the list', async () => {
    const calls = stubPay((req) => {
      if (req.action === 'order.held')
        return { action: 'order.held', orders: [held('o1'), held('o2')] };
      if (req.action === 'order.approve')
        return { action: req.action, order: held(req.outTradeNo, { state: 'created' }) };
      if (req.action === 'order.reject')
        return { action: req.action, order: held(req.outTradeNo, { state: 'closed' }) };
      throw new Error(`unscripted ${req.action}`);
    });
    const toast = jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never);
    let modal = answerModal(false);
    const page = await open(pageId);
    await tapRow(page, 'approve', 0);
    await tapRow(page, 'reject', 0);
    expect(modal).toHaveBeenCalledTimes(2);
    expect(calls.filter((c) => c.action !== 'order.held')).toEqual([]);
    expect(texts(page, TAG, 'rs-held__meta')).toHaveLength(2);

    modal.mockRestore();
    modal = answerModal(true);
    await tapRow(page, 'approve', 0);
    expect(modal.mock.calls[0][0]).toMatchObject({ title: '通过订单', confirmText: '通过' });
    expect(fullTexts(page, TAG, 'rs-held__meta')).toEqual([
      '订单号 o2 · 2026年11月28日 10:00 下单',
    ]);
    await tapRow(page, 'reject', 0);
    expect(modal.mock.calls[1][0]).toMatchObject({ title: '拒绝订单', confirmText: '拒绝' });
    expect(calls.filter((c) => c.action !== 'order.held')).toEqual([
      { action: 'order.approve', outTradeNo: 'o1' },
      { action: 'order.reject', outTradeNo: 'o2' },
    ]);
    expect(toast.mock.calls.map(([o]) => o.title)).toEqual(['已通过', '已拒绝']);
    expect(page.querySelector('#rs-held-empty')).toBeTruthy();
  });

  it('keeps an order the server refused to decide, and says why', async () => {
    stubPay((req) =>
      req.action === 'order.held'
        ? { action: 'order.held', orders: [held('o1')] }
        : new ApiError('CONFLICT', '这个订单不在待审核状态，请刷新后重试'),
    );
    const toast = jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never);
    answerModal(true);
    const page = await open(pageId);
    await tapRow(page, 'approve', 0);
    expect(toast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '这个订单不在待审核状态，请刷新后重试', icon: 'none' }),
    );
    expect(texts(page, TAG, 'rs-held__meta')).toHaveLength(1);
    expect(page.instance.data.busy).toBe('');
  });

  it('shows the empty state when nothing is held', async () => {
    stubPay(() => ({ action: 'order.held', orders: [] }));
    const page = await open(pageId);
    expect(page.querySelector('#rs-held-empty')).toBeTruthy();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['没有待审核的订单']);
  });

  it('shows loading first, then the refusal of a non-owner, and loads again on retry', async () => {
    let answer: PayResponse | Error = new ApiError('FORBIDDEN', '只有商家所有者可以审核订单');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    stubPay(async () => {
      await gate;
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const page = simulate.render(pageId) as unknown as Awaited<ReturnType<typeof open>>;
    page.attach(document.createElement('parent-wrapper'));
    const loading = page.instance.onLoad();
    await flush();
    expect(page.instance.data.status).toBe('loading');
    release();
    await loading;
    await flush();
    expect(page.instance.data).toMatchObject({
      status: 'error',
      errorMessage: '只有商家所有者可以审核订单',
    });
    answer = { action: 'order.held', orders: [held('o1')] };
    await tapRetry(page);
    expect(page.instance.data.status).toBe('ready');
    expect(texts(page, TAG, 'rs-held__title')).toEqual(['双人火锅套餐']);
  });
});
