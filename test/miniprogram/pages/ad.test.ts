/**
 * The ad landing page in miniprogram-simulate with real @vant/weapp components: the creative
 * marked 广告, the merchant's landing, the offer from `content` ad.get at its stored price, and
 * buying it: `pay` order.create → wx.requestPayment (mocked here, the only place it is) → `pay`
 * order.get polled until the server knows the outcome. The page never shows 支付成功 because
 * wx.requestPayment succeeded: only because order.get says paid. Opened cold, the ad comes from
 * ad.get, with not-found and error-with-retry states. No client order event is recorded.
 */
import * as simulate from 'miniprogram-simulate';
import type {
  AdCard,
  AdView,
  ContentRequest,
  ContentResponse,
  FunctionMap,
  FunctionName,
  OrderView,
  PayRequest,
  PayResponse,
} from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import { PAY_POLL_DELAYS_MS } from '../../../miniprogram/services/pay';
import pageJson from '../../../miniprogram/pages/ad/index.json';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { recordingTracker, tapsOf } from '../helpers/recording-tracker';
import { retryButton, tapRetry } from '../helpers/load-state';
import { expectExperience } from '../helpers/experience';

const OFFER = { title: '双人火锅套餐', priceFen: 9_900, stock: 10, perUserLimit: 2 };
const AD: AdCard = {
  kind: 'ad',
  position: 2,
  sponsored: true,
  adId: 'camp-1',
  advertiser: '川味小馆',
  merchantId: 'm-9',
  creative: {
    title: '新店开业',
    description: '双人套餐八折',
    image: '',
    landing: { kind: 'item', itemId: 'item-7' },
  },
  reason: { code: 'interest', text: '你关注了「美食」' },
};
const { position: _p, reason: _r, ...rest } = AD;
void _p;
void _r;
const VIEW: AdView = { ...rest, offer: OFFER };
const PAYMENT = {
  timeStamp: '1796524062',
  nonceStr: 'n1',
  package: 'prepay_id=wx1',
  signType: 'MD5',
  paySign: 'sig',
};
const order = (state: OrderView['state']): OrderView => ({
  outTradeNo: 'o0000000001abcdef',
  campaignId: 'camp-1',
  title: OFFER.title,
  quantity: 1,
  totalFen: 9_900,
  state,
  createdAt: 1,
  expiresAt: 2,
});

type AnyObject = WechatMiniprogram.IAnyObject;
type AdPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): Promise<void>; onPurchase(): Promise<void> };
};

/** A stub client for `content` and `pay`, every request recorded in order. */
function stubApi(answers: {
  content?: (req: ContentRequest) => ContentResponse | Error;
  pay?: (req: PayRequest) => PayResponse | Error;
}): { name: FunctionName; req: unknown }[] {
  const calls: { name: FunctionName; req: unknown }[] = [];
  setApi({
    async call<N extends FunctionName>(
      name: N,
      req: FunctionMap[N]['req'],
    ): Promise<FunctionMap[N]['res']> {
      calls.push({ name, req });
      const answer = answers[name as 'content' | 'pay'];
      if (!answer) throw new Error(`unexpected call ${name}`);
      const a = answer(req as never);
      if (a instanceof Error) throw a;
      return a as FunctionMap[N]['res'];
    },
  });
  return calls;
}

const payment = jest.fn<void, [WechatMiniprogram.RequestPaymentOption]>();
let pageId: string;
const delays = [...PAY_POLL_DELAYS_MS];

beforeAll(() => {
  pageId = loadWithVant('pages/ad/index', 'ad-page', pageJson.usingComponents);
  // The polls' waits, shortened for the test (the page reads them at each purchase).
  PAY_POLL_DELAYS_MS.splice(0, PAY_POLL_DELAYS_MS.length, 0, 1, 1, 1);
  (wx as unknown as { requestPayment: typeof payment }).requestPayment = payment;
});
afterAll(() => PAY_POLL_DELAYS_MS.splice(0, PAY_POLL_DELAYS_MS.length, ...delays));

beforeEach(() => {
  rememberCards([AD]);
  payment.mockReset();
});

afterEach(() => {
  forgetCards();
  setTracker(null);
  setApi(null);
});

async function open(
  query: object = { adId: 'camp-1', slateId: 'slate-1', position: '2' },
): Promise<AdPage> {
  const page = simulate.render(pageId) as unknown as AdPage;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad(query);
  expectExperience(page, 5); // the first screen within the experience-score rules
  return page;
}

/** Taps 购买 and waits until the purchase is over (the button stops waiting). */
const buy = async (page: AdPage): Promise<void> => {
  page.querySelector('#rs-ad-buy')?.querySelector('.van-button')?.dispatchEvent('tap');
  const data = (page.instance as unknown as { data: { busy: boolean } }).data;
  for (let i = 0; i < 400 && (i === 0 || data.busy); i++) await simulate.sleep(5);
  expect(data.busy).toBe(false);
};

