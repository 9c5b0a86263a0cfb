/**
 * Ad landing: the tapped ad's creative and the merchant's offer at a fixed demo price, and a
 * purchase button that records an `order` event. WeChat Pay is a later issue, so the page says
 * plainly that this is a demo order. The ad comes from the feed's in-memory card store (no
 * ad-by-id API yet).
 */
import type { AdCard } from '../../../typings';
import { getTracker } from '../../services/analytics';
import { recallAd } from '../../services/card-store';
import { newId } from '../../services/ids';
import { yuan } from '../../services/format';
import { slateRefOf } from '../../services/slate-ref';
import type { SlateRef } from '../../services/slate-ref';

/** The demo offer's price in fen (¥19.90); a real price comes with the order backend. */
export const DEMO_PRICE_FEN = 1990;

interface AdData {
  status: 'ready' | 'missing';
  ad: AdCard | null;
  priceText: string;
  /** Set once the demo order is recorded: the button turns into a receipt. */
  orderId: string;
}

type AdMethods = {
  onLoad(query?: Record<string, string | undefined>): void;
  onPurchase(): void;
};

interface AdInstance {
  ref: SlateRef;
}


Component<AdData, Record<string, never>, AdMethods, [], AdInstance, true>({
  data: { status: 'missing', ad: null, priceText: yuan(DEMO_PRICE_FEN), orderId: '' },

  lifetimes: {
    created() {
      this.ref = {};
    },
  },

  methods: {
    onLoad(query) {
      this.ref = slateRefOf(query);
      const ad = query?.adId ? recallAd(query.adId) : undefined;
      this.setData({ status: ad ? 'ready' : 'missing', ad: ad ?? null });
    },

    /** One demo order per visit: a second tap must not record a second order. */
    onPurchase() {
      const { ad, orderId } = this.data;
      if (!ad || orderId) return;
      const id = newId();
      getTracker().track('order', { orderId: id, amountFen: DEMO_PRICE_FEN, merchantId: ad.merchantId, adId: ad.adId, ...this.ref });
      this.setData({ orderId: id });
      wx.showToast({ title: '演示订单已记录', icon: 'success' });
    },
  },
});
