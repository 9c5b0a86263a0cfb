/** Perf analysis: sketch codec and merging, the release regression test (its A/A rate and power), rollup cells, the report. */
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { StoredEvent } from '../../../server/engine/records';
import { compareQuantile, compareVersions } from '../../../server/engine/perf/regression';
import { buildReport } from '../../../server/engine/perf/report';
import { prefetchResults } from '../../../server/engine/perf/ab';
import {
  cellKey,
  foldEvents,
  mergeCells,
  routeMoves,
  type PerfCell,
} from '../../../server/engine/perf/rollup';
import { QuantileSketch, RELATIVE_ACCURACY } from '../../../server/engine/perf/sketch';

/** Seeded log-normal samples (Box–Muller over xoroshiro128+). */
function lognormal(seed: number) {
  const g = xoroshiro128plus(seed);
  const u = () => (unsafeUniformIntDistribution(0, 2 ** 30 - 1, g) + 0.5) / 2 ** 30;
  return (n: number, scale = 1, mu = 5, sd = 0.6): number[] =>
    Array.from(
      { length: n },
      () => scale * Math.exp(mu + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())),
    );
}

const exactQuantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))];
};

describe('QuantileSketch', () => {
  const draw = lognormal(1);

  it('answers quantiles within its relative accuracy', () => {
    const xs = draw(5_000);
    const s = QuantileSketch.of(xs);
    for (const q of [0.5, 0.9, 0.99])
      expect(Math.abs(s.quantile(q) / exactQuantile(xs, q) - 1)).toBeLessThanOrEqual(
        RELATIVE_ACCURACY + 1e-9,
      );
  });

  it('merges exactly: the merge of two sketches is the sketch of both samples, in any order', () => {
    const a = draw(1_000);
    const b = draw(700, 2);
    const whole = QuantileSketch.of([...a, ...b]);
    const ab = QuantileSketch.of(a).merge(QuantileSketch.of(b));
    const ba = QuantileSketch.of(b).merge(QuantileSketch.of(a));
    // Bins, counts, min and max are identical; the sum only up to floating-point order.
    const parts = (s: QuantileSketch) => {
      const { s: sum, ...rest } = JSON.parse(s.encode()) as { s: number };
      return { rest, sum };
    };
    for (const merged of [ab, ba]) {
      expect(parts(merged).rest).toEqual(parts(whole).rest);
      expect(parts(merged).sum).toBeCloseTo(parts(whole).sum, 6);
    }
    expect(ab.count).toBe(1_700);
  });

  it('round-trips through its stored form, zeros, sums and merging included', () => {
    const s = QuantileSketch.of([0, 0, 1.5, 12, 800, 30_000]);
    const back = QuantileSketch.decode(s.encode());
    expect(back.encode()).toBe(s.encode());
    expect(back.count).toBe(6);
    expect(back.sum).toBeCloseTo(30_813.5);
    for (const q of [0, 0.3, 0.5, 0.9, 1]) expect(back.quantile(q)).toBe(s.quantile(q));
    back.merge(QuantileSketch.of([5]));
    expect(back.count).toBe(7);
    expect(QuantileSketch.decode(QuantileSketch.empty().encode()).count).toBe(0);
    expect(() => QuantileSketch.decode('{"v":2}')).toThrow();
  });

  it('counts the measurements above a value (its bin excluded)', () => {
    const s = QuantileSketch.of([10, 20, 30, 40, 50]);
    expect(s.countAbove(25)).toBe(3);
    expect(s.countAbove(50)).toBe(0);
    expect(s.countAbove(0)).toBe(5);
  });
});

