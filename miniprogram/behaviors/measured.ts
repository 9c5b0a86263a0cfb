/**
 * The thin setData wrapper every page uses (through `loadable`, or directly): each call is
 * measured (services/set-data-meter.ts) before it goes to the view, and what was measured is
 * sent as one set_data event when the page hides or closes (sampled and consented like every
 * event). The meter is the instance's `setDataMeter`, which the experience-score tests read.
 * It also counts the page's named taps (behaviors/tappable.ts), so every page does.
 */
import { getTracker } from '../services/analytics';
import { perfContext } from '../services/perf-collect';
import { SetDataMeter } from '../services/set-data-meter';
import { countTaps } from './tappable';
import { payloadBytes } from '../services/set-data-meter';

interface Measured {
  setDataMeter?: SetDataMeter;
  is?: string;
  route?: string;
  setData(data: Record<string, unknown>, cb?: () => void): void;
}

function report(self: Measured): void {
  const r = self.setDataMeter?.take(Date.now());
  if (!r) return;
  const page = (self.route ?? self.is ?? '').replace(/^\//, '');
  getTracker().track('set_data', {
    ...r,
    ...perfContext(),
    ...(/^[A-Za-z0-9_/-]{1,128}$/.test(page) ? { page } : {}),
  });
}

export const measured = Behavior({
  // Every page's tappable elements name their feature: their taps are counted (services/features.ts).
  definitionFilter: countTaps,
  lifetimes: {
    created(this: Measured) {
      const meter = new SetDataMeter();
      const original = this.setData;
      this.setDataMeter = meter;
      this.setData = function (this: Measured, data, cb) {
        meter.record(payloadBytes(data), Date.now());
        return original.call(this, data, cb);
      };
    },
    detached(this: Measured) {
      report(this);
    },
  },
  pageLifetimes: {
    hide(this: Measured) {
      report(this);
    },
  },
});
