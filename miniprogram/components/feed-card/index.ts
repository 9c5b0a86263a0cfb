/**
 * One feed card, content or native ad (marked 广告 with its advertiser), from the feed's CardView.
 * Its "…" emits `menu` with the card's key and stops the tap there, so the menu never also opens
 * the card; the card's own tap, impression and position stay with the feed, which owns the slate.
 */
import { tappable } from '../../behaviors/tappable';
import type { CardView } from '../../pages/feed/card-view';

Component({
  // Its named taps are counted (services/features.ts).
  behaviors: [tappable],
  properties: {
    /** The card as `pages/feed/card-view.ts` shapes it. */
    card: { type: Object, value: {} as CardView },
  },

  methods: {
    onMenu() {
      this.triggerEvent('menu', { key: (this.data.card as CardView).key });
    },
  },
});
