/**
 * Ad landing: the tapped ad's creative and the merchant's offer at a fixed demo price, and a
 * purchase button that records an `order` event. WeChat Pay is a later issue, so the page says
 * plainly that this is a demo order. The ad comes from the feed's in-memory card store, or
 * through `content` ad.get when the page opens cold (a share, a reload): then there is no
 * "why you see this" reason, which belongs to a served card.
 */
import type { AdView } from '../../../typings';
import { getTracker } from '../../services/analytics';
import { getApi } from '../../services/api';
import { loadable } from '../../behaviors/loadable';
import { recallAd } from '../../services/card-store';
import { newId } from '../../services/ids';
import { yuan } from '../../services/format';
import { slateRefOf } from '../../services/slate-ref';
import { imageSrc } from '../../services/upload';
import type { SlateRef } from '../../services/slate-ref';

/** The demo offer's price in fen (¥19.90); a real price comes with the order backend. */
export const DEMO_PRICE_FEN = 1990;

/**
 * With `loadable`'s status (loading: asking for the ad on a cold open; ready; missing: unknown or
 * no longer running; error: could not ask, retry) and errorMessage.
 */
interface AdData {
  ad: AdView | null;
  priceText: string;
  /** Set once the demo order is recorded: the button turns into a receipt. */
  orderId: string;
}

type AdMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  load(): Promise<void>;
  onPurchase(): void;
};

interface AdInstance {
  ref: SlateRef;
  adId: string;
}

Component<AdData, Record<string, never>, AdMethods, [typeof loadable], AdInstance, true>({
  behaviors: [loadable],

  data: {
    ad: null,
    priceText: yuan(DEMO_PRICE_FEN),
    orderId: '',
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
      const ad = this.adId ? recallAd(this.adId) : undefined;
      if (ad) this.setData({ status: 'ready', ad: shown(ad) });
      else if (!this.adId) this.setData({ status: 'missing' });
      else await this.load();
    },

    async load() {
      try {
        const res = await getApi().call('content', { action: 'ad.get', adId: this.adId });
        if (res.action !== 'ad.get') throw new Error('unexpected answer');
        this.setData({ status: 'ready', ad: shown(res.ad) });
      } catch (err) {
        this.showFailure(err, { NOT_FOUND: 'missing' });
      }
    },

    /** One demo order per visit: a second tap must not record a second order. */
    onPurchase() {
      const { ad, orderId } = this.data;
      if (!ad || orderId) return;
      const id = newId();
      getTracker().track('order', {
        orderId: id,
        amountFen: DEMO_PRICE_FEN,
        merchantId: ad.merchantId,
        adId: ad.adId,
        ...this.ref,
      });
      this.setData({ orderId: id });
      wx.showToast({ title: '演示订单已记录', icon: 'success' });
    },
  },
});

/** The ad with its image as <image> can show it (a local host file from the host). */
function shown<T extends { creative: { image: string } }>(ad: T): T {
  return { ...ad, creative: { ...ad.creative, image: imageSrc(ad.creative.image) } };
}
