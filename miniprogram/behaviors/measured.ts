/**
 * The thin setData wrapper every page uses (through `loadable`, or directly): each call is
 * measured (services/set-data-meter.ts) before it goes to the view, and what was measured is
 * sent as one set_data event when the page hides or closes (sampled and consented like every
 * event). The meter is the instance's `setDataMeter`, which the experience-score tests read.
 * It also counts the page's named taps (behaviors/tappable.ts), so every page does.
 * `measuredPart` is the same wrapper for a component that calls setData (我的's sections, the
 * feed's place bar): its calls count in its page's meter, as the experience score counts every
 * setData of the page, components' included.
 */
import { getTracker } from '../services/analytics';
import { perfContext } from '../services/perf-collect';
import { SetDataMeter } from '../services/set-data-meter';
import { countTaps } from './tappable';
import { payloadBytes } from '../services/set-data-meter';

interface Measured {
  setDataMeter?: SetDataMeter;
  selectOwnerComponent?(): unknown;
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

/** How far up the owners a component's setData looks for its page's meter (a section in a section). */
const MAX_OWNERS = 4;

/** The meter of the nearest measured owner (the page), looked up at each call: owners attach later. */
function ownerMeter(self: Measured): SetDataMeter | undefined {
  let owner = self.selectOwnerComponent?.() as Measured | null | undefined;
  for (let i = 0; owner && i < MAX_OWNERS; i++) {
    if (owner.setDataMeter) return owner.setDataMeter;
    owner = owner.selectOwnerComponent?.() as Measured | null | undefined;
  }
  return undefined;
}

export const measuredPart = Behavior({
  // Like `measured`: the component's named taps are counted too.
  definitionFilter: countTaps,
  lifetimes: {
    created(this: Measured) {
      const original = this.setData;
      this.setData = function (this: Measured, data, cb) {
        ownerMeter(this)?.record(payloadBytes(data), Date.now());
        return original.call(this, data, cb);
      };
    },
  },
});
