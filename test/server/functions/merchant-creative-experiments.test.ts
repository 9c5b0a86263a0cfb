/**
 * Creative A/B tests (ad.creative) on both adapters: a merchant owner tests alternative creatives
 * of one of its own campaigns. Validation, ownership (at create and again at start), the layer per
 * campaign, serving (each user's bucket picks the creative, deterministically; the slate carries
 * the label only when the campaign is on it), and results per creative from the campaign's card only.
 */
import type { Creative, ExperimentInput } from '../../../typings';
import { assign, variantAt, variantBucket } from '../../../server/engine/experiments/assign';
import {
  compareMeans,
  compareRatios,
  meanEstimate,
  ratioEstimate,
} from '../../../server/engine/experiments/stats';
import recommend from '../../../server/functions/recommend';
import { serveAds } from '../../../server/serving/ads';
import { runTraining } from '../../../server/learning/training-run';
import { toHandler } from '../../../server/runtime/function';
import { makeEvent, makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import {
  ADMIN,
  NOW,
  OWNER_A,
  OWNER_B,
  STAFF_A,
  useMerchantWorld,
  validInput,
} from '../../helpers/merchant-world';
import { contentSlots } from '../../helpers/ad-auction';

const BROAD = { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] };
const current: Creative = validInput().creative;
const alt = (title: string, over: Partial<Creative> = {}): Creative => ({
  ...current,
  title,
  ...over,
});

const creativeInput = (
  campaignId: string,
  over: Partial<ExperimentInput> = {},
): ExperimentInput => ({
  name: '标题测试',
  parameter: 'ad.creative',
  campaignId,
  trafficPercent: 100,
  variants: [
    { name: 'control', weight: 1, value: current },
    { name: 'b', weight: 1, value: alt('火锅节第二份半价') },
    {
      name: 'c',
      weight: 1,
      value: alt('新店开业 全场八折', {
        image: '',
        landing: { kind: 'page', path: 'pages/feed/index' },
      }),
    },
  ],
  targetMetric: 'ctr',
  guardrails: [],
  ...over,
});

