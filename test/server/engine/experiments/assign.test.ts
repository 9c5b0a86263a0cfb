/** Assignment: deterministic and sticky, weights honoured, layers mutually exclusive, ranges allocated disjointly. */
import {
  allocateRange,
  assign,
  layerBucket,
  overridesOf,
  slateVariant,
  variantAt,
  variantBucket,
  variantsAt,
} from '../../../../server/engine/experiments/assign';
import type { Experiment } from '../../../../server/engine/experiments/definition';
import { hashToken } from '../../../../server/engine/features/hash';

const exp = (id: string, over: Partial<Experiment> = {}): Experiment => ({
  id,
  merchantId: null,
  name: id,
  parameter: 'feed.diversity',
  buckets: 10_000,
  range: [0, 10_000],
  variants: [
    { name: 'control', weight: 1, value: 0.08 },
    { name: 'strong', weight: 1, value: 0.3 },
  ],
  targetMetric: 'ctr',
  guardrails: [],
  status: 'running',
  salt: `salt-${id}`,
  createdAt: 0,
  startedAt: 0,
  stoppedAt: null,
  version: 1,
  ...over,
});
const users = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

describe('experiment assignment', () => {
  it('hashes (openid, salt) with the engine hash into 10,000 buckets, the same every time', () => {
    expect(variantBucket('u1', 's')).toBe(hashToken('u1|s') % 10_000);
    expect(layerBucket('u1', 'ads.slots')).toBe(hashToken('u1|layer:ads.slots') % 10_000);
    const e = exp('e1');
    expect(assign('u1', [e])).toEqual(assign('u1', [{ ...e }]));
  });

  it('splits traffic by weight (1:3 within ±2 %), and another salt reshuffles users', () => {
    const e = exp('e1', {
      variants: [
        { name: 'a', weight: 1, value: 0 },
        { name: 'b', weight: 3, value: 1 },
      ],
    });
    const a = users.filter((u) => assign(u, [e])[0].variant === 'a');
    expect(a.length / users.length).toBeGreaterThan(0.23);
    expect(a.length / users.length).toBeLessThan(0.27);
    const other = users.filter((u) => assign(u, [{ ...e, salt: 'other' }])[0].variant === 'a');
    const both = a.filter((u) => other.includes(u)).length;
    // Independent salts: about a quarter of a quarter overlap, far from all of them.
    expect(both / a.length).toBeLessThan(0.35);
  });

  it('maps buckets to variants by cumulative weight', () => {
    const vs = [
      { name: 'a', weight: 1, value: 0 },
      { name: 'b', weight: 1, value: 0 },
      { name: 'c', weight: 2, value: 0 },
    ];
    expect([0, 2499, 2500, 4999, 5000, 9999].map((b) => variantAt(vs, b).name)).toEqual([
      'a',
      'a',
      'b',
      'b',
      'c',
      'c',
    ]);
  });

  it('puts a user in at most one experiment per layer, and layers cross independently', () => {
    const x = exp('x', { range: [0, 3000] });
    const y = exp('y', { range: [3000, 10_000] });
    const slots = exp('s', {
      parameter: 'ads.slots',
      range: [0, 5000],
      variants: [
        { name: 'c', weight: 1, value: [3, 10] },
        { name: 't', weight: 1, value: [2, 6, 12] },
      ],
    });
    let inX = 0;
    let inSlots = 0;
    for (const u of users.slice(0, 5000)) {
      const as = assign(u, [x, y, slots]);
      const diversity = as.filter((a) => a.parameter === 'feed.diversity');
      expect(diversity).toHaveLength(1);
      if (diversity[0].experimentId === 'x') inX++;
      if (as.some((a) => a.parameter === 'ads.slots')) inSlots++;
    }
    expect(inX / 5000).toBeGreaterThan(0.27);
    expect(inX / 5000).toBeLessThan(0.33);
    expect(inSlots / 5000).toBeGreaterThan(0.47);
    expect(inSlots / 5000).toBeLessThan(0.53);
  });

  it('makes each campaign of a creative test its own layer, and marks its assignments with the campaign and owner', () => {
    const creative = (title: string) => ({
      title,
      description: '',
      image: '',
      landing: { kind: 'page' as const, path: 'pages/feed/index' },
    });
    const variants = [
      { name: 'control', weight: 1, value: creative('a') },
      { name: 'b', weight: 1, value: creative('b') },
    ];
    const c1 = exp('c1', {
      parameter: 'ad.creative',
      campaignId: 'camp-1',
      merchantId: 'm1',
      variants,
    });
    const c2 = exp('c2', {
      parameter: 'ad.creative',
      campaignId: 'camp-2',
      merchantId: 'm1',
      variants,
    });
    const feed = exp('f');
    // Two tests on different campaigns both take all of their layer's traffic: everyone is in both (and in the feed test).
    for (const u of users.slice(0, 200)) {
      const as = assign(u, [c1, c2, feed]);
      expect(as.map((a) => a.experimentId)).toEqual(['c1', 'c2', 'f']);
      expect(as[0]).toMatchObject({
        campaignId: 'camp-1',
        merchantId: 'm1',
        value: variants.find((v) => v.name === as[0].variant)!.value,
      });
      expect(as[2].campaignId).toBeUndefined();
    }
    expect(layerBucket('u1', 'ad.creative:camp-1')).toBe(
      hashToken('u1|layer:ad.creative:camp-1') % 10_000,
    );
    // Two tests on one campaign share its layer: a user is in at most one.
    const half = exp('h', {
      parameter: 'ad.creative',
      campaignId: 'camp-1',
      merchantId: 'm1',
      variants,
      range: [0, 5000],
    });
    const rest = exp('r', {
      parameter: 'ad.creative',
      campaignId: 'camp-1',
      merchantId: 'm1',
      variants,
      range: [5000, 10_000],
    });
    const counts = { h: 0, r: 0 };
    for (const u of users.slice(0, 2000)) {
      const as = assign(u, [half, rest]);
      expect(as).toHaveLength(1);
      counts[as[0].experimentId as 'h' | 'r']++;
    }
    expect(counts.h).toBeGreaterThan(900);
    expect(counts.r).toBeGreaterThan(900);
    // Overrides ignore creatives (they change no feed parameter).
    expect(overridesOf(assign('u1', [c1]))).toEqual({});
  });

  it('ignores experiments that are not running', () => {
    expect(assign('u1', [exp('d', { status: 'draft' }), exp('s', { status: 'stopped' })])).toEqual(
      [],
    );
  });

  it('turns assignments into overrides and the slate label', () => {
    const as = assign('u7', [
      exp('div'),
      exp('slots', {
        parameter: 'ads.slots',
        variants: [{ name: 'only', weight: 1, value: [1, 5] }],
      }),
    ]);
    const o = overridesOf(as);
    expect([0.08, 0.3]).toContain(o.diversityPenalty);
    expect(o.adSlots).toEqual([1, 5]);
    expect(o.exploreEpsilon).toBeUndefined();
    expect(slateVariant(as)).toMatch(/^div:(control|strong),slots:only$/);
    expect(slateVariant([])).toBeNull();
  });

  it('allocates the lowest free gap, or none when the layer is full', () => {
    expect(allocateRange([], 2000)).toEqual([0, 2000]);
    expect(
      allocateRange(
        [
          [0, 2000],
          [5000, 6000],
        ],
        3000,
      ),
    ).toEqual([2000, 5000]);
    expect(
      allocateRange(
        [
          [0, 2000],
          [5000, 6000],
        ],
        3001,
      ),
    ).toEqual([6000, 9001]);
    expect(allocateRange([[0, 9000]], 1001)).toBeNull();
  });
});