describe('ad landing page', () => {
  it('shows the creative marked 广告, the offer at its stored price and the merchant’s landing', async () => {
    stubApi({ content: () => ({ action: 'ad.get', ad: VIEW }) });
    const navigate = jest.spyOn(wx, 'navigateTo');
    const page = await open();
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['广告']);
    expect(texts(page, 'ad-page', 'rs-ad__advertiser')).toEqual(['川味小馆']);
    expect(texts(page, 'ad-page', 'rs-ad__title')).toEqual(['新店开业']);
    expect(texts(page, 'ad-page', 'rs-ad__product')).toEqual(['双人火锅套餐']);
    expect(texts(page, 'ad-page', 'rs-ad__price')).toEqual(['¥99.00']);
    // The served card's reason is kept (ad.get has none).
    expect(texts(page, 'ad-page', 'rs-ad__reason')).toEqual(['你关注了「美食」']);
    const html = (page.dom as HTMLElement).textContent ?? '';
    expect(html).not.toContain('演示');
    expect(html).not.toContain('19.90');
    page.querySelector('#rs-ad-landing')?.querySelector('.van-button')?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(navigate.mock.calls[0]?.[0]).toMatchObject({ url: '/pages/detail/index?itemId=item-7' });
    navigate.mockRestore();
  });

  it('names the landing tap (ad.landing) in a tap event', async () => {
    const tracked = recordingTracker({ withTaps: true });
    stubApi({ content: () => ({ action: 'ad.get', ad: VIEW }) });
    const navigate = jest.spyOn(wx, 'navigateTo');
    const page = await open();
    page.querySelector('#rs-ad-landing')?.querySelector('.van-button')?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tapsOf(tracked)).toEqual(['ad.landing']);
    navigate.mockRestore();
  });

  it('buys through WeChat Pay and shows 支付成功 only once order.get says paid; no client order event', async () => {
    const tracked = recordingTracker();
    let gets = 0;
    const calls = stubApi({
      content: () => ({ action: 'ad.get', ad: VIEW }),
      pay: (req) =>
        req.action === 'order.create'
          ? { action: 'order.create', order: order('paying'), payment: PAYMENT }
          : { action: 'order.get', order: order(++gets < 3 ? 'paying' : 'paid') },
    });
    payment.mockImplementation((o) => o.success?.({ errMsg: 'requestPayment:ok' }));
    const page = await open();
    await buy(page);
    expect(calls.filter((c) => c.name === 'pay').map((c) => c.req)).toEqual([
      {
        action: 'order.create',
        campaignId: 'camp-1',
        quantity: 1,
        slateId: 'slate-1',
        position: 2,
        device: expect.stringMatching(/^[0-9a-f]{16}$/),
      },
      { action: 'order.get', outTradeNo: 'o0000000001abcdef' },
      { action: 'order.get', outTradeNo: 'o0000000001abcdef' },
      { action: 'order.get', outTradeNo: 'o0000000001abcdef' },
    ]);
    expect(payment.mock.calls[0][0]).toMatchObject({ package: 'prepay_id=wx1', paySign: 'sig' });
    expect(texts(page, 'ad-page', 'rs-ad__receipt')).toEqual([
      '支付成功（订单号 o0000000001abcdef）',
    ]);
    expect(page.querySelector('#rs-ad-buy')).toBeFalsy();
    expect(page.querySelector('#rs-ad-contact')?.data).toMatchObject({
      sessionFrom: 'order:o0000000001abcdef',
    });
    expect(tracked).toEqual([]);
  });

  it('does not trust wx.requestPayment’s success: an order still paying is shown as being confirmed', async () => {
    stubApi({
      content: () => ({ action: 'ad.get', ad: VIEW }),
      pay: (req) =>
        req.action === 'order.create'
          ? { action: 'order.create', order: order('paying'), payment: PAYMENT }
          : { action: 'order.get', order: order('paying') },
    });
    payment.mockImplementation((o) => o.success?.({ errMsg: 'requestPayment:ok' }));
    const page = await open();
    await buy(page);
    expect(texts(page, 'ad-page', 'rs-ad__receipt')).toEqual([
      '支付结果确认中…（订单号 o0000000001abcdef）',
    ]);
    expect((page.dom as HTMLElement).textContent).not.toContain('支付成功');
  });

  it('says so when the buyer cancels, and refusals (sold out) show the server’s message', async () => {
    let soldOut = false;
    stubApi({
      content: () => ({ action: 'ad.get', ad: VIEW }),
      pay: (req) =>
        soldOut
          ? new ApiError('CONFLICT', '已售罄，看看别的商品吧')
          : req.action === 'order.create'
            ? { action: 'order.create', order: order('paying'), payment: PAYMENT }
            : { action: 'order.get', order: order('paying') },
    });
    payment.mockImplementation((o) => o.fail?.({ errMsg: 'requestPayment:fail cancel' }));
    const page = await open();
    await buy(page);
    expect(texts(page, 'ad-page', 'rs-ad__pay-message')).toEqual(['已取消支付，可以再次点击购买']);
    soldOut = true;
    await buy(page);
    expect(texts(page, 'ad-page', 'rs-ad__pay-message')).toEqual(['已售罄，看看别的商品吧']);
  });

  it('a held order (支付安全) opens no payment sheet and says the merchant reviews it; the device digest rides along', async () => {
    const calls = stubApi({
      content: () => ({ action: 'ad.get', ad: VIEW }),
      pay: () => ({ action: 'order.create', order: order('held') }),
    });
    const w = wx as unknown as { getDeviceInfo?: () => object };
    const had = w.getDeviceInfo;
    w.getDeviceInfo = () => ({
      brand: 'HUAWEI',
      model: 'Mate 60',
      system: 'HarmonyOS 4',
      platform: 'android',
    });
    try {
      const page = await open();
      await buy(page);
      expect(payment).not.toHaveBeenCalled();
      const sent = calls.find((c) => c.name === 'pay')!.req as { device?: string };
      expect(sent.device).toMatch(/^[0-9a-f]{16}$/);
      expect(texts(page, 'ad-page', 'rs-ad__receipt')).toEqual([
        '订单需要商家审核（订单号 o0000000001abcdef）',
      ]);
      expect(texts(page, 'ad-page', 'rs-ad__pay-message')).toEqual([
        '为了你的支付安全，这笔订单需要商家审核，审核通过后再点击购买即可支付',
      ]);
    } finally {
      w.getDeviceInfo = had;
    }
  });

  it('offers no purchase for an ad without an offer', async () => {
    const { offer: _o, ...noOffer } = VIEW;
    void _o;
    stubApi({ content: () => ({ action: 'ad.get', ad: noOffer }) });
    const page = await open();
    expect(page.querySelector('#rs-ad-buy')).toBeFalsy();
    expect(texts(page, 'ad-page', 'rs-ad__price')).toEqual([]);
  });
});