describe.each(bothAdapters)('creative experiments on %s', (_name, open) => {
  const w = useMerchantWorld(open);
  let campaignA: string;

  beforeEach(async () => {
    campaignA = (
      await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput({ targeting: BROAD }) })
    ).campaign.id;
  });

  const create = (by: string, input: ExperimentInput) =>
    w.call(by, { action: 'experiment.create', experiment: input });

  it("lets an owner create one on its own campaign: the merchant's, naming the campaign, audited; staff and other merchants may look only at their own", async () => {
    const { experiment: e } = await w.ok(OWNER_A, {
      action: 'experiment.create',
      experiment: creativeInput(campaignA),
    });
    expect(e).toMatchObject({
      merchantId: w.merchantA,
      campaignId: campaignA,
      parameter: 'ad.creative',
      status: 'draft',
      buckets: 10_000,
    });
    expect(e.variants.map((v) => (v.value as Creative).title)).toEqual([
      '火锅节限时八折',
      '火锅节第二份半价',
      '新店开业 全场八折',
    ]);
    expect(
      (await w.ok(STAFF_A, { action: 'experiment.list' })).experiments.map((x) => x.id),
    ).toEqual([e.id]);
    expect((await w.ok(OWNER_B, { action: 'experiment.list' })).experiments).toEqual([]);
    const { entries } = await w.ok(OWNER_A, { action: 'experiment.audit', experimentId: e.id });
    expect(entries[0].changes).toEqual(
      expect.arrayContaining([{ field: 'campaignId', before: null, after: campaignA }]),
    );
    // Staff may not create; an admin may, and the experiment is still the campaign's merchant's.
    expect(await create(STAFF_A, creativeInput(campaignA))).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(
      (await w.ok(ADMIN, { action: 'experiment.create', experiment: creativeInput(campaignA) }))
        .experiment.merchantId,
    ).toBe(w.merchantA);
  });

  it('lets an owner pick the winning creative by money kept: net revenue per user as target, the gross one and CTR as guardrails', async () => {
    const { experiment: e } = await w.ok(OWNER_A, {
      action: 'experiment.create',
      experiment: creativeInput(campaignA, {
        targetMetric: 'net_paid_per_user',
        guardrails: ['paid_per_user', 'ctr'],
      }),
    });
    expect(e).toMatchObject({
      targetMetric: 'net_paid_per_user',
      guardrails: ['paid_per_user', 'ctr'],
    });
  });

  it("takes a variant image only when this environment published it (cloud: not another environment's file)", async () => {
    const withImage = (image: string) =>
      creativeInput(campaignA, {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: alt('换图', { image }) },
        ],
      });
    if (_name === 'cloud') {
      const res = await create(OWNER_A, withImage('cloud://prod-1a2b.7072-prod/ads/a.png'));
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      if (!res.ok) expect(res.message).toMatch(/variants\.1\.value\.image/);
      expect((await w.ok(OWNER_A, { action: 'experiment.list' })).experiments).toEqual([]);
    }
    const own =
      _name === 'cloud'
        ? 'cloud://test-env.7465-test-env-1250000000/ads/b.png'
        : `local://uploads/${'ab'.repeat(32)}.png`;
    await w.ok(OWNER_A, { action: 'experiment.create', experiment: withImage(own) });
  });

  it.each([
    ['no campaign', { campaignId: undefined }, /campaignId.*创意实验须选择一个广告计划/],
    ['a bad campaign id', { campaignId: 'a/b' }, /campaignId/],
    [
      'a creative title that is empty',
      {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: alt('  ') },
        ],
      },
      /variants\.1\.value\.title.*标题不能为空/,
    ],
    [
      'a title over 30 characters',
      {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: alt('长'.repeat(31)) },
        ],
      },
      /标题最多 30 字/,
    ],
    [
      'an image that is not a file id or https',
      {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: alt('x', { image: 'http://a/b.jpg' }) },
        ],
      },
      /variants\.1\.value\.image/,
    ],
    [
      'a bad landing page',
      {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: alt('x', { landing: { kind: 'page', path: '../x' } }) },
        ],
      },
      /小程序页面路径/,
    ],
    [
      'an unknown creative field',
      {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: { ...alt('x'), price: 1 } as Creative },
        ],
      },
      /variants\.1\.value/,
    ],
    [
      'a number for a creative',
      {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: 0.5 },
        ],
      },
      /variants\.1\.value/,
    ],
    [
      'two identical creatives',
      {
        variants: [
          { name: 'control', weight: 1, value: current },
          { name: 'b', weight: 1, value: { ...current } },
        ],
      },
      /创意不能相同/,
    ],
    [
      'five creatives',
      {
        variants: ['a', 'b', 'c', 'd', 'e'].map((n, i) => ({
          name: n,
          weight: 1,
          value: i === 0 ? current : alt(`标题${n}`),
        })),
      },
      /最多 4 个创意/,
    ],
    [
      'a metric not counted on ad cards',
      { targetMetric: 'likes_per_impression' as const },
      /点击率/,
    ],
    [
      'a guardrail not counted on ad cards',
      { guardrails: ['likes_per_impression' as const] },
      /护栏/,
    ],
  ])('refuses %s with INVALID_INPUT and stores nothing', async (_what, over, message) => {
    const before = await w.opened.dumpAll!();
    const res = await create(OWNER_A, creativeInput(campaignA, over as Partial<ExperimentInput>));
    expect(res).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(message),
    });
    expect(await w.opened.dumpAll!()).toEqual(before);
  });

  it("refuses a campaign on a platform parameter's experiment", async () => {
    const res = await create(ADMIN, {
      ...creativeInput(campaignA),
      parameter: 'feed.explore',
      variants: [
        { name: 'a', weight: 1, value: 0.1 },
        { name: 'b', weight: 1, value: 0.2 },
      ],
    });
    expect(res).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringContaining('只有创意实验'),
    });
  });

  it("refuses another merchant's campaign as if absent, an unknown or ended one, and a control that is not the current creative; nothing stored", async () => {
    const campaignB = (
      await w.ok(OWNER_B, { action: 'campaign.create', campaign: validInput({ targeting: BROAD }) })
    ).campaign.id;
    const ended = (
      await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput({ targeting: BROAD }) })
    ).campaign.id;
    await w.ok(OWNER_A, { action: 'campaign.end', campaignId: ended });
    const before = await w.opened.dumpAll!();
    expect(await create(OWNER_A, creativeInput(campaignB))).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await create(OWNER_A, creativeInput('c_nonexistent'))).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await create(OWNER_A, creativeInput(ended))).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringContaining('已结束'),
    });
    const wrongControl = creativeInput(campaignA, {
      variants: [
        { name: 'a', weight: 1, value: alt('不是当前的') },
        { name: 'b', weight: 1, value: alt('另一个') },
      ],
    });
    expect(await create(OWNER_A, wrongControl)).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringContaining('对照组'),
    });
    expect(await w.opened.dumpAll!()).toEqual(before);
  });

  it("checks the campaign again at start: still the merchant's, still showing the control; creative edits wait for the experiment to stop", async () => {
    const e1 = (
      await w.ok(OWNER_A, { action: 'experiment.create', experiment: creativeInput(campaignA) })
    ).experiment;
    // The campaign's creative changed after the draft was made: the control is stale.
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: campaignA,
      patch: { creative: alt('改过的标题') },
    });
    expect(
      await w.call(OWNER_A, { action: 'experiment.start', experimentId: e1.id }),
    ).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringContaining('重新创建') });
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: campaignA,
      patch: { creative: current },
    });
    // The campaign moved to another merchant (as a data fix might): the draft no longer starts.
    const c = (await w.opened.stores.ads.getCampaign(campaignA))!;
    await w.opened.stores.ads.upsertCampaigns([{ ...c, merchantId: w.merchantB }]);
    const before = await w.opened.dumpAll!();
    expect(
      await w.call(OWNER_A, { action: 'experiment.start', experimentId: e1.id }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await w.opened.dumpAll!()).toEqual(before);
    await w.opened.stores.ads.upsertCampaigns([c]);
    const started = (await w.ok(OWNER_A, { action: 'experiment.start', experimentId: e1.id }))
      .experiment;
    expect(started.range).toEqual([0, 10_000]);
    // Each campaign is its own layer: another campaign's test takes all its traffic too; a second on the same campaign has no room.
    const other = (
      await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput({ targeting: BROAD }) })
    ).campaign.id;
    const e2 = (
      await w.ok(OWNER_A, { action: 'experiment.create', experiment: creativeInput(other) })
    ).experiment;
    expect(
      (await w.ok(OWNER_A, { action: 'experiment.start', experimentId: e2.id })).experiment.range,
    ).toEqual([0, 10_000]);
    const e3 = (
      await w.ok(OWNER_A, {
        action: 'experiment.create',
        experiment: creativeInput(campaignA, { trafficPercent: 1 }),
      })
    ).experiment;
    expect(
      await w.call(OWNER_A, { action: 'experiment.start', experimentId: e3.id }),
    ).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringContaining('创意实验占满'),
    });
    // While it runs, the campaign's creative is frozen (other fields are not).
    expect(
      await w.call(OWNER_A, {
        action: 'campaign.update',
        campaignId: campaignA,
        patch: { creative: alt('改') },
      }),
    ).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringContaining('创意实验') });
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: campaignA,
      patch: { bidFen: 60 },
    });
    await w.ok(OWNER_A, { action: 'experiment.stop', experimentId: e1.id });
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: campaignA,
      patch: { creative: alt('改') },
    });
  });

  it('serves each user the creative of their bucket, the same every time, and logs the variant only on slates showing the campaign', async () => {
    await w.opened.stores.catalog.upsert(
      Array.from({ length: 12 }, (_, i) => makeItem(`it-${i}`, { publishedAt: NOW - i * 60_000 })),
    );
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: campaignA });
    const e = (
      await w.ok(OWNER_A, { action: 'experiment.create', experiment: creativeInput(campaignA) })
    ).experiment;
    await w.ok(OWNER_A, { action: 'experiment.start', experimentId: e.id });
    const running = await w.opened.stores.experiments.list({ status: 'running' });
    const rec = toHandler(recommend);
    const shown = new Map<string, string>();
    for (let u = 0; u < 24; u++) {
      const openid = `reader-${u}`;
      await w.opened.stores.privacy.recordConsent(openid, {
        noticeVersion: 'v1',
        granted: true,
        at: NOW - 60_000,
      });
      const expected = variantAt(e.variants, variantBucket(openid, e.salt));
      expect(assign(openid, running)).toEqual([
        expect.objectContaining({
          experimentId: e.id,
          variant: expected.name,
          campaignId: campaignA,
        }),
      ]);
      for (let k = 0; k < 2; k++) {
        const res = await rec({ payload: { limit: 5 }, openid }, w.deps);
        if (!res.ok) throw new Error(res.message);
        const ad = res.data.cards.find((c) => c.kind === 'ad');
        const [slate] = await w.opened.stores.slates.get([res.data.slateId]);
        if (!ad || ad.kind !== 'ad') {
          expect(slate.variant).toBeNull();
          continue;
        }
        expect(ad.adId).toBe(campaignA);
        expect(ad.creative).toEqual(expected.value);
        expect(slate.variant).toBe(`${e.id}:${expected.name}`);
        expect(slate.cards.find((c) => c.position === ad.position)).toMatchObject({
          adId: campaignA,
        });
        shown.set(openid, expected.name);
      }
    }
    // Every variant reached someone (24 users, three equal arms).
    expect(new Set(shown.values())).toEqual(new Set(['control', 'b', 'c']));
  });

  it("leaves the slate unlabelled when the campaign does not win a slot, and never applies a test to another merchant's campaign", async () => {
    const e = (
      await w.ok(OWNER_A, { action: 'experiment.create', experiment: creativeInput(campaignA) })
    ).experiment;
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: campaignA });
    await w.ok(OWNER_A, { action: 'experiment.start', experimentId: e.id });
    const [a] = assign('reader-1', await w.opened.stores.experiments.list({ status: 'running' }));
    const content = contentSlots(5);
    const serve = (creatives: (typeof a)[]) =>
      serveAds(w.deps, {
        openid: 'reader-1',
        personalised: true,
        scene: null,
        profile: null,
        content,
        offset: 0,
        now: NOW + 1000,
        scorer: null,
        creatives,
      });
    const served = await serve([a]);
    expect(served.exposures).toEqual([a]);
    // An assignment claiming another merchant's experiment (the campaign changed hands while cached) is not applied.
    const foreign = await serve([{ ...a, merchantId: w.merchantB, value: alt('别人的') }]);
    expect(foreign.exposures).toEqual([]);
    const card = foreign.cards.find((c) => c.kind === 'ad');
    expect(card && card.kind === 'ad' ? card.creative : null).toEqual(current);
    // No ad slot on the page (offset past the slots): nothing exposed.
    expect(
      (
        await serveAds(w.deps, {
          openid: 'reader-1',
          personalised: true,
          scene: null,
          profile: null,
          content: content.slice(0, 2),
          offset: 0,
          now: NOW + 1000,
          scorer: null,
          creatives: [a],
        })
      ).exposures,
    ).toEqual([]);
  });

  it("reports CTR per creative from the campaign's card only, with the delta-method intervals, and the merchant's own revenue kept", async () => {
    const e = (
      await w.ok(OWNER_A, {
        action: 'experiment.create',
        experiment: creativeInput(campaignA, {
          variants: creativeInput(campaignA).variants.slice(0, 2),
          guardrails: ['net_paid_per_user'],
        }),
      })
    ).experiment;
    await w.ok(OWNER_A, { action: 'experiment.start', experimentId: e.id });
    const s = w.opened.stores;
    // Per user: 4 slates with the ad at position 3 and content at 0–2; clicks on the ad per user below,
    // and a click on every content card that must not count.
    const arms = { control: [0, 1, 0, 2, 0, 0], b: [1, 2, 1, 0, 3, 1, 2] };
    const events = [];
    let t = NOW + 1000;
    const units: Record<string, { numerator: number; denominator: number }[]> = {};
    for (const [variant, clicks] of Object.entries(arms)) {
      units[variant] = [];
      for (const [u, userClicks] of clicks.entries()) {
        const openid = `${variant}-u${u}`;
        for (let k = 0; k < 4; k++) {
          const slateId = `s-${openid}-${k}`;
          await s.slates.append({
            slateId,
            openid,
            servedAt: t,
            modelVersion: null,
            variant: `${e.id}:${variant}`,
            personalised: true,
            scene: null,
            cards: [
              ...[0, 1, 2].map((p) => ({
                position: p,
                itemId: `it-${p}`,
                score: null,
                propensity: 1,
              })),
              { position: 3, adId: campaignA, score: 0.02, propensity: 1, priceFen: 40 },
            ],
          });
          for (let p = 0; p < 4; p++)
            events.push(
              makeEvent({ openid, type: 'impression', slateId, position: p, serverTime: t++ }),
            );
          for (let p = 0; p < 3; p++)
            events.push(
              makeEvent({ openid, type: 'click', slateId, position: p, serverTime: t++ }),
            );
          if (k < userClicks)
            events.push(
              makeEvent({ openid, type: 'click', slateId, position: 3, serverTime: t++ }),
            );
        }
        units[variant].push({ numerator: userClicks, denominator: 4 });
      }
    }
    await s.events.append(events);
    // Money while it ran: control-u1 pays the merchant 1,000 (400 refunded), b-u0 3,000 and b-u2
    // 500 (refunded in full); b-u1 pays another merchant 9,000, which its test never counts.
    const pay = async (openid: string, merchantId: string, fen: number, refundFen = 0) => {
      const no = `o-${openid}-${merchantId}`;
      await s.orders.create(
        {
          outTradeNo: no,
          openid,
          merchantId,
          campaignId: merchantId === w.merchantA ? campaignA : 'c-elsewhere',
          cartKey: `cart-${no}`,
          title: '套餐',
          quantity: 1,
          unitFen: fen,
          totalFen: fen,
          state: 'created',
          attribution: { campaignId: campaignA },
          createdAt: t,
          expiresAt: t + 900_000,
          updatedAt: t,
        },
        { stock: 100, perUserLimit: 10 },
      );
      await s.orders.transition(no, ['created'], 'paid', { paidAt: t }, t);
      t++;
      if (refundFen) {
        await s.orders.transition(no, ['paid'], 'refunding', { refundFen }, t);
        await s.orders.transition(no, ['refunding'], 'refunded', { refundedAt: t }, t);
        t++;
      }
    };
    await pay('control-u1', w.merchantA, 1_000, 400);
    await pay('b-u0', w.merchantA, 3_000);
    await pay('b-u2', w.merchantA, 500, 500);
    await pay('b-u1', w.merchantB, 9_000);
    w.deps.setNow(t + 60_000);
    // Results read the rollups the training round keeps.
    await runTraining(w.deps, { settleMs: 1_000, budgetMs: 20_000, minExamples: 1 });
    const { results } = await w.ok(STAFF_A, { action: 'experiment.results', experimentId: e.id });
    expect(results.purchase.control).toMatchObject({ paidFen: 1_000, refundedFen: 400 });
    expect(results.purchase.b).toMatchObject({ paidFen: 3_500, refundedFen: 500, netFen: 3_000 });
    const net = { control: [0, 600, 0, 0, 0, 0], b: [3_000, 0, 0, 0, 0, 0, 0] };
    const [netControl, netB] = results.guardrails[0].variants;
    expect(results.guardrails[0]).toMatchObject({ metric: 'net_paid_per_user', test: 'welch t' });
    // The same statistics on the per-user net amounts (users come back in the store's order, so
    // the sums may differ in the last bit).
    const close = (got: object, want: object) =>
      Object.entries(want).forEach(([k, v]) =>
        expect((got as Record<string, number>)[k]).toBeCloseTo(v as number, 9),
      );
    close(netControl.estimate, meanEstimate(net.control));
    const netDiff = compareMeans(net.control, net.b);
    close(netB.vsControl!, {
      delta: netDiff.delta,
      low: netDiff.low,
      high: netDiff.high,
      pValue: netDiff.pValue,
    });
    expect(results.users).toEqual({ control: 6, b: 7 });
    const [control, b] = results.target.variants;
    expect(results.target.metric).toBe('ctr');
    expect(control.estimate).toMatchObject({ n: 24, value: 3 / 24 });
    expect(b.estimate).toMatchObject({ n: 28, value: 10 / 28 });
    expect(control.estimate).toEqual(ratioEstimate(units.control));
    const diff = compareRatios(units.control, units.b);
    expect(b.vsControl).toEqual({
      delta: diff.delta,
      low: diff.low,
      high: diff.high,
      pValue: diff.pValue,
    });
    expect(b.vsControl!.delta).toBeCloseTo(10 / 28 - 3 / 24, 12);
    expect(b.vsControl!.low).toBeLessThan(b.vsControl!.delta);
    // Another merchant cannot read them.
    expect(
      await w.call(OWNER_B, { action: 'experiment.results', experimentId: e.id }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
