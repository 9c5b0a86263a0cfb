/** Viewable impressions: ≥ 50 % visible for ≥ 1 s, once per (slate, position), through a fake intersection observer. */
import {
  observeExposure,
  type ExposureTarget,
  type ObserverHost,
} from '../../../miniprogram/services/exposure';

type Callback = WechatMiniprogram.IntersectionObserverObserveCallback;

/** A page whose observers the test drives by hand, as the renderer would while the user scrolls. */
function fakeHost() {
  const observers: Array<{
    options: WechatMiniprogram.CreateIntersectionObserverOption;
    selector?: string;
    callback?: Callback;
    viewport: boolean;
    connected: boolean;
  }> = [];
  const host: ObserverHost = {
    createIntersectionObserver(options) {
      const o = { options, viewport: false, connected: true } as (typeof observers)[number];
      observers.push(o);
      const api = {
        relativeToViewport: () => ((o.viewport = true), api),
        relativeTo: () => api,
        observe: (selector: string, callback: Callback) => Object.assign(o, { selector, callback }),
        disconnect: () => {
          o.connected = false;
        },
      };
      return api as unknown as WechatMiniprogram.IntersectionObserver;
    },
  };
  /** Reports a card's visible ratio to the live observer. */
  const show = (ratio: number, dataset: Record<string, unknown>) => {
    const live = observers.filter((o) => o.connected);
    expect(live).toHaveLength(1);
    live[0].callback?.({
      intersectionRatio: ratio,
      dataset,
      id: '',
      time: Date.now(),
    } as unknown as WechatMiniprogram.IntersectionObserverObserveCallbackResult);
  };
  return { host, observers, show };
}

const card = (position: number, slateId = 's1', extra: Record<string, unknown> = {}) => ({
  slateId,
  position,
  itemId: `i${position}`,
  ...extra,
});

function setup() {
  const page = fakeHost();
  const seen: ExposureTarget[] = [];
  const handle = observeExposure(page.host, '.feed-card', (t) => seen.push(t));
  return { ...page, seen, handle };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('observes every matching card against the viewport at 0, 50 % and 100 %', () => {
  const { observers } = setup();
  expect(observers).toEqual([
    expect.objectContaining({
      options: { thresholds: [0, 0.5, 1], observeAll: true },
      selector: '.feed-card',
      viewport: true,
    }),
  ]);
});

test('a card at ≥ 50 % for 1 s is viewable, with its slate, position and item', () => {
  const { show, seen } = setup();
  show(0.5, card(3, 's1', { adId: 'a9' }));
  jest.advanceTimersByTime(999);
  expect(seen).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(seen).toEqual([{ slateId: 's1', position: 3, itemId: 'i3', adId: 'a9' }]);
});

test('dropping below 50 % before 1 s cancels; the next visible span starts the clock again', () => {
  const { show, seen } = setup();
  show(0.6, card(0));
  jest.advanceTimersByTime(900);
  show(0.3, card(0));
  jest.advanceTimersByTime(5000);
  expect(seen).toEqual([]);
  show(1, card(0));
  jest.advanceTimersByTime(999);
  expect(seen).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(seen).toHaveLength(1);
});

test('less than 50 % never counts, however long it stays', () => {
  const { show, seen } = setup();
  show(0.49, card(0));
  jest.advanceTimersByTime(60_000);
  expect(seen).toEqual([]);
});

test('growing from 50 % to 100 % keeps the first start time', () => {
  const { show, seen } = setup();
  show(0.5, card(0));
  jest.advanceTimersByTime(600);
  show(1, card(0));
  jest.advanceTimersByTime(400);
  expect(seen).toHaveLength(1);
  jest.advanceTimersByTime(5000);
  expect(seen).toHaveLength(1);
});

test('counted once per slate position: scrolling back does not count again, a new slate does', () => {
  const { show, seen, handle } = setup();
  for (let round = 0; round < 3; round++) {
    show(1, card(0));
    jest.advanceTimersByTime(1000);
    show(0, card(0));
  }
  handle.refresh();
  show(1, card(0));
  jest.advanceTimersByTime(1000);
  show(1, card(0, 's2'));
  jest.advanceTimersByTime(1000);
  expect(seen.map((t) => `${t.slateId}#${t.position}`)).toEqual(['s1#0', 's2#0']);
});

test('cards without a slate id or position are ignored', () => {
  const { show, seen } = setup();
  show(1, { itemId: 'x', position: 1 });
  show(1, { slateId: 's1', itemId: 'y' });
  show(1, { slateId: 's1', position: -1 });
  jest.advanceTimersByTime(2000);
  expect(seen).toEqual([]);
});

test('a position from a string attribute (data-position="2") is read as a number', () => {
  const { show, seen } = setup();
  show(1, { slateId: 's1', position: '2', itemId: 'i2' });
  jest.advanceTimersByTime(1000);
  expect(seen).toEqual([{ slateId: 's1', position: 2, itemId: 'i2' }]);
});

test('disconnect stops the observer and cancels pending timers; refresh observes anew', () => {
  const { show, seen, handle, observers } = setup();
  show(1, card(0));
  jest.advanceTimersByTime(500);
  handle.disconnect();
  expect(observers[0].connected).toBe(false);
  jest.advanceTimersByTime(5000);
  expect(seen).toEqual([]);
  handle.refresh();
  expect(observers).toHaveLength(2);
  show(1, card(0));
  jest.advanceTimersByTime(1000);
  expect(seen).toHaveLength(1);
});

test('an error in the callback is reported, not thrown into the timer', () => {
  const page = fakeHost();
  const onError = jest.fn();
  observeExposure(
    page.host,
    '.c',
    () => {
      throw new Error('boom');
    },
    { onError },
  );
  page.show(1, card(0));
  expect(() => jest.advanceTimersByTime(1000)).not.toThrow();
  expect(onError).toHaveBeenCalledTimes(1);
});