describe('ad landing page opened cold', () => {
  beforeEach(() => forgetCards());

  it('loads the ad through ad.get, without a reason (it belongs to a served card)', async () => {
    const calls = stubApi({ content: () => ({ action: 'ad.get', ad: VIEW }) });
    const page = simulate.render(pageId) as unknown as AdPage;
    page.attach(document.createElement('parent-wrapper'));
    const loading = page.instance.onLoad({ adId: 'camp-1' });
    expect(texts(page, 'van-loading', 'van-loading__text')).toEqual(['加载中…']);
    await loading;
    expect(calls).toEqual([{ name: 'content', req: { action: 'ad.get', adId: 'camp-1' } }]);
    expect(texts(page, 'ad-page', 'rs-ad__title')).toEqual(['新店开业']);
    expect(texts(page, 'ad-page', 'rs-ad__reason')).toEqual([]);
    expect(page.querySelector('#rs-ad-buy')).toBeTruthy();
  });

  it('says the ad is gone on NOT_FOUND, and offers no purchase', async () => {
    stubApi({ content: () => new ApiError('NOT_FOUND', '广告不存在或已下线') });
    const page = await open({ adId: 'camp-old' });
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['广告不存在或已下线']);
    expect(page.querySelector('#rs-ad-buy')).toBeFalsy();
    expect(retryButton(page)).toBeFalsy();
  });

  it('shows an error with a retry when the server cannot be reached, and loads on retry', async () => {
    let online = false;
    const calls = stubApi({
      content: () =>
        online
          ? { action: 'ad.get', ad: VIEW }
          : new ApiError('NETWORK', '网络不可用，请检查网络后重试'),
    });
    const page = await open({ adId: 'camp-1' });
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '网络不可用，请检查网络后重试',
    ]);
    online = true;
    await tapRetry(page);
    await simulate.sleep(0);
    expect(texts(page, 'ad-page', 'rs-ad__title')).toEqual(['新店开业']);
    expect(calls).toHaveLength(2);
  });

  it('says the ad is missing when opened without an ad id, asking nothing', async () => {
    const calls = stubApi({ content: () => ({ action: 'ad.get', ad: VIEW }) });
    const page = await open({});
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['广告不存在或已下线']);
    expect(calls).toEqual([]);
  });
});
