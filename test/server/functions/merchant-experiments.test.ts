/**
 * Experiments through the `merchant` function on both adapters: who may do what (the
 * authorisation matrix of the experiment actions), bad definitions, the lifecycle with layer
 * ranges, results computed from logged slates and events (pinned against scipy), and
 * `recommend` logging each user's variant.
 */
import type { Experiment, ExperimentInput, MerchantRequest } from '../../../typings';
import { assign, slateVariant } from '../../../server/engine/experiments/assign';
import recommend from '../../../server/functions/recommend';
import { feedParams } from '../../../server/serving/feed';
import { experimentResults } from '../../../server/merchant/experiment-results';
import { runTraining } from '../../../server/learning/training-run';
import { DEFAULT_FEED_PARAMS } from '../../../server/engine/ranking/pipeline';
import { ERASED_USER } from '../../../server/ports/personal-data';
import { toHandler } from '../../../server/runtime/function';
import { makeEvent, makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import {
  ADMIN,
  CALLERS,
  NOW,
  OWNER_A,
  STAFF_A,
  useMerchantWorld,
  type Outcome,
} from '../../helpers/merchant-world';

const input = (over: Partial<ExperimentInput> = {}): ExperimentInput => ({
  name: '多样性加强',
  parameter: 'feed.diversity',
  trafficPercent: 50,
  variants: [
    { name: 'control', weight: 1, value: 0.08 },
    { name: 'strong', weight: 1, value: 0.3 },
  ],
  targetMetric: 'ctr',
  guardrails: ['likes_per_impression', 'paid_per_user'],
  ...over,
});

/** Experiment actions on an experiment of merchant A in the state named; outcome per caller in CALLERS order. */
const MATRIX: {
  action: MerchantRequest['action'];
  needs?: 'draft' | 'running';
  expect: Outcome[];
}[] = [
  { action: 'experiment.list', expect: ['FORBIDDEN', 'ok', 'ok', 'ok', 'ok'] },
  // Every parameter there is changes the platform's ranking for everyone: only admins create.
  {
    action: 'experiment.create',
    expect: ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok'],
  },
  {
    action: 'experiment.get',
    needs: 'draft',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'ok'],
  },
  // A merchant's draft on a platform parameter (stored before the restriction) starts for no one.
  {
    action: 'experiment.start',
    needs: 'draft',
    expect: ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'experiment.stop',
    needs: 'running',
    expect: ['FORBIDDEN', 'ok', 'FORBIDDEN', 'NOT_FOUND', 'ok'],
  },
  {
    action: 'experiment.results',
    needs: 'running',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'ok'],
  },
  {
    action: 'experiment.audit',
    needs: 'draft',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'ok'],
  },
];

/** A budget clock for a training run that reads one page and stops (its budget spent). */
const stopAfterOnePage = (): (() => number) => {
  let calls = 0;
  return () => (calls++ < 1 ? 0 : Number.MAX_SAFE_INTEGER);
};

