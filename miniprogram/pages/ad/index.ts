/**
 * Ad landing: the tapped ad's creative marked 广告, the landing the merchant chose (a page or a
 * content item), and the merchant's offer bought through WeChat Pay: `pay` order.create (the
 * price comes from the stored offer), wx.requestPayment with the payment object it answers, then
 * the order as the server knows it (`pay` order.get, polled briefly) — the page never takes
 * wx.requestPayment's success as payment. The offer comes from `content` ad.get; a card from the
 * feed's store is shown meanwhile (with its "why you see this" reason, which belongs to a served card).
 */
import type { AdView, Offer, OrderView } from '../../../typings';
import { callAction, getApi } from '../../services/api';
import { ApiError } from '../../services/api-error';
import { loadable } from '../../behaviors/loadable';
import { recallAd } from '../../services/card-store';
import { yuan } from '../../services/format';
import { slateRefOf, toQuery } from '../../services/slate-ref';
import { imageSrc } from '../../services/upload';
import { deviceDigest, requestPayment, settleOrder } from '../../services/pay';
import type { SlateRef } from '../../services/slate-ref';

const STATE_TEXT: Record<OrderView['state'], string> = {
  created: '待支付',
  paying: '支付结果确认中…',
  paid: '支付成功',
  refunding: '退款中',
  refunded: '已退款',
  closed: '订单已关闭',
  held: '订单需要商家审核',
};

/**
 * With `loadable`'s status (loading: asking for the ad on a cold open; ready; missing: unknown or
 * no longer running; error: could not ask, retry) and errorMessage.
 */
interface AdData {
  ad: AdView | null;
  offer: Offer | null;
  priceText: string;
  /** The landing the merchant chose, as a button: '' when it is this page. */
  landingText: string;
  order: OrderView | null;
  orderText: string;
  /** A purchase is under way (the button waits). */
  busy: boolean;
  /** Why the last purchase did not go through ('' when it did or none was tried). */
  payMessage: string;
}

type AdMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  load(): Promise<void>;
  onPurchase(): Promise<void>;
  onLanding(): void;
};

interface AdInstance {
  ref: SlateRef;
  adId: string;
}

Component<AdData, Record<string, never>, AdMethods, [typeof loadable], AdInstance, true>({
  behaviors: [loadable],

  data: {
    ad: null,
    offer: null,
    priceText: '',
    landingText: '',
    order: null,
    orderText: '',
    busy: false,
    payMessage: '',
  },

  lifetimes: {
    created() {
      this.ref = {};
      this.adId = '';
    },
  },

  methods: {
    async onLoad(query) {
      this.ref = slateRefOf(query);
      this.adId = query?.adId ?? '';
      if (!this.adId) {
        this.setData({ status: 'missing' });
        return;
      }
      const card = recallAd(this.adId);
      if (card) this.setData({ status: 'ready', ...viewData(card) });
      await this.load();
    },

    async load() {
      try {
        const res = await callAction('content', { action: 'ad.get', adId: this.adId });
        // A served card's reason stays: ad.get has none.
        const reason = this.data.ad?.reason;
        this.setData({
          status: 'ready',
          ...viewData(reason && !res.ad.reason ? { ...res.ad, reason } : res.ad),
        });
      } catch (err) {
        // A card already shown stays usable; only its offer is missing.
        if (this.data.ad) return;
        this.showFailure(err, { NOT_FOUND: 'missing' });
      }
    },

    /** One purchase at a time; a repeated tap for the same cart is answered the same order. */
    async onPurchase() {
      const { ad, offer, busy } = this.data;
      if (!ad || !offer || busy) return;
      this.setData({ busy: true, payMessage: '' });
      try {
        const made = await getApi().call('pay', {
          action: 'order.create',
          campaignId: ad.adId,
          quantity: 1,
          ...this.ref,
          ...deviceDigest(),
        });
        if (made.action !== 'order.create') throw new Error('unexpected answer');
        this.setData({ order: made.order, orderText: STATE_TEXT[made.order.state] });
        if (!made.payment) {
          // Held by the payment risk check (支付安全): nothing to pay until the merchant approves.
          this.setData({
            payMessage: '为了你的支付安全，这笔订单需要商家审核，审核通过后再点击购买即可支付',
          });
          return;
        }
        const cancelled = await requestPayment(made.payment);
        const order = await settleOrder(made.order.outTradeNo);
        this.setData({
          order,
          orderText: STATE_TEXT[order.state],
          payMessage: order.state === 'paid' ? '' : cancelled ? '已取消支付，可以再次点击购买' : '',
        });
      } catch (err) {
        this.setData({
          payMessage: err instanceof ApiError ? err.message : '下单失败，请稍后重试',
        });
      } finally {
        this.setData({ busy: false });
      }
    },

    onLanding() {
      const landing = this.data.ad?.creative.landing;
      if (!landing) return;
      const url =
        landing.kind === 'item'
          ? `/pages/detail/index?${toQuery({ itemId: landing.itemId })}`
          : `/${landing.path.replace(/^\//, '')}`;
      void wx.navigateTo({ url });
    },
  },
});

/** The ad with its image as <image> can show it, its offer's price, and its landing button. */
function viewData(ad: AdView): Pick<AdData, 'ad' | 'offer' | 'priceText' | 'landingText'> {
  const landing = ad.creative.landing;
  const here = landing.kind === 'page' && landing.path.replace(/^\//, '') === 'pages/ad/index';
  return {
    ad: { ...ad, creative: { ...ad.creative, image: imageSrc(ad.creative.image) } },
    offer: ad.offer ?? null,
    priceText: ad.offer ? yuan(ad.offer.priceFen) : '',
    landingText: here ? '' : landing.kind === 'item' ? '查看详情' : '去看看',
  };
}
