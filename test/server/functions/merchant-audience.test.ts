/**
 * Minimum audience (issue 21): a campaign's gender / age band / city targeting must reach at
 * least MIN_AUDIENCE users (default 100) who shared those attributes and are personalised, or
 * create, edit, start and resume answer AUDIENCE_TOO_SMALL and change nothing; both adapters.
 */
import type { CampaignInput } from '../../../typings';
import { loadConfig } from '../../../server/config';
import { bothAdapters } from '../../helpers/adapters';
import {
  ADMIN,
  OWNER_A,
  seedPropensityModel,
  seedSharedAudience,
  useMerchantWorld,
  validInput,
} from '../../helpers/merchant-world';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

type Targeting = CampaignInput['targeting'];
const targeting = (over: Partial<Targeting>): Targeting => ({
  interestTags: [],
  genders: [],
  ageBands: [],
  cities: [],
  scenes: [],
  ...over,
});

describe.each(bothAdapters)('minimum audience on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  const create = (t: Targeting) =>
    w.call(OWNER_A, { action: 'campaign.create', campaign: validInput({ targeting: t }) });
  const campaignsOfA = async () => (await w.ok(OWNER_A, { action: 'campaign.list' })).campaigns;

  it('refuses a city and gender that single people out, with a clear code and no count, storing nothing', async () => {
    // 99 women in 北京 shared their city and gender: one short of the minimum.
    await seedSharedAudience(w.opened.stores, 99, { gender: 'female', city: '北京' }, 'bj');
    const res = await create(targeting({ cities: ['北京'], genders: ['female'] }));
    expect(res).toMatchObject({
      ok: false,
      code: 'AUDIENCE_TOO_SMALL',
      message: expect.stringContaining('少于 100 人'),
    });
    expect(res.ok ? '' : res.message).not.toContain('99');
    expect(await campaignsOfA()).toEqual([]);
    // The hundredth (spelled 北京市 by its owner) makes it.
    await w.opened.stores.privacy.setDemographics(
      'bj_100',
      { gender: 'female', city: '北京市' },
      NOW,
    );
    expect(await create(targeting({ cities: ['北京'], genders: ['female'] }))).toMatchObject({
      ok: true,
    });
  });

  it('counts only personalised users who shared every restricted attribute', async () => {
    await seedSharedAudience(w.opened.stores, 100, { city: '成都' }, 'cd');
    // A city alone: 100 users.
    expect(await create(targeting({ cities: ['成都'] }))).toMatchObject({ ok: true });
    // City and gender: none of them shared a gender.
    expect(await create(targeting({ cities: ['成都'], genders: ['male'] }))).toMatchObject({
      ok: false,
      code: 'AUDIENCE_TOO_SMALL',
    });
    // One of them turns personalisation off: 99 left.
    await w.opened.stores.privacy.setPersonalised('cd_0', false, NOW);
    expect(await create(targeting({ cities: ['成都'] }))).toMatchObject({
      ok: false,
      code: 'AUDIENCE_TOO_SMALL',
    });
  });

  it('does not count interests or scenes, which also match by context: no demographic restriction, no check', async () => {
    expect(
      await create(targeting({ interestTags: ['火锅'], scenes: [1001], cities: [] })),
    ).toMatchObject({ ok: true });
  });

  it('refuses an edit that narrows the audience, and a start or resume after it shrank', async () => {
    const { campaign } = await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() });
    const narrowed = await w.call(OWNER_A, {
      action: 'campaign.update',
      campaignId: campaign.id,
      patch: { targeting: { ...validInput().targeting, genders: ['male'] } },
    });
    expect(narrowed).toMatchObject({ ok: false, code: 'AUDIENCE_TOO_SMALL' });
    expect((await w.opened.stores.ads.getCampaign(campaign.id))?.targeting.genders).toEqual([]);
    // An edit that leaves the targeting alone is not checked again.
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: campaign.id,
      patch: { bidFen: 60 },
    });
    // One of the seeded audience stops sharing: 99 left, so the draft cannot start.
    await w.opened.stores.privacy.setDemographics('aud_0', {}, NOW);
    expect(
      await w.call(OWNER_A, { action: 'campaign.start', campaignId: campaign.id }),
    ).toMatchObject({ ok: false, code: 'AUDIENCE_TOO_SMALL' });
    expect((await w.opened.stores.ads.getCampaign(campaign.id))?.status).toBe('draft');
  });

  it('counts likely buyers as their share of the scored users, and refuses them before any model', async () => {
    const buyers = (likelyBuyers: number, over: Partial<Targeting> = {}) =>
      create(targeting({ likelyBuyers, ...over }));
    const refused = await buyers(0.5);
    expect(refused).toMatchObject({
      ok: false,
      code: 'AUDIENCE_TOO_SMALL',
      message: expect.stringContaining('尚未建立购买倾向模型'),
    });
    expect(await campaignsOfA()).toEqual([]);
    // 900 scored users: the top 10 % is 90, under the minimum; the top 20 % is 180.
    await seedPropensityModel(w.opened.stores, 900);
    expect(await buyers(0.1)).toMatchObject({
      ok: false,
      code: 'AUDIENCE_TOO_SMALL',
      message: expect.stringContaining('可能购买的人群'),
    });
    expect(await buyers(0.2)).toMatchObject({ ok: true });
    // With a demographic restriction too: the share of that audience (300 × 0.3 = 90 < 100).
    await seedSharedAudience(w.opened.stores, 300, { city: '杭州' }, 'hz');
    expect(await buyers(0.3, { cities: ['杭州'] })).toMatchObject({
      ok: false,
      code: 'AUDIENCE_TOO_SMALL',
    });
    expect(await buyers(0.5, { cities: ['杭州'] })).toMatchObject({ ok: true });
  });

  it('takes its threshold from MIN_AUDIENCE', async () => {
    w.deps.config = loadConfig(
      { PLATFORM_ADMINS: ADMIN, MIN_AUDIENCE: '3' },
      { dataDir: '/nonexistent' },
    );
    await seedSharedAudience(w.opened.stores, 3, { ageBand: '55+', city: '拉萨' }, 'ls');
    expect(await create(targeting({ ageBands: ['55+'], cities: ['拉萨'] }))).toMatchObject({
      ok: true,
    });
    expect(
      await create(targeting({ ageBands: ['55+'], cities: ['拉萨'], genders: ['female'] })),
    ).toMatchObject({
      ok: false,
      code: 'AUDIENCE_TOO_SMALL',
      message: expect.stringContaining('少于 3 人'),
    });
  });
});