describe.each(bothAdapters)('merchant experiments on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  /**
   * A merchant's experiment as stored before merchants were kept off platform parameters (they
   * can no longer create one): what the authorisation matrix and the refusals run against.
   */
  let legacySeq = 0;
  async function legacyOf(
    merchantId: string,
    status: 'draft' | 'running',
    over: Partial<Experiment> = {},
  ): Promise<Experiment> {
    const i = legacySeq++;
    const e: Experiment = {
      id: `exp_legacy${i}`,
      merchantId,
      name: '旧实验',
      parameter: 'feed.diversity',
      buckets: 100,
      range: status === 'running' ? [9000 + i, 9001 + i] : null,
      variants: input().variants,
      targetMetric: 'ctr',
      guardrails: [],
      status,
      salt: `salt${i}`,
      createdAt: NOW - 1000 + i,
      startedAt: status === 'running' ? NOW - 1000 : null,
      stoppedAt: null,
      version: status === 'running' ? 2 : 1,
      ...over,
    };
    expect(await w.opened.stores.experiments.create(e)).toBe(true);
    return e;
  }

  async function experimentIn(
    status: 'draft' | 'running',
    over: Partial<ExperimentInput> = {},
    by = ADMIN,
  ): Promise<Experiment> {
    const { experiment } = await w.ok(by, { action: 'experiment.create', experiment: input(over) });
    return status === 'running'
      ? (await w.ok(by, { action: 'experiment.start', experimentId: experiment.id })).experiment
      : experiment;
  }

  it('answers every caller × experiment action as the matrix says, and a refusal changes nothing', async () => {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const row of MATRIX) {
      for (const [i, caller] of CALLERS.entries()) {
        // Small shares, so that every start of the matrix finds room in the layer.
        const id = row.needs ? (await legacyOf(w.merchantA, row.needs)).id : 'none';
        const payload = (
          row.action === 'experiment.list'
            ? { action: row.action }
            : row.action === 'experiment.create'
              ? { action: row.action, experiment: input({ trafficPercent: 1 }) }
              : { action: row.action, experimentId: id }
        ) as MerchantRequest;
        const before = await w.opened.dumpAll!();
        const res = await w.call(caller, payload);
        seen.push(`${row.action} by ${caller}: ${res.ok ? 'ok' : res.code}`);
        expected.push(`${row.action} by ${caller}: ${row.expect[i]}`);
        if (!res.ok) {
          expect(res.message).toMatch(/[\u4e00-\u9fff]/);
          expect(await w.opened.dumpAll!()).toEqual(before);
        }
      }
    }
    expect(seen).toEqual(expected);
  });

  it('creates an experiment judged on money kept (net_paid_per_user) with the gross metric as a guardrail', async () => {
    const e = await experimentIn('draft', {
      targetMetric: 'net_paid_per_user',
      guardrails: ['paid_per_user', 'ctr'],
    });
    const { experiment } = await w.ok(ADMIN, { action: 'experiment.get', experimentId: e.id });
    expect(experiment).toMatchObject({
      targetMetric: 'net_paid_per_user',
      guardrails: ['paid_per_user', 'ctr'],
    });
  });

  it('keeps owners apart: a merchant lists its own, the admin all, and an admin creates platform experiments', async () => {
    const a = await legacyOf(w.merchantA, 'draft');
    const b = await legacyOf(w.merchantB, 'draft');
    const p = await experimentIn('draft', {}, ADMIN);
    expect(p.merchantId).toBeNull();
    expect(a.merchantId).toBe(w.merchantA);
    const listed = await w.ok(STAFF_A, { action: 'experiment.list' });
    expect(listed.experiments.map((e) => e.id)).toEqual([a.id]);
    // What the pages offer merchants: the parameter scoped to their own ads.
    expect(listed.merchantParameters).toEqual(['ad.creative']);
    expect(
      (await w.ok(ADMIN, { action: 'experiment.list' })).experiments.map((e) => e.id).sort(),
    ).toEqual([a.id, b.id, p.id].sort());
  });

  it.each([
    ['one variant', { variants: [{ name: 'only', weight: 1, value: 0.1 }] }, /variants/],
    [
      'a duplicate variant name',
      {
        variants: [
          { name: 'a', weight: 1, value: 0.1 },
          { name: 'a', weight: 1, value: 0.2 },
        ],
      },
      /变体名不能重复/,
    ],
    [
      'a zero weight',
      {
        variants: [
          { name: 'a', weight: 0, value: 0.1 },
          { name: 'b', weight: 1, value: 0.2 },
        ],
      },
      /权重/,
    ],
    [
      'a diversity out of [0, 1]',
      {
        variants: [
          { name: 'a', weight: 1, value: 0.1 },
          { name: 'b', weight: 1, value: 3 },
        ],
      },
      /variants\.1\.value/,
    ],
    [
      'slots for a number parameter',
      {
        variants: [
          { name: 'a', weight: 1, value: 0.1 },
          { name: 'b', weight: 1, value: [1, 2] },
        ],
      },
      /variants\.1\.value/,
    ],
    [
      'a number for ads.slots',
      {
        parameter: 'ads.slots' as const,
        variants: [
          { name: 'a', weight: 1, value: [3, 10] },
          { name: 'b', weight: 1, value: 0.5 },
        ],
      },
      /variants\.1\.value/,
    ],
    [
      'repeated slots',
      {
        parameter: 'ads.slots' as const,
        variants: [
          { name: 'a', weight: 1, value: [3, 3] },
          { name: 'b', weight: 1, value: [2] },
        ],
      },
      /广告位不能重复/,
    ],
    ['an unknown parameter', { parameter: 'price' as never }, /parameter/],
    ['an unknown metric', { targetMetric: 'revenue' as never }, /targetMetric/],
    ['no traffic', { trafficPercent: 0 }, /trafficPercent/],
  ])('refuses %s with INVALID_INPUT and stores nothing', async (_what, over, message) => {
    const before = await w.opened.dumpAll!();
    const res = await w.call(ADMIN, {
      action: 'experiment.create',
      experiment: input(over as Partial<ExperimentInput>),
    });
    expect(res).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(message),
    });
    expect(await w.opened.dumpAll!()).toEqual(before);
  });

  it('gives running experiments of one layer disjoint ranges, refuses a full layer, frees a range on stop', async () => {
    const x = await experimentIn('running', { trafficPercent: 60 });
    expect(x.range).toEqual([0, 6000]);
    const y = await experimentIn('running', { trafficPercent: 40 }, ADMIN);
    expect(y.range).toEqual([6000, 10_000]);
    // Another layer is independent.
    expect(
      (
        await experimentIn('running', {
          parameter: 'feed.explore',
          variants: [
            { name: 'c', weight: 1, value: 0.1 },
            { name: 't', weight: 1, value: 0.2 },
          ],
          trafficPercent: 100,
        })
      ).range,
    ).toEqual([0, 10_000]);
    const z = await experimentIn('draft', { trafficPercent: 10 });
    expect(await w.call(ADMIN, { action: 'experiment.start', experimentId: z.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    const stopped = (await w.ok(ADMIN, { action: 'experiment.stop', experimentId: x.id }))
      .experiment;
    // the range is given back, and kept as the one it held (to attribute events from before the stop)
    expect(stopped).toMatchObject({
      status: 'stopped',
      range: null,
      heldRange: [0, 6000],
      stoppedAt: NOW,
    });
    expect(
      (await w.ok(ADMIN, { action: 'experiment.start', experimentId: z.id })).experiment.range,
    ).toEqual([0, 1000]);
    // Stopped is final: restarting would move users between variants.
    expect(await w.call(ADMIN, { action: 'experiment.start', experimentId: x.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(await w.call(ADMIN, { action: 'experiment.stop', experimentId: x.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(
      await w.call(ADMIN, {
        action: 'experiment.results',
        experimentId: (await experimentIn('draft')).id,
      }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('computes results from the slate log, events and pay-verified orders; the numbers match scipy', async () => {
    const e = await experimentIn('running');
    const s = w.opened.stores;
    // control: 12 users × 10 impressions, 5 clicks, 3 likes; strong: 13 users × 10 impressions, 19 clicks, 2 likes.
    // Paid fen per user: the arrays below. Another experiment's slates, a click without an impression
    // and an impression before the start must not count.
    const arms = {
      control: {
        users: 12,
        clicks: 5,
        likes: 3,
        paid: [0, 0, 1500, 0, 0, 0, 800, 0, 0, 0, 0, 2300],
      },
      strong: {
        users: 13,
        clicks: 19,
        likes: 2,
        paid: [0, 3200, 0, 0, 900, 0, 0, 4100, 0, 0, 1200, 0, 0],
      },
    };
    const events = [];
    const orderOf = new Map<string, string>();
    let t = NOW + 1000;
    for (const [variant, arm] of Object.entries(arms)) {
      let clicks = arm.clicks;
      let likes = arm.likes;
      for (let u = 0; u < arm.users; u++) {
        const openid = `${variant}-user-${u}`;
        const slateId = `slate-${openid}`;
        await s.slates.append({
          slateId,
          openid,
          servedAt: t,
          modelVersion: null,
          variant: `other:x,${e.id}:${variant}`,
          personalised: true,
          scene: null,
          cards: [],
        });
        for (let p = 0; p < 10; p++) {
          events.push(
            makeEvent({ openid, type: 'impression', slateId, position: p, serverTime: t++ }),
          );
          const type = clicks > 0 ? 'click' : likes > 0 ? 'like' : null;
          if (type === 'click') clicks--;
          if (type === 'like') likes--;
          if (type) events.push(makeEvent({ openid, type, slateId, position: p, serverTime: t++ }));
        }
        events.push(makeEvent({ openid, type: 'click', slateId, position: 99, serverTime: t++ }));
        // What a user paid counts from pay-verified orders only: a client's `pay` event (here
        // a forged one on every user) proves nothing and must not count.
        events.push(
          makeEvent({
            openid,
            type: 'pay',
            slateId: undefined,
            position: undefined,
            itemId: undefined,
            props: { orderId: `o-${openid}`, amountFen: 99_999, merchantId: 'm' },
            serverTime: t++,
          }),
        );
        if (arm.paid[u] > 0) {
          const no = `o${String(t).padStart(15, '0')}${u}`;
          const paidAt = t++;
          orderOf.set(openid, no);
          await s.orders.create(
            {
              outTradeNo: no,
              openid,
              merchantId: 'm',
              campaignId: 'c-paid',
              cartKey: `cart-${no}`,
              title: '套餐',
              quantity: 1,
              unitFen: arm.paid[u],
              totalFen: arm.paid[u],
              state: 'created',
              attribution: { campaignId: 'c-paid' },
              createdAt: paidAt - 1,
              expiresAt: paidAt + 900_000,
              updatedAt: paidAt - 1,
            },
            { stock: 1000, perUserLimit: 10 },
          );
          await s.orders.transition(no, ['created'], 'paid', { paidAt }, paidAt);
        }
      }
    }
    await s.slates.append({
      slateId: 'slate-elsewhere',
      openid: 'x',
      servedAt: t,
      modelVersion: null,
      variant: 'other:x',
      personalised: true,
      scene: null,
      cards: [],
    });
    events.push(
      makeEvent({
        openid: 'x',
        type: 'impression',
        slateId: 'slate-elsewhere',
        position: 0,
        serverTime: t++,
      }),
    );
    events.push(
      makeEvent({
        openid: 'control-user-0',
        type: 'impression',
        slateId: 'slate-control-user-0',
        position: 50,
        serverTime: NOW - 1,
      }),
    );
    await s.events.append(events);
    // Predicted purchase propensities (train's payment step writes them into profiles): half the
    // control users scored at 0.1, every strong user at 0.3; the rollup keeps each at exposure.
    await s.profiles.put(
      Object.entries(arms).flatMap(([variant, arm]) =>
        Array.from({ length: arm.users }, (_, u) => u)
          .filter((u) => variant === 'strong' || u % 2 === 0)
          .map((u) => ({
            openid: `${variant}-user-${u}`,
            updatedAt: NOW,
            interests: {},
            counts: {},
            recent: [],
            lastActiveAt: NOW,
            purchase: {
              p: variant === 'strong' ? 0.3 : 0.1,
              topShare: 0.5,
              horizonDays: 30,
              asOf: NOW,
            },
          })),
      ),
    );
    w.deps.setNow(t + 60_000);
    // Results read train's rollups only: nothing before a training round.
    expect(
      (await w.ok(ADMIN, { action: 'experiment.results', experimentId: e.id })).results.users,
    ).toEqual({ control: 0, strong: 0 });
    // Two rounds, the first stopping after 100 events: sums added across rounds, exactly once.
    await runTraining(w.deps, {
      settleMs: 1_000,
      budgetMs: 20_000,
      minExamples: 1,
      pageSize: 100,
      clock: stopAfterOnePage(),
    });
    await runTraining(w.deps, { settleMs: 1_000, budgetMs: 20_000, minExamples: 1 });
    await runTraining(w.deps, { settleMs: 1_000, budgetMs: 20_000, minExamples: 1 });

    const { results } = await w.ok(ADMIN, { action: 'experiment.results', experimentId: e.id });
    expect(results.users).toEqual({ control: 12, strong: 13 });
    expect(results.truncated).toBe(false);
    // scipy.stats.chisquare([12, 13]) → statistic 0.04, p 0.841480581121794
    expect(results.srm.chiSquare).toBeCloseTo(0.04, 12);
    expect(results.srm.pValue).toBeCloseTo(0.841480581121794, 12);
    expect(results.srm.mismatch).toBe(false);
    // Predicted against realised, per variant, from the rollups: 6 of 12 control users scored at
    // 0.1 and 3 of them paid; all 13 strong users scored at 0.3 and 4 paid.
    expect(results.purchase.control).toMatchObject({
      scored: 6,
      meanPropensity: expect.closeTo(0.1, 12),
      payers: 3,
      payRate: 3 / 12,
      paidFen: 4600,
      refunds: 0,
      refundedFen: 0,
      netFen: 4600,
      netPerUser: { n: 12, value: 4600 / 12 },
    });
    expect(results.purchase.strong).toMatchObject({
      scored: 13,
      meanPropensity: expect.closeTo(0.3, 12),
      payers: 4,
      payRate: 4 / 13,
      paidFen: 9400,
      netFen: 9400,
    });
    const [control, strong] = results.target.variants;
    expect(control.estimate).toMatchObject({ n: 120, value: 5 / 120 });
    expect(strong.estimate).toMatchObject({ n: 130, value: 19 / 130 });
    // Users are randomised, so rates are compared per user (delta method). The clicks sit on few
    // users (control: one user has all 5; strong: two users have 10 and 9), which the
    // per-impression z-test (p 0.00508) ignores. numpy, as in stats.test.ts:
    //   delta([5]+[0]*11, [10]*12) vs delta([10, 9]+[0]*11, [10]*13) → Δ 0.10448717948717946,
    //   interval (−0.10623033706385852, 0.31520469603821744), p 0.3311126858468951
    expect(results.target.test).toBe('delta-method z');
    expect(strong.vsControl!.delta).toBeCloseTo(0.10448717948717946, 12);
    expect(strong.vsControl!.low).toBeCloseTo(-0.10623033706385852, 12);
    expect(strong.vsControl!.high).toBeCloseTo(0.31520469603821744, 12);
    expect(strong.vsControl!.pValue).toBeCloseTo(0.3311126858468951, 12);
    expect(results.target.enoughData).toBe(false); // 120 impressions < the default minimum of 1000
    const [likes, paid] = results.guardrails;
    // likes [3]+[0]*11 vs [0, 1, 1]+[0]*10 per 10 impressions each → p 0.7225627705707576
    expect(likes.variants[1].vsControl!.pValue).toBeCloseTo(0.7225627705707576, 12);
    // scipy.stats.ttest_ind(strong, control, equal_var=False) → t 0.7736212380231041, p 0.44863151781610167;
    // Welch df 19.086030414504194, interval (−579.148747549631, 1258.6359270368107) by formula with stats.t.ppf
    expect(paid.test).toBe('welch t');
    expect(paid.variants[1].vsControl!.pValue).toBeCloseTo(0.44863151781610167, 12);
    expect(paid.variants[1].vsControl!.low).toBeCloseTo(-579.148747549631, 6);
    expect(paid.variants[1].vsControl!.high).toBeCloseTo(1258.6359270368107, 6);

    const enough = await experimentResults(w.deps, e, { minImpressions: 100, minUsers: 10 });
    expect(enough.target.enoughData).toBe(true);
    // Rates need the users too: 12 and 13 users are fewer than 13 in the control.
    expect(
      (await experimentResults(w.deps, e, { minImpressions: 100, minUsers: 13 })).target.enoughData,
    ).toBe(false);

    // Refunds confirmed later, after the experiment stopped, count against it (their orders were
    // paid while it ran): control user 11's 2300 in full, strong user 1's 3200 in part (1200).
    // Gross figures and the gross guardrail stay as they were; the net ones move.
    const stopped = (await w.ok(ADMIN, { action: 'experiment.stop', experimentId: e.id }))
      .experiment;
    t = Math.max(t, stopped.stoppedAt!);
    const refund = async (openid: string, fen: number) => {
      const no = orderOf.get(openid)!;
      t += 1000;
      await s.orders.transition(no, ['paid'], 'refunding', { refundFen: fen }, t);
      await s.orders.transition(no, ['refunding'], 'refunded', { refundedAt: t }, t);
    };
    await refund('control-user-11', 2300);
    await refund('strong-user-1', 1200);
    // A refunding order whose refund WeChat has not confirmed does not count.
    await s.orders.transition(
      orderOf.get('strong-user-4')!,
      ['paid'],
      'refunding',
      { refundFen: 900 },
      t,
    );
    // A new event so the round is not idle (an idle round saves nothing).
    await s.events.append([
      makeEvent({
        openid: 'x',
        type: 'impression',
        slateId: 'slate-elsewhere',
        position: 1,
        serverTime: t++,
      }),
    ]);
    w.deps.setNow(t + 60_000);
    await runTraining(w.deps, { settleMs: 1_000, budgetMs: 20_000, minExamples: 1 });
    await runTraining(w.deps, { settleMs: 1_000, budgetMs: 20_000, minExamples: 1 }); // nothing twice
    const after = await experimentResults(w.deps, stopped);
    expect(after.purchase.control).toMatchObject({
      paidFen: 4600,
      refunds: 1,
      refundedFen: 2300,
      netFen: 2300,
      netPerUser: { n: 12, value: 2300 / 12 },
      payers: 3,
    });
    expect(after.purchase.strong).toMatchObject({
      paidFen: 9400,
      refunds: 1,
      refundedFen: 1200,
      netFen: 8200,
    });
    expect(after.guardrails[1].variants[1].vsControl!.pValue).toBeCloseTo(0.44863151781610167, 12);
    // The same experiment judged on money kept (net_paid_per_user, Welch's t on per-user net):
    // control [0, 0, 1500, 0, 0, 0, 800, 0, 0, 0, 0, 0], strong [0, 2000, 0, 0, 900, 0, 0, 4100,
    // 0, 0, 1200, 0, 0]. scipy.stats.ttest_ind(strong, control, equal_var=False) → p
    // 0.24673318062198774; Welch df 15.747904649388957, interval (−335.6532986105369,
    // 1213.858426815665); strong's mean 630.7692307692307 in (−107.02419767715685,
    // 1368.5626592156182) by stats.t.ppf(0.975, 12).
    const net = await experimentResults(w.deps, {
      ...stopped,
      targetMetric: 'net_paid_per_user',
      guardrails: ['paid_per_user'],
    });
    expect(net.target.metric).toBe('net_paid_per_user');
    expect(net.target.test).toBe('welch t');
    expect(net.target.variants[0].estimate).toMatchObject({ n: 12, value: 2300 / 12 });
    expect(net.target.variants[0].estimate.value).toBe(after.purchase.control.netPerUser!.value);
    const netStrong = net.target.variants[1];
    expect(netStrong.estimate.value).toBeCloseTo(630.7692307692307, 9);
    expect(netStrong.estimate.low).toBeCloseTo(-107.02419767715685, 6);
    expect(netStrong.estimate.high).toBeCloseTo(1368.5626592156182, 6);
    expect(netStrong.vsControl!.delta).toBeCloseTo(439.1025641025641, 9);
    expect(netStrong.vsControl!.pValue).toBeCloseTo(0.24673318062198774, 12);
    expect(netStrong.vsControl!.low).toBeCloseTo(-335.6532986105369, 6);
    expect(netStrong.vsControl!.high).toBeCloseTo(1213.858426815665, 6);
    // The gross metric beside it is untouched by the refunds.
    expect(net.guardrails[0].variants[1].vsControl!.pValue).toBeCloseTo(0.44863151781610167, 12);
  });

  it.each(['feed.diversity', 'feed.explore', 'ads.slots'] as const)(
    'refuses a merchant owner an experiment on the platform parameter %s (FORBIDDEN, nothing stored); an admin may',
    async (parameter) => {
      const over: Partial<ExperimentInput> =
        parameter === 'ads.slots'
          ? {
              parameter,
              variants: [
                { name: 'c', weight: 1, value: [3, 10] },
                { name: 't', weight: 1, value: [2, 9] },
              ],
            }
          : { parameter };
      const before = await w.opened.dumpAll!();
      const res = await w.call(OWNER_A, { action: 'experiment.create', experiment: input(over) });
      expect(res).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
        message: expect.stringContaining('只有平台管理员'),
      });
      expect(await w.opened.dumpAll!()).toEqual(before);
      expect(
        (await w.ok(ADMIN, { action: 'experiment.create', experiment: input(over) })).experiment,
      ).toMatchObject({ merchantId: null, parameter });
    },
  );

  it("serving ignores a merchant's running experiment on a platform parameter; its owner can still stop it", async () => {
    const legacy = await legacyOf(w.merchantA, 'running', { range: [0, 10_000], buckets: 10_000 });
    const platform = await experimentIn('running', {
      parameter: 'feed.explore',
      trafficPercent: 100,
      variants: [
        { name: 'c', weight: 1, value: 0.1 },
        { name: 't', weight: 1, value: 0.2 },
      ],
    });
    const running = await w.opened.stores.experiments.list({ status: 'running' });
    expect(running.map((e) => e.id).sort()).toEqual([legacy.id, platform.id].sort());
    for (const u of ['u1', 'u2', 'u3'])
      expect(assign(u, running).map((a) => a.experimentId)).toEqual([platform.id]);
    expect(
      (await w.ok(OWNER_A, { action: 'experiment.stop', experimentId: legacy.id })).experiment
        .status,
    ).toBe('stopped');
  });

  it('keeps an audit log of create, start and stop: who, when, what; readable by whoever may see the experiment', async () => {
    const e = await experimentIn('draft', { trafficPercent: 20 });
    w.deps.setNow(NOW + 1000);
    await w.ok(ADMIN, { action: 'experiment.start', experimentId: e.id });
    // Refused calls leave no entry.
    await w.call(ADMIN, { action: 'experiment.start', experimentId: e.id });
    w.deps.setNow(NOW + 2000);
    await w.ok(ADMIN, { action: 'experiment.stop', experimentId: e.id });
    await w.call(ADMIN, { action: 'experiment.stop', experimentId: e.id });
    const { entries } = await w.ok(ADMIN, { action: 'experiment.audit', experimentId: e.id });
    expect(
      entries.map((x) => [x.action, x.actorName, x.actorRole, x.at, x.experimentId, x.merchantId]),
    ).toEqual([
      ['create', '平台管理员', 'admin', NOW, e.id, null],
      ['start', '平台管理员', 'admin', NOW + 1000, e.id, null],
      ['stop', '平台管理员', 'admin', NOW + 2000, e.id, null],
    ]);
    expect(JSON.stringify(entries)).not.toContain(ADMIN);
    expect(entries[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'parameter', before: null, after: 'feed.diversity' },
        { field: 'buckets', before: null, after: 2000 },
      ]),
    );
    expect(entries[1].changes).toEqual([
      { field: 'status', before: 'draft', after: 'running' },
      { field: 'range', before: null, after: [0, 2000] },
    ]);
    expect(entries[2].changes).toEqual([
      { field: 'status', before: 'running', after: 'stopped' },
      { field: 'range', before: [0, 2000], after: null },
    ]);
    // A platform experiment is not a merchant's to read; a merchant's own stop is logged under it.
    expect(await w.call(OWNER_A, { action: 'experiment.audit', experimentId: e.id })).toMatchObject(
      { ok: false, code: 'NOT_FOUND' },
    );
    const mine = await legacyOf(w.merchantA, 'running');
    await w.ok(OWNER_A, { action: 'experiment.stop', experimentId: mine.id });
    const own = (await w.ok(STAFF_A, { action: 'experiment.audit', experimentId: mine.id }))
      .entries;
    expect(own.map((x) => [x.action, x.actorRole, x.merchantId])).toEqual([
      ['stop', 'owner', w.merchantA],
    ]);
    expect(own[0].actorName).toMatch(/^所有者 [0-9A-F]{6}$/);
    expect(JSON.stringify(own)).not.toContain(OWNER_A);
    // The experiment log does not leak into a campaign's.
    expect(await w.opened.stores.merchants.listAudit(e.id, 10)).toEqual([]);
    // Personal data: the entries are in the actor's export, and erasure keeps them without the actor (as for campaigns).
    const exported = await w.opened.stores.personal.read('campaign_audit', OWNER_A, null, 100);
    expect(JSON.stringify(exported.records)).toContain(mine.id);
    expect(await w.opened.stores.personal.erase('campaign_audit', OWNER_A, 100)).toBe(1);
    expect(
      (await w.opened.stores.merchants.listExperimentAudit(mine.id, 10)).map((x) => [
        x.action,
        x.actor,
      ]),
    ).toEqual([['stop', ERASED_USER]]);
    expect(
      (await w.opened.stores.merchants.listExperimentAudit(e.id, 10)).map((x) => x.actor),
    ).toEqual([ADMIN, ADMIN, ADMIN]);
  });

  it("recommend applies and logs each user's variant, and stops logging once the experiment stops", async () => {
    await w.opened.stores.catalog.upsert(
      Array.from({ length: 12 }, (_, i) => makeItem(`it-${i}`, { publishedAt: NOW - i * 60_000 })),
    );
    const e = await experimentIn(
      'running',
      {
        parameter: 'feed.explore',
        trafficPercent: 100,
        variants: [
          { name: 'none', weight: 1, value: 0 },
          { name: 'always', weight: 1, value: 1 },
        ],
      },
      ADMIN,
    );
    const rec = toHandler(recommend);
    const labels = new Set<string>();
    for (let u = 0; u < 12; u++) {
      const openid = `reader-${u}`;
      await w.opened.stores.privacy.recordConsent(openid, {
        noticeVersion: 'v1',
        granted: true,
        at: NOW - 60_000,
      }); // slates are logged only with consent
      const res = await rec({ payload: { limit: 5 }, openid }, w.deps);
      if (!res.ok) throw new Error(res.message);
      const [slate] = await w.opened.stores.slates.get([res.data.slateId]);
      expect(slate.variant).toBe(slateVariant(assign(openid, [e])));
      labels.add(slate.variant!);
    }
    expect(labels).toEqual(new Set([`${e.id}:none`, `${e.id}:always`]));
    await w.ok(ADMIN, { action: 'experiment.stop', experimentId: e.id });
    w.deps.setNow(NOW + 31_000); // past the warm instance's experiment cache
    const res = await rec({ payload: { limit: 5 }, openid: 'reader-0' }, w.deps);
    if (!res.ok) throw new Error(res.message);
    expect((await w.opened.stores.slates.get([res.data.slateId]))[0].variant).toBeNull();
  });
});

describe('feed parameters under experiment overrides', () => {
  it('sets the diversity penalty and exploration rate, and leaves everything else', () => {
    const p = feedParams({ diversityPenalty: 0.3, exploreEpsilon: 0.5 });
    expect(p.rerank).toEqual({ ...DEFAULT_FEED_PARAMS.rerank, penalty: 0.3 });
    expect(p.exploreEpsilon).toBe(0.5);
    expect({
      ...p,
      rerank: DEFAULT_FEED_PARAMS.rerank,
      exploreEpsilon: DEFAULT_FEED_PARAMS.exploreEpsilon,
    }).toEqual(DEFAULT_FEED_PARAMS);
    expect(feedParams({})).toEqual(DEFAULT_FEED_PARAMS);
  });
});
