/** Funnels per version × platform: sessions' contexts (bounded, TTL, codec), attribution of funnel steps and paid orders, and the conversion regression test (A/A rate, power). */
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { StoredEvent } from '../../../server/engine/records';
import { compareConversion } from '../../../server/engine/perf/conversion';
import { buildReport } from '../../../server/engine/perf/report';
import { foldEvents, paidOrdersCells, PerfFolder } from '../../../server/engine/perf/rollup';
import { clickKey, SessionContexts } from '../../../server/engine/perf/sessions';

let n = 0;
const ev = (
  type: StoredEvent['type'],
  sessionId: string,
  props: StoredEvent['props'] = {},
  over: Partial<StoredEvent> = {},
): StoredEvent => ({
  openid: 'u1',
  eventId: `e-${++n}`,
  type,
  serverTime: 1_000,
  clientTime: 1_000,
  clockSkewed: false,
  sessionId,
  page: 'pages/feed/index',
  props,
  ...over,
});
const perf = (sessionId: string, appVersion: string, platform: string) =>
  ev('page_perf', sessionId, { metric: 'route', durationMs: 100, appVersion, platform });
const funnelCells = (cells: ReturnType<typeof foldEvents>) =>
  cells
    .filter((c) => c.metric.startsWith('funnel.'))
    .map((c) => `${c.metric} ${c.version}/${c.platform} ${c.count}`)
    .sort();

describe('funnel steps by their session', () => {
  it("count for the version and platform the session's perf events named, unknown without one", () => {
    const cells = foldEvents([
      // The session's impression comes before its perf event in the log: still attributed.
      ev('impression', 'a', {}, { itemId: 'i1' }),
      perf('a', '1.2.0', 'ios'),
      ev('click', 'a', {}, { itemId: 'i1' }),
      ev('tap', 'b', { feature: 'feed.card', appVersion: '1.3.0', platform: 'android' }),
      ev('impression', 'b', {}, { itemId: 'i2' }),
      ev('impression', 'c', {}, { itemId: 'i3' }), // no event of c names a release
      ev('impression', 'b', {}, { adId: 'camp-1', slateId: 'sl', position: 1 }),
    ]);
    expect(funnelCells(cells)).toEqual([
      'funnel.ad.impression 1.3.0/android 1',
      'funnel.feed.impression 1.2.0/ios 1',
      'funnel.feed.impression 1.3.0/android 1',
      'funnel.feed.impression unknown/unknown 1',
      'funnel.feed.open 1.2.0/ios 1',
    ]);
  });

  it('keep a session learned in an earlier batch (the step state) and attribute a paid order by its click', () => {
    const sessions = new SessionContexts();
    const first = new PerfFolder(undefined, sessions);
    first.add(perf('a', '1.2.0', 'ios'));
    first.cells();
    // The next round reads the state back from its stored form.
    const restored = SessionContexts.decode(sessions.encode());
    const second = new PerfFolder(undefined, restored);
    second.add(ev('click', 'a', {}, { adId: 'camp-1', slateId: 'sl', position: 2 }));
    expect(funnelCells(second.cells())).toEqual(['funnel.ad.landing 1.2.0/ios 1']);
    const orders = [
      { attribution: { campaignId: 'camp-1', slateId: 'sl', position: 2 } },
      { attribution: { campaignId: 'camp-1', slateId: 'sl', position: 2 } },
      { attribution: { campaignId: 'camp-1' } }, // names no click
      { attribution: { campaignId: 'camp-1', slateId: 'other', position: 0 } }, // click not seen
    ];
    expect(funnelCells(paidOrdersCells(orders, restored))).toEqual([
      'funnel.ad.pay 1.2.0/ios 2',
      'funnel.ad.pay unknown/unknown 2',
    ]);
  });

  it("keep a session's first context, forget it after its time to live, and stay within their bounds", () => {
    const s = new SessionContexts({
      sessionTtlMs: 100,
      clickTtlMs: 500,
      maxSessions: 3,
      maxClicks: 2,
    });
    s.learn('a', { version: '1.0.0', platform: 'ios' }, 0);
    s.learn('a', { version: '9.9.9', platform: 'x' }, 50); // same launch: the first one stays
    expect(s.of('a')).toEqual({ version: '1.0.0', platform: 'ios' });
    s.learn('b', { version: '1.0.0', platform: 'ios' }, 10);
    s.prune(140); // b last seen at 10: gone; a at 50: kept
    expect([s.of('a'), s.of('b')]).toEqual([{ version: '1.0.0', platform: 'ios' }, undefined]);
    for (const [i, id] of ['c', 'd', 'e', 'f'].entries())
      s.learn(id, { version: '1.1.0', platform: 'ios' }, 60 + i);
    for (const [i, k] of ['x', 'y', 'z'].entries())
      s.noteClick(clickKey(k, 0), { version: '1.1.0', platform: 'ios' }, 60 + i);
    s.prune(100);
    expect(s.size).toEqual({ sessions: 3, clicks: 2 });
    expect([s.of('a'), s.of('c'), s.of('f')]).toEqual([
      undefined,
      undefined,
      { version: '1.1.0', platform: 'ios' },
    ]);
    expect(s.click(clickKey('x', 0))).toBeUndefined();
    const back = SessionContexts.decode(s.encode(), s.bounds);
    expect(back.size).toEqual(s.size);
    expect(back.click(clickKey('z', 0))).toEqual({ version: '1.1.0', platform: 'ios' });
    // A state this code did not write is an empty one, not an error.
    expect(SessionContexts.decode(new TextEncoder().encode('{"v":7}')).size).toEqual({
      sessions: 0,
      clicks: 0,
    });
    expect(SessionContexts.decode(new TextEncoder().encode('not json')).size.sessions).toBe(0);
  });
});