describe('compareQuantile (release regressions)', () => {
  it('flags A/A pairs no more often than its 1 % level (simulated: 1,000 pairs at each of three sizes)', () => {
    const draw = lognormal(7);
    const rates: number[] = [];
    let significant = 0;
    let flagged = 0;
    for (const n of [50, 200, 500]) {
      let here = 0;
      for (let r = 0; r < 1_000; r++) {
        const c = compareQuantile(QuantileSketch.of(draw(n)), QuantileSketch.of(draw(n)));
        if (c.significant) here++;
        if (c.flagged) flagged++;
      }
      rates.push(here / 1_000);
      significant += here;
    }
    // Fisher's test is conservative by construction: over all 3,000 pairs at most the level,
    // and at each size within two binomial standard errors of 1,000 pairs (0.0063) of it.
    expect(significant / 3_000).toBeLessThanOrEqual(0.01);
    for (const rate of rates) expect(rate).toBeLessThanOrEqual(0.01 + 0.0063);
    expect(flagged).toBeLessThanOrEqual(significant);
  }, 60_000);

  it('flags a 25 % slower p90 with 1,000 measurements a side, with the sample sizes', () => {
    const draw = lognormal(11);
    let flagged = 0;
    for (let r = 0; r < 50; r++) {
      const c = compareQuantile(
        QuantileSketch.of(draw(1_000)),
        QuantileSketch.of(draw(1_000, 1.25)),
      );
      if (c.flagged) flagged++;
      expect([c.baselineN, c.candidateN]).toEqual([1_000, 1_000]);
    }
    expect(flagged).toBeGreaterThanOrEqual(48);
  });

  it('does not flag a significant but small (5 %) slowdown, nor a faster release', () => {
    const draw = lognormal(13);
    const base = QuantileSketch.of(draw(20_000));
    const small = compareQuantile(base, QuantileSketch.of(draw(20_000, 1.05)));
    expect(small.significant).toBe(true);
    expect(small.flagged).toBe(false);
    const faster = compareQuantile(base, QuantileSketch.of(draw(2_000, 0.7)));
    expect(faster.flagged).toBe(false);
    expect(faster.pValue).toBeGreaterThan(0.5);
  });

  it('does not test below the minimum count', () => {
    const draw = lognormal(17);
    const c = compareQuantile(QuantileSketch.of(draw(10)), QuantileSketch.of(draw(10, 3)));
    expect(c).toMatchObject({ pValue: 1, flagged: false, baselineN: 10, candidateN: 10 });
  });

  it('orders release versions numerically, non-releases first', () => {
    expect(['1.10.0', 'develop', '1.9.2', '1.9'].sort(compareVersions)).toEqual([
      'develop',
      '1.9',
      '1.9.2',
      '1.10.0',
    ]);
  });
});

const ev = (
  type: StoredEvent['type'],
  props: StoredEvent['props'],
  over: Partial<StoredEvent> = {},
): StoredEvent => ({
  openid: 'u1',
  eventId: `e-${Math.random()}`,
  type,
  serverTime: 1,
  clientTime: 1,
  clockSkewed: false,
  sessionId: 's',
  page: 'pages/feed/index',
  props,
  ...over,
});