describe('variantsAt (the perf step attributes perf events to a prefetch variant)', () => {
  const prefetch = exp('p', {
    parameter: 'feed.prefetch',
    range: [0, 5_000],
    startedAt: 100,
    variants: [
      { name: 'off', weight: 1, value: 'off' },
      { name: 'learned', weight: 1, value: 'learned' },
    ],
  });

  it('replays assign() for users in the range while the experiment runs', () => {
    for (const u of users.slice(0, 2_000)) {
      const served = assign(u, [prefetch]).map((a) => ({
        experimentId: a.experimentId,
        variant: a.variant,
      }));
      expect(variantsAt(u, [prefetch], 'feed.prefetch', 150)).toEqual(served);
    }
  });

  it('attributes nothing before the start, after the stop, without a range or for another parameter', () => {
    const inRange = users.find((u) => assign(u, [prefetch]).length === 1)!;
    expect(variantsAt(inRange, [prefetch], 'feed.prefetch', 150)).toHaveLength(1);
    expect(variantsAt(inRange, [prefetch], 'feed.prefetch', 99)).toEqual([]);
    const stopped = { ...prefetch, stoppedAt: 200 };
    expect(variantsAt(inRange, [stopped], 'feed.prefetch', 199)).toHaveLength(1);
    expect(variantsAt(inRange, [stopped], 'feed.prefetch', 200)).toEqual([]);
    // Stopped, its range given back: what happened before the stop is attributed from the range
    // it held; a stop from before heldRange existed attributes nothing.
    const released = { ...prefetch, status: 'stopped' as const, range: null, stoppedAt: 200 };
    expect(
      variantsAt(inRange, [{ ...released, heldRange: prefetch.range }], 'feed.prefetch', 199),
    ).toEqual(variantsAt(inRange, [prefetch], 'feed.prefetch', 199));
    expect(
      variantsAt(inRange, [{ ...released, heldRange: prefetch.range }], 'feed.prefetch', 200),
    ).toEqual([]);
    expect(variantsAt(inRange, [released], 'feed.prefetch', 199)).toEqual([]);
    expect(variantsAt(inRange, [{ ...prefetch, range: null }], 'feed.prefetch', 150)).toEqual([]);
    expect(variantsAt(inRange, [prefetch], 'feed.diversity', 150)).toEqual([]);
  });
});