/** Seeded Bernoulli draws over xoroshiro128+. */
function binomial(seed: number) {
  const g = xoroshiro128plus(seed);
  return (trials: number, p: number): number => {
    let x = 0;
    for (let i = 0; i < trials; i++)
      if (unsafeUniformIntDistribution(0, 2 ** 30 - 1, g) < p * 2 ** 30) x++;
    return x;
  };
}

describe('compareConversion (a funnel step between releases)', () => {
  it('flags A/A pairs no more often than its 1 % level (simulated: 3,000 pairs at three sizes and rates)', () => {
    const draw = binomial(5);
    let flagged = 0;
    let pairs = 0;
    for (const size of [50, 300, 2_000])
      for (const p of [0.05, 0.3, 0.6])
        for (let i = 0; i < 334; i++) {
          const c = compareConversion({ x: draw(size, p), n: size }, { x: draw(size, p), n: size });
          pairs++;
          if (c.flagged) flagged++;
        }
    expect(pairs).toBeGreaterThanOrEqual(3_000);
    expect(flagged / pairs).toBeLessThanOrEqual(0.01);
  });

  it('flags a drop from 30 % to 24 % with 2,000 trials a side in at least 48 of 50 runs', () => {
    const draw = binomial(11);
    let flagged = 0;
    for (let i = 0; i < 50; i++) {
      const c = compareConversion(
        { x: draw(2_000, 0.3), n: 2_000 },
        { x: draw(2_000, 0.24), n: 2_000 },
      );
      if (c.flagged) flagged++;
    }
    expect(flagged).toBeGreaterThanOrEqual(48);
  });

  it('never flags a rise, below the minimum trials, or counts that are not a proportion', () => {
    expect(compareConversion({ x: 240, n: 1_000 }, { x: 300, n: 1_000 }).flagged).toBe(false);
    expect(compareConversion({ x: 20, n: 29 }, { x: 1, n: 29 })).toMatchObject({ tested: false });
    expect(compareConversion({ x: 50, n: 40 }, { x: 1, n: 40 })).toMatchObject({ tested: false });
    const big = compareConversion({ x: 300, n: 1_000 }, { x: 200, n: 1_000 });
    expect(big).toMatchObject({ tested: true, flagged: true, baseline: 0.3, candidate: 0.2 });
    expect(big.pValue).toBeLessThan(1e-6);
  });
});

describe('the report: funnels per version × platform and their release regressions', () => {
  it('shows each version per platform and over platforms, and flags the release whose open rate fell', () => {
    const events: StoredEvent[] = [];
    // 1.2.0: 100 sessions, 40 % open; 1.3.0: 100 sessions, 10 % open (half ios, half android).
    for (const [v, opens] of [
      ['1.2.0', 40],
      ['1.3.0', 10],
    ] as const)
      for (let i = 0; i < 100; i++) {
        const sid = `${v}-${i}`;
        events.push(perf(sid, v, i % 2 ? 'ios' : 'android'));
        events.push(ev('impression', sid, {}, { itemId: 'i1' }));
        if (i < opens) events.push(ev('click', sid, {}, { itemId: 'i1' }));
      }
    events.push(ev('impression', 'lost', {}, { itemId: 'i1' })); // a session with no release
    const cells = foldEvents(events);
    // Cells rolled up before funnels had a version are kept under `*`.
    cells.push({
      page: '*',
      version: '*',
      platform: '*',
      metric: 'funnel.feed.impression',
      count: 5,
      sum: 5,
      sketch: null,
    });
    const r = buildReport(cells);
    const content = (version: string, platform: string) =>
      r.funnelsByVersion.find(
        (f) => f.name === 'content' && f.version === version && f.platform === platform,
      )?.steps;
    expect(r.funnels[0].steps[0]).toEqual({
      step: 'feed.impression',
      count: 206,
      conversion: null,
    });
    expect(content('1.2.0', '*')?.slice(0, 2)).toEqual([
      { step: 'feed.impression', count: 100, conversion: null },
      { step: 'feed.open', count: 40, conversion: 0.4 },
    ]);
    expect(content('1.3.0', 'ios')?.[1]).toEqual({ step: 'feed.open', count: 5, conversion: 0.1 });
    expect(content('unknown', 'unknown')?.[0].count).toBe(1);
    expect(content('*', '*')?.[0].count).toBe(5);
    // Non-releases first, releases oldest first, each version's all-platform row before its platforms.
    expect([...new Set(r.funnelsByVersion.map((f) => `${f.version}/${f.platform}`))]).toEqual([
      '*/*',
      'unknown/*',
      'unknown/unknown',
      '1.2.0/*',
      '1.2.0/android',
      '1.2.0/ios',
      '1.3.0/*',
      '1.3.0/android',
      '1.3.0/ios',
    ]);
    const open = r.funnelRegressions.find((x) => x.step === 'feed.open');
    expect(open).toMatchObject({
      funnel: 'content',
      baselineVersion: '1.2.0',
      version: '1.3.0',
      baselineN: 100,
      n: 100,
      baselineConversion: 0.4,
      conversion: 0.1,
      flagged: true,
    });
    expect(open!.pValue).toBeLessThan(0.01);
    // Steps with too few trials (no likes follow 10 opens) are not compared.
    expect(r.funnelRegressions.map((x) => x.step)).toEqual(['feed.open']);
    expect(r.funnelTest).toEqual({ alpha: 0.01, minCount: 30 });
  });
});