describe('perf rollups and the report', () => {
  const ctx = (v: string) => ({ appVersion: v, platform: 'ios', network: 'wifi' });

  it('folds perf, setData, call, error, tap and funnel events into cells that add up', () => {
    const events = [
      ev('page_perf', {
        metric: 'route',
        durationMs: 100,
        fromPage: 'pages/me/index',
        ...ctx('1.0.0'),
      }),
      ev('page_perf', { metric: 'route', durationMs: 300, ...ctx('1.0.0') }),
      ev('page_perf', { metric: 'firstRender', durationMs: 50 }), // an older client
      ev('set_data', {
        calls: 4,
        bytes: 4_000,
        maxBytes: 300_000,
        peakPerSecond: 3,
        windowMs: 5_000,
        ...ctx('1.0.0'),
      }),
      ev('set_data', {
        calls: 2,
        bytes: 100,
        maxBytes: 60,
        peakPerSecond: 25,
        windowMs: 5_000,
        ...ctx('1.0.0'),
      }),
      ev('api_call', { fn: 'recommend', durationMs: 200, ok: false, ...ctx('1.0.0') }),
      ev('app_error', { kind: 'error', ...ctx('1.0.0') }),
      ev('tap', { feature: 'feed.card', ...ctx('1.0.0') }),
      ev('tap', { feature: 'feed.card' }), // an older client: no release
      ev('impression', {}, { itemId: 'i1' }),
      ev('impression', {}, { itemId: 'i2' }),
      ev('click', {}, { itemId: 'i1' }),
      ev('like', {}, { itemId: 'i1', page: 'pages/detail/index' }),
      ev('click', {}, { adId: 'a1' }),
      // A client's own pay event proves nothing: the ad funnel's pay step counts verified orders only.
      ev('pay', { orderId: 'o1', amountFen: 100, merchantId: 'm1' }, { adId: 'a1' }),
    ];
    const cells = foldEvents(events);
    const get = (metric: string, version = '1.0.0') =>
      cells.find((c) => c.metric === metric && (c.version === version || c.version === '*'));
    expect(get('route')).toMatchObject({
      count: 2,
      sum: 400,
      page: 'pages/feed/index',
      platform: 'ios',
    });
    expect(get('firstRender', 'unknown')).toMatchObject({ count: 1, platform: 'unknown' });
    expect(get('setData.breach')?.count).toBe(2); // one too big, one too frequent
    expect(get('setData.bytesPerCall')).toMatchObject({ count: 6, sum: 4_100 });
    expect(get('callFail.recommend')?.count).toBe(1);
    expect(get('error.error')?.count).toBe(1);
    expect(get('tap.feed.card')).toMatchObject({ count: 1, version: '1.0.0', platform: 'ios' });
    expect(get('tap.feed.card', 'unknown')).toMatchObject({ count: 1, platform: 'unknown' });
    expect(get('funnel.feed.impression')?.count).toBe(2);
    expect(get('funnel.ad.landing')?.count).toBe(1);
    expect(get('funnel.ad.pay')).toBeUndefined();

    // Cells of two halves merge into the cells of the whole.
    const first = foldEvents(events.slice(0, 7));
    const second = foldEvents(events.slice(7).concat(events.slice(0, 2)));
    const merged = new Map(first.map((c) => [cellKey(c), c]));
    for (const c of second) {
      const had = merged.get(cellKey(c));
      merged.set(cellKey(c), had ? mergeCells(had, c) : c);
    }
    const whole = foldEvents([...events, ...events.slice(0, 2)]);
    expect(new Map(whole.map((c) => [cellKey(c), c]))).toEqual(merged);

    const report = buildReport(cells);
    const feed = report.pages.find((p) => p.version === '1.0.0' && p.page === 'pages/feed/index');
    expect(feed).toMatchObject({
      views: 2,
      errors: 1,
      errorRate: 0.5,
      setDataBreaches: 2,
      setDataReports: 2,
    });
    expect(feed?.timings.route).toMatchObject({ n: 2 });
    // Per page × version × platform (non-releases first): the older client's tap has no views of
    // its own (its page_perf named no release either, and was no route); the 1.0.0 iOS tap is over
    // that row's 2 views.
    expect(report.features).toEqual([
      {
        feature: 'feed.card',
        page: 'pages/feed/index',
        version: 'unknown',
        platform: 'unknown',
        taps: 1,
        rate: null,
      },
      {
        feature: 'feed.card',
        page: 'pages/feed/index',
        version: '1.0.0',
        platform: 'ios',
        taps: 1,
        rate: 0.5,
      },
    ]);
    // Taps rolled up before they carried a release (version '*') are over all the page's views.
    const legacy = cells.map((c) =>
      c.metric.startsWith('tap.') && c.version === 'unknown'
        ? { ...c, version: '*', platform: '*' }
        : c,
    );
    expect(buildReport(legacy).features.find((f) => f.version === '*')?.rate).toBe(0.5);
    // Sampled at their own rates (TRACK_SAMPLING), taps and views are each scaled back up: 1 tap
    // kept of 1 in 4 over 2 views kept of 1 in 2 is 4 taps over 4 views.
    const rateOf = (r: ReturnType<typeof buildReport>) =>
      r.features.find((f) => f.version === '1.0.0')?.rate;
    expect(rateOf(buildReport(cells, { sampling: { tap: 0.25, page_perf: 0.5 } }))).toBe(1);
    expect(rateOf(buildReport(cells, { sampling: { tap: 0 } }))).toBeNull();
    expect(report.funnels[0].steps.slice(0, 3)).toEqual([
      { step: 'feed.impression', count: 2, conversion: null },
      { step: 'feed.open', count: 1, conversion: 0.5 },
      { step: 'detail.like', count: 1, conversion: 1 },
    ]);
  });

  it("reports each release's p90 against the previous release's and flags only the regression", () => {
    const draw = lognormal(23);
    const events: StoredEvent[] = [];
    const add = (v: string, n: number, scale: number, page = 'pages/detail/index') => {
      for (const d of draw(n, scale))
        events.push(ev('page_perf', { metric: 'firstRender', durationMs: d, ...ctx(v) }, { page }));
    };
    add('1.0.0', 800, 1);
    add('1.1.0', 800, 1);
    add('1.2.0', 800, 1.4);
    add('develop', 800, 3); // not a release: never compared
    add('1.2.0', 10, 5, 'pages/me/index'); // too few to test
    const report = buildReport(foldEvents(events));
    expect(report.versions).toEqual(['develop', '1.0.0', '1.1.0', '1.2.0']);
    expect(report.regressions.map((r) => [r.baselineVersion, r.version, r.flagged])).toEqual([
      ['1.1.0', '1.2.0', true],
      ['1.0.0', '1.1.0', false],
    ]);
    expect(report.regressions[0]).toMatchObject({ baselineN: 800, n: 800 });
    expect(report.regressions[0].ratio).toBeGreaterThan(1.2);
    expect(report.quantiles.filter((q) => q.page === 'pages/detail/index')).toHaveLength(4);
  });
});

