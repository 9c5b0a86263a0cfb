/**
 * The ad landing page in miniprogram-simulate with real @vant/weapp components and a recording
 * tracker: the creative marked 广告, the offer at the demo price marked as a demo order, and the
 * `order` event of a purchase tap (once per visit).
 */
import * as simulate from 'miniprogram-simulate';
import type { AdCard } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { forgetCards, rememberCards } from '../../../miniprogram/services/card-store';
import pageJson from '../../../miniprogram/pages/ad/index.json';
import { vantComponents } from '../helpers/vant';
import { recordingTracker } from '../helpers/recording-tracker';

const MP_ROOT = `${__dirname}/../../../miniprogram`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const AD: AdCard = {
  kind: 'ad',
  position: 2,
  sponsored: true,
  adId: 'camp-1',
  advertiser: '川味小馆',
  merchantId: 'm-9',
  creative: { title: '新店开业', description: '双人套餐八折', image: '', landing: { kind: 'page', path: 'pages/ad/index' } },
  reason: { code: 'interest', text: '你关注了「美食」' },
};

type AnyObject = WechatMiniprogram.IAnyObject;
type AdPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): void; onPurchase(): void };
};

let pageId: string;

beforeAll(() => {
  pageId = simulate.load(`${MP_ROOT}/pages/ad/index`, 'ad-page', {
    rootPath: MP_ROOT,
    usingComponents: vantComponents(pageJson.usingComponents),
  });
});

beforeEach(() => rememberCards([AD]));

afterEach(() => {
  forgetCards();
  setTracker(null);
});

function open(query: object = { adId: 'camp-1', slateId: 'slate-1', position: '2' }): AdPage {
  const page = simulate.render(pageId) as unknown as AdPage;
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad(query);
  return page;
}

function texts(page: AdPage, scope: string, className: string): string[] {
  const nodes = (page.dom as HTMLElement).querySelectorAll(`.${scope}--${className}`);
  return Array.from(nodes)
    .map((el) => Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim())
    .filter(Boolean);
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
    const button = page.querySelector('#rs-ad-buy')?.querySelector('.van-button');
    expect(button).toBeTruthy();
    button?.dispatchEvent('tap');
    await simulate.sleep(0);

    expect(tracked).toHaveLength(1);
    const [type, props] = tracked[0];
    expect(type).toBe('order');
    expect(props).toEqual({ orderId: expect.stringMatching(UUID), amountFen: 1990, merchantId: 'm-9', adId: 'camp-1', slateId: 'slate-1', position: 2 });
    expect(texts(page, 'ad-page', 'rs-ad__receipt')).toEqual([`已下单（演示订单号 ${String(props.orderId)}）`]);
    expect(page.querySelector('#rs-ad-buy')).toBeFalsy();

    page.instance.onPurchase(); // a second tap (e.g. a double tap) records nothing more
    expect(tracked).toHaveLength(1);
  });

  it('says so, and offers no purchase, when the ad is not in memory', () => {
    const tracked = recordingTracker();
    forgetCards();
    const page = open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['广告内容暂时无法显示，请从首页重新打开']);
    expect(page.querySelector('#rs-ad-buy')).toBeFalsy();
    page.instance.onPurchase();
    expect(tracked).toEqual([]);
  });
});
