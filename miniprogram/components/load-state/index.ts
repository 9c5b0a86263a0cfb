/**
 * What a page shows while it has nothing else to show: a spinner while loading, the server's words
 * when what was asked for does not exist, the offline state, or the error with 重新加载, whose tap
 * emits `retry` (the `loadable` behavior's onRetry). Any other status renders nothing.
 */
import { tappable } from '../../behaviors/tappable';

Component({
  // Its named taps are counted (services/features.ts).
  behaviors: [tappable],
  properties: {
    /** loading | missing | offline | error; anything else: nothing. */
    status: { type: String, value: 'loading' },
    /** The failure's message (error), or the server's not-found words (missing). */
    message: { type: String, value: '' },
    /** What `missing` says when the server gave no words. */
    missingText: { type: String, value: '' },
  },

  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
