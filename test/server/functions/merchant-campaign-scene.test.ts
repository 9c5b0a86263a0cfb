/**
 * `merchant` campaigns and the deployment's scene (SCENE, issues 19 and this one) on both
 * adapters: `targeting.options` tells the editor the scene; under 旅游出行 / 金融理财 a campaign
 * that could never serve is refused when saved (INVALID_INPUT on the interest targeting, nothing
 * stored) or started (CONFLICT), with what to change; campaigns stored before still load, list,
 * take other edits, pause and end. A creative experiment's variants are checked the same way:
 * each as the campaign shown with that creative, when the experiment is created (INVALID_INPUT on
 * the variant) and when it starts (CONFLICT), with the campaign's own message.
 */
import type { AppSceneName, Creative, ExperimentInput } from '../../../typings';
import { bothAdapters } from '../../helpers/adapters';
import { OWNER_A, STAFF_A, useMerchantWorld, validInput } from '../../helpers/merchant-world';

describe.each(bothAdapters)('merchant campaigns and the scene on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  const runAs = (scene: AppSceneName) => {
    w.deps.config = { ...w.deps.config, scene };
  };
  // validInput: interests 美食 / 火锅, landing on item-1 (美食); item-2 is 旅行.
  const foodLandingPage = { landing: { kind: 'page' as const, path: 'pages/feed/index' } };
  const creative = validInput().creative;

  it('tells the editor the scene: every campaign in 综合, the categories in 旅游出行 and 金融理财', async () => {
    expect((await w.ok(STAFF_A, { action: 'targeting.options' })).scene).toEqual({
      name: 'general',
      label: '综合',
      categories: null,
      ratedProducts: true,
    });
    runAs('travel');
    expect((await w.ok(OWNER_A, { action: 'targeting.options' })).scene).toEqual({
      name: 'travel',
      label: '旅游出行',
      categories: ['旅行'],
      ratedProducts: false,
    });
    runAs('finance');
    expect((await w.ok(OWNER_A, { action: 'targeting.options' })).scene).toMatchObject({
      name: 'finance',
      categories: ['理财', '财经'],
      ratedProducts: true,
    });
  });

  it('refuses to create a campaign the scene would never serve, and stores nothing', async () => {
    runAs('travel');
    const res = await w.call(OWNER_A, {
      action: 'campaign.create',
      campaign: validInput({ creative: { ...creative, ...foodLandingPage } }),
    });
    expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    if (res.ok) return;
    // Named on the interest targeting (the editor maps it there), with the scene and what to pick.
    expect(res.message).toContain('targeting.interestTags: 本小程序当前为「旅游出行」场景');
    expect(res.message).toContain('请在兴趣定向中选择“旅行”');
    expect(await w.opened.stores.ads.listCampaigns(w.merchantA)).toEqual([]);
    // A landing on a 美食 item does not make it about 旅行 either.
    expect(
      await w.call(OWNER_A, { action: 'campaign.create', campaign: validInput() }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it("creates a campaign that targets the scene's category, or lands on an item of it", async () => {
    runAs('travel');
    const targeted = await w.ok(OWNER_A, {
      action: 'campaign.create',
      campaign: validInput({
        targeting: { ...validInput().targeting, interestTags: ['旅行', '火锅'] },
      }),
    });
    expect(targeted.campaign.status).toBe('draft');
    const landed = await w.ok(OWNER_A, {
      action: 'campaign.create',
      campaign: validInput({
        creative: { ...creative, landing: { kind: 'item', itemId: 'item-2' } },
      }),
    });
    expect(
      (await w.ok(OWNER_A, { action: 'campaign.start', campaignId: landed.campaign.id })).campaign
        .status,
    ).toBe('active');
  });

  it('serves a risk-rated product in 金融理财 whatever its targeting, not in 旅游出行', async () => {
    runAs('finance');
    const rated = validInput({ riskLevel: 2, creative: { ...creative, ...foodLandingPage } });
    expect(
      (await w.ok(OWNER_A, { action: 'campaign.create', campaign: rated })).campaign.riskLevel,
    ).toBe(2);
    expect(
      await w.call(OWNER_A, {
        action: 'campaign.create',
        campaign: { ...rated, riskLevel: undefined },
      }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringContaining('“理财”或“财经”'),
    });
    runAs('travel');
    expect(await w.call(OWNER_A, { action: 'campaign.create', campaign: rated })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });

  it('keeps a campaign stored under another scene loading; refuses to start it or keep it out on edit', async () => {
    const made = (await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() }))
      .campaign;
    const active = (await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() }))
      .campaign;
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: active.id });
    runAs('travel');

    expect((await w.ok(STAFF_A, { action: 'campaign.get', campaignId: made.id })).campaign.id).toBe(
      made.id,
    );
    // The list says which would never serve here, and why.
    const listed = (await w.ok(STAFF_A, { action: 'campaign.list' })).campaigns;
    expect(listed.map((c) => c.outOfScene)).toEqual([
      expect.stringContaining('「旅游出行」场景'),
      expect.stringContaining('「旅游出行」场景'),
    ]);
    // An edit that leaves what it is about alone goes through.
    const renamed = await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: made.id,
      patch: { name: '改个名字' },
    });
    expect(renamed.campaign.name).toBe('改个名字');
    // Starting it would run a campaign that never shows.
    const start = await w.call(OWNER_A, { action: 'campaign.start', campaignId: made.id });
    expect(start).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringContaining('「旅游出行」场景'),
    });
    expect((await w.opened.stores.ads.getCampaign(made.id))!.status).toBe('draft');
    // The running one can still be paused (and then not resumed), and ended.
    await w.ok(STAFF_A, { action: 'campaign.pause', campaignId: active.id });
    expect(
      await w.call(OWNER_A, { action: 'campaign.resume', campaignId: active.id }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    await w.ok(OWNER_A, { action: 'campaign.end', campaignId: active.id });
    // A targeting edit that stays out is refused; one into the scene is taken, and then it starts.
    const stillOut = await w.call(OWNER_A, {
      action: 'campaign.update',
      campaignId: made.id,
      patch: { targeting: { ...validInput().targeting, interestTags: ['火锅'] } },
    });
    expect(stillOut).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await w.opened.stores.ads.getCampaign(made.id))!.targeting.interestTags).toEqual([
      '美食',
      '火锅',
    ]);
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: made.id,
      patch: { targeting: { ...validInput().targeting, interestTags: ['旅行'] } },
    });
    expect(
      (await w.ok(OWNER_A, { action: 'campaign.start', campaignId: made.id })).campaign.status,
    ).toBe('active');
    // Now in the scene; the ended one is past caring.
    const after = (await w.ok(OWNER_A, { action: 'campaign.list' })).campaigns;
    expect(after.map((c) => c.outOfScene)).toEqual([undefined, undefined]);
  });

  it('lists a campaign landing on an item of the scene as serving, and flags nothing in 综合', async () => {
    const landed = (
      await w.ok(OWNER_A, {
        action: 'campaign.create',
        campaign: validInput({
          creative: { ...creative, landing: { kind: 'item', itemId: 'item-2' } },
        }),
      })
    ).campaign;
    await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() });
    const flagged = async () =>
      Object.fromEntries(
        (await w.ok(OWNER_A, { action: 'campaign.list' })).campaigns.map((c) => [
          c.id === landed.id ? 'landed' : 'food',
          c.outOfScene !== undefined,
        ]),
      );
    expect(await flagged()).toEqual({ landed: false, food: false });
    runAs('travel');
    expect(await flagged()).toEqual({ landed: false, food: true });
  });

  it('takes every campaign in 综合 and 智能客服', async () => {
    for (const scene of ['general', 'support'] as const) {
      runAs(scene);
      const c = await w.ok(OWNER_A, {
        action: 'campaign.create',
        campaign: validInput({ creative: { ...creative, ...foodLandingPage } }),
      });
      await w.ok(OWNER_A, { action: 'campaign.start', campaignId: c.campaign.id });
    }
  });

  describe('creative experiments', () => {
    // A campaign about 美食 by its targeting that serves in 旅游出行 only through its landing (item-2, 旅行).
    const travelLanding: Creative = { ...creative, landing: { kind: 'item', itemId: 'item-2' } };
    const onFood: Creative = { ...creative, title: '落地到美食' }; // item-1 (美食)
    const onPage: Creative = { ...creative, title: '落地到首页', ...foodLandingPage };
    const onHidden: Creative = {
      ...creative,
      title: '落地到未发布内容',
      landing: { kind: 'item', itemId: 'item-hidden' },
    };
    const experiment = (campaignId: string, ...others: Creative[]): ExperimentInput => ({
      name: '落地页测试',
      parameter: 'ad.creative',
      campaignId,
      trafficPercent: 100,
      variants: [
        { name: 'control', weight: 1, value: travelLanding },
        ...others.map((value, i) => ({ name: `v${i + 1}`, weight: 1, value })),
      ],
      targetMetric: 'ctr',
      guardrails: [],
    });
    const campaignLandingOnTravel = async (interestTags = ['美食', '火锅']) =>
      (
        await w.ok(OWNER_A, {
          action: 'campaign.create',
          campaign: validInput({
            creative: travelLanding,
            targeting: { ...validInput().targeting, interestTags },
          }),
        })
      ).campaign.id;
    /** The reason of the one issue at `path` in an INVALID_INPUT message. */
    const reasonAt = (message: string, path: string) =>
      message.slice(message.indexOf(`${path}: `) + path.length + 2).split('; ')[0];

    it("refuses a variant that lands outside the scene, naming it, with the campaign's message; nothing stored", async () => {
      runAs('travel');
      const campaignId = await campaignLandingOnTravel();
      const before = await w.opened.dumpAll!();
      const res = await w.call(OWNER_A, {
        action: 'experiment.create',
        experiment: experiment(campaignId, onFood, onPage, onHidden),
      });
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      if (res.ok) return;
      // The control lands on 旅行; the three others do not.
      expect(res.message).not.toContain('variants.0.');
      // The same reason as the campaign's own refusal, shown with that creative.
      const asCampaign = await w.call(OWNER_A, {
        action: 'campaign.create',
        campaign: validInput({ creative: onFood }),
      });
      expect(asCampaign).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      if (asCampaign.ok) return;
      const reason = reasonAt(asCampaign.message, 'targeting.interestTags');
      expect(reason).toContain('本小程序当前为「旅游出行」场景');
      for (const i of [1, 2, 3])
        expect(reasonAt(res.message, `experiment.variants.${i}.value.landing`)).toBe(reason);
      expect(await w.opened.dumpAll!()).toEqual(before);
      // Without them, the experiment is made.
      const ok = await w.ok(OWNER_A, {
        action: 'experiment.create',
        experiment: experiment(campaignId, { ...travelLanding, title: '只改标题' }),
      });
      expect(ok.experiment.status).toBe('draft');
    });

    it("takes any landing when the campaign's targeting already names the scene's category", async () => {
      runAs('travel');
      const campaignId = await campaignLandingOnTravel(['旅行', '火锅']);
      const made = await w.ok(OWNER_A, {
        action: 'experiment.create',
        experiment: experiment(campaignId, onFood, onPage),
      });
      expect(made.experiment.variants).toHaveLength(3);
    });

    it('checks the variants again at start: a draft made under another scene does not start, and changes nothing', async () => {
      const campaignId = await campaignLandingOnTravel();
      const draft = (
        await w.ok(OWNER_A, {
          action: 'experiment.create',
          experiment: experiment(campaignId, onFood),
        })
      ).experiment;
      runAs('travel');
      const before = await w.opened.dumpAll!();
      const res = await w.call(OWNER_A, { action: 'experiment.start', experimentId: draft.id });
      expect(res).toMatchObject({ ok: false, code: 'CONFLICT' });
      if (res.ok) return;
      // The same message as starting the campaign with that creative would give.
      const stored = (await w.opened.stores.ads.getCampaign(campaignId))!;
      await w.opened.stores.ads.upsertCampaigns([{ ...stored, creative: onFood }]);
      const asCampaign = await w.call(OWNER_A, { action: 'campaign.start', campaignId });
      expect(asCampaign).toMatchObject({ ok: false, code: 'CONFLICT', message: res.message });
      await w.opened.stores.ads.upsertCampaigns([stored]);
      expect(await w.opened.dumpAll!()).toEqual(before);
      runAs('general');
      expect(
        (await w.ok(OWNER_A, { action: 'experiment.start', experimentId: draft.id })).experiment
          .status,
      ).toBe('running');
    });
  });
});
