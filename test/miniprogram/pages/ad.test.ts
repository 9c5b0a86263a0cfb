/**
 * The ad landing page in miniprogram-simulate with real @vant/weapp components and a recording
 * tracker: the creative marked 广告, the offer at the demo price marked as a demo order, and the
 * `order` event of a purchase tap (once per visit); opened cold (not in the card store), the ad
 * comes from `content` ad.get, with not-found and error-with-retry states.
 */
import * as simulate from 'miniprogram-simulate';
import type { AdCard, AdView } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import pageJson from '../../../miniprogram/pages/ad/index.json';
import { stubContent } from '../helpers/content-api';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { recordingTracker } from '../helpers/recording-tracker';
import { retryButton, tapRetry } from '../helpers/load-state';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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
    landing: { kind: 'page', path: 'pages/ad/index' },
  },
  reason: { code: 'interest', text: '你关注了「美食」' },
};

type AnyObject = WechatMiniprogram.IAnyObject;
type AdPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): void; onPurchase(): void };
};

let pageId: string;

beforeAll(() => {
  pageId = loadWithVant('pages/ad/index', 'ad-page', pageJson.usingComponents);
});

beforeEach(() => rememberCards([AD]));

afterEach(() => {
  forgetCards();
  setTracker(null);
  setApi(null);
});

function open(query: object = { adId: 'camp-1', slateId: 'slate-1', position: '2' }): AdPage {
  const page = simulate.render(pageId) as unknown as AdPage;
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad(query);
  return page;
}

describe('ad landing page', () => {
  it('shows the creative marked 广告, the offer, the demo price and the demo-order notice', () => {
    const page = open();
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['广告']);
    expect(texts(page, 'ad-page', 'rs-ad__advertiser')).toEqual(['川味小馆']);
    expect(texts(page, 'ad-page', 'rs-ad__title')).toEqual(['新店开业']);
    expect(texts(page, 'ad-page', 'rs-ad__offer')).toEqual(['双人套餐八折']);
    expect(texts(page, 'ad-page', 'rs-ad__price')).toEqual(['¥19.90']);
    // van-notice-bar's own template renders the text: not an empty tag.
    expect((page.dom as HTMLElement).textContent).toContain('演示订单，未接入微信支付');
    expect((page.dom as HTMLElement).innerHTML).toContain('van-notice-bar__content');
  });

  it('records one order event on purchase, with order id, amount, merchant, ad, slate and position', async () => {
    const tracked = recordingTracker();
    const page = open();
    // Customer service opens with the ad as its context, and with the order once there is one.
    expect(page.querySelector('#rs-ad-contact')?.data).toMatchObject({
      openType: 'contact',
      sessionFrom: 'ad:camp-1',
    });
    const button = page.querySelector('#rs-ad-buy')?.querySelector('.van-button');
    expect(button).toBeTruthy();
    button?.dispatchEvent('tap');
    await simulate.sleep(0);

    expect(tracked).toHaveLength(1);
    const [type, props] = tracked[0];
    expect(type).toBe('order');
    expect(props).toEqual({
      orderId: expect.stringMatching(UUID),
      amountFen: 1990,
      merchantId: 'm-9',
      adId: 'camp-1',
      slateId: 'slate-1',
      position: 2,
    });
    expect(texts(page, 'ad-page', 'rs-ad__receipt')).toEqual([
      `已下单（演示订单号 ${String(props.orderId)}）`,
    ]);
    expect(page.querySelector('#rs-ad-buy')).toBeFalsy();
    expect(page.querySelector('#rs-ad-contact')?.data).toMatchObject({
      sessionFrom: `order:${String(props.orderId)}`,
    });

    page.instance.onPurchase(); // a second tap (e.g. a double tap) records nothing more
    expect(tracked).toHaveLength(1);
  });

  it('asks nothing when the ad is in the card store', () => {
    const calls = stubContent(() => new Error('no call expected'));
    open();
    expect(calls).toEqual([]);
  });
});

describe('ad landing page opened cold', () => {
  const { position: _p, reason: _r, ...rest } = AD;
  const VIEW: AdView = rest;
  void _p;
  void _r;
  beforeEach(() => forgetCards());

  it('loads the ad through ad.get, without a reason (it belongs to a served card), and can order', async () => {
    const tracked = recordingTracker();
    const calls = stubContent(() => ({ action: 'ad.get', ad: VIEW }));
    const page = open({ adId: 'camp-1' });
    expect(texts(page, 'van-loading', 'van-loading__text')).toEqual(['加载中…']);
    await simulate.sleep(0);
    expect(calls).toEqual([{ action: 'ad.get', adId: 'camp-1' }]);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['广告']);
    expect(texts(page, 'ad-page', 'rs-ad__title')).toEqual(['新店开业']);
    expect(texts(page, 'ad-page', 'rs-ad__reason')).toEqual([]);
    page.querySelector('#rs-ad-buy')?.querySelector('.van-button')?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tracked.map(([type, props]) => [type, props.merchantId, props.adId])).toEqual([
      ['order', 'm-9', 'camp-1'],
    ]);
  });

  it('says the ad is gone on NOT_FOUND, and offers no purchase', async () => {
    const tracked = recordingTracker();
    stubContent(() => new ApiError('NOT_FOUND', '广告不存在或已下线'));
    const page = open({ adId: 'camp-old' });
    await simulate.sleep(0);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['广告不存在或已下线']);
    expect(page.querySelector('#rs-ad-buy')).toBeFalsy();
    expect(retryButton(page)).toBeFalsy();
    page.instance.onPurchase();
    expect(tracked).toEqual([]);
  });

  it('shows an error with a retry when the server cannot be reached, and loads on retry', async () => {
    let online = false;
    const calls = stubContent(() =>
      online
        ? { action: 'ad.get', ad: VIEW }
        : new ApiError('NETWORK', '网络不可用，请检查网络后重试'),
    );
    const page = open({ adId: 'camp-1' });
    await simulate.sleep(0);
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
    const calls = stubContent(() => ({ action: 'ad.get', ad: VIEW }));
    const page = open({});
    await simulate.sleep(0);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['广告不存在或已下线']);
    expect(calls).toEqual([]);
  });
});