describe('prefetch A/B cells', () => {
  it("fold each time to content and prefetch report under the user's variant, and sum per open", () => {
    const variantOf = (openid: string) => [
      { experimentId: 'x1', variant: openid === 'u1' ? 'off' : 'learned' },
    ];
    const ttc = (openid: string, durationMs: number) =>
      ev(
        'page_perf',
        { metric: 'timeToContent', durationMs },
        { openid, page: 'pages/detail/index' },
      );
    const report = (openid: string, calls: number, bytes: number, hits: number) =>
      ev('prefetch', { calls, bytes, hits }, { openid });
    const events = [
      ttc('u1', 300),
      ttc('u1', 340),
      ttc('u2', 5),
      ttc('u2', 310),
      report('u2', 6, 30_000, 1),
      report('u2', 2, 10_000, 0),
    ];
    // Cells from two batches add up to the cells of one.
    const whole = foldEvents(events, variantOf);
    const halves = [
      ...foldEvents(events.slice(0, 3), variantOf),
      ...foldEvents(events.slice(3), variantOf),
    ];
    const merged = new Map<string, PerfCell>();
    for (const c of halves) {
      const k = cellKey(c);
      const was = merged.get(k);
      merged.set(k, was ? mergeCells(was, c) : c);
    }
    const [off, learned] = prefetchResults([...merged.values()], 'x1', ['off', 'learned']);
    expect(prefetchResults(whole, 'x1', ['off', 'learned'])).toEqual([off, learned]);
    expect(off).toMatchObject({ opens: 2, calls: 0, reports: 0, callsPerOpen: 0, hitRate: 0 });
    expect(learned).toMatchObject({
      opens: 2,
      reports: 2,
      calls: 8,
      bytes: 40_000,
      hits: 1,
      callsPerOpen: 4,
      bytesPerOpen: 20_000,
      hitRate: 0.5,
    });
    expect(off.timeToContent?.n).toBe(2);
    // With prefetch reports kept at 1 in 2 and detail opens at 1 in 4, each is scaled back up.
    const [, sampled] = prefetchResults(whole, 'x1', ['off', 'learned'], {
      prefetch: 0.5,
      page_perf: 0.25,
    });
    expect(sampled).toMatchObject({
      calls: 8,
      callsPerOpen: 2,
      bytesPerOpen: 10_000,
      hitRate: 0.25,
    });
    // Without experiments nothing is attributed, and the page report never shows A/B cells.
    expect(prefetchResults(foldEvents(events), 'x1', ['off'])[0].opens).toBe(0);
    expect(buildReport(whole).pages.map((p) => p.page)).toEqual(['pages/detail/index']);
    expect(prefetchResults(whole, 'other', ['off'])[0]).toMatchObject({
      opens: 0,
      timeToContent: null,
      hitRate: null,
    });
  });
});

describe('route moves', () => {
  it('count each route entry as a move from its fromPage, for the transition model', () => {
    const route = (page: string, fromPage?: string) =>
      ev(
        'page_perf',
        { metric: 'route', durationMs: 80, ...(fromPage ? { fromPage } : {}) },
        { page },
      );
    const cells = foldEvents([
      route('pages/detail/index', 'pages/feed/index'),
      route('pages/detail/index', 'pages/feed/index'),
      route('merchant/pages/home/index', 'pages/me/index'),
      route('pages/feed/index'), // a launch: no move
      route('pages/feed/index', 'pages/feed/index'), // not a move
    ]);
    expect(routeMoves(cells).sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { from: 'pages/me/index', to: 'merchant/pages/home/index', count: 1 },
      { from: 'pages/feed/index', to: 'pages/detail/index', count: 2 },
    ]);
    // They stay out of the page report's rows and views.
    expect(buildReport(cells).pages.find((p) => p.page === 'pages/detail/index')?.views).toBe(2);
  });
});
