/**
 * Merchants' subscription messages from `train`'s maintenance, on both adapters: a campaign whose
 * total or daily budget is used up and one ending within a day tell each member who accepted,
 * once per campaign and event however many rounds run; nothing without an accepted send, nothing
 * for paused campaigns or other merchants, nothing while the templates are not configured.
 */
import type { LocalSubscribeMessages } from '../../../server/adapters/sqlite/local-subscribe';
import { ALL, SPEND } from '../../../server/engine/ads/counter-keys';
import { dayBucket } from '../../../server/engine/time';
import { noticeCampaigns } from '../../../server/merchant/campaign-notices';
import { bothAdapters, cloudTransport } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { makeCampaign } from '../../helpers/fixtures';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const HOUR = 3_600_000;
const TEMPLATES = { reply: '', budget: 'tpl-budget', ending: 'tpl-ending' };

describe.each(bothAdapters)('campaign notices on %s', (name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const cloud = name !== 'sqlite';
  const round = () =>
    noticeCampaigns(deps, NOW, { budgetMs: 10_000, clock: () => performance.now() });
  const accepts = async (openid: string, topic: 'budget' | 'ending', times = 1) => {
    for (let i = 0; i < times; i++) {
      if (cloud) cloudTransport()!.subscribe.accept(openid, TEMPLATES[topic]);
      await opened.stores.subscriptions.grant(openid, [TEMPLATES[topic]], NOW);
    }
  };
  const delivered = async (openid: string) =>
    (cloud
      ? cloudTransport()!.subscribe.delivered.filter((m) => m.touser === openid)
      : await (opened.stores.subscribeMessages as LocalSubscribeMessages).outbox(openid)
    ).map((m) => JSON.stringify(m));
  const spend = (id: string, bucket: string, by: number) =>
    opened.stores.counters.add([{ scope: SPEND, id, bucket, field: 'spentFen', by }]);

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    deps.config = { ...deps.config, subscribeTemplates: TEMPLATES };
    if (cloud) {
      cloudTransport()!.subscribe.templates.set('tpl-budget', ['thing1', 'thing2', 'time3']);
      cloudTransport()!.subscribe.templates.set('tpl-ending', ['thing1', 'time2', 'thing3']);
    } else (opened.stores.subscribeMessages as LocalSubscribeMessages).templates = TEMPLATES;
    const m = (merchantId: string) => ({
      merchantId,
      role: 'owner' as const,
      joinedAt: NOW - HOUR,
    });
    await opened.stores.merchants.addMember('owner-a', m('m-1'));
    await opened.stores.merchants.addMember('staff-a', { ...m('m-1'), role: 'staff' });
    await opened.stores.merchants.addMember('owner-b', m('m-2'));
    await opened.stores.ads.upsertCampaigns([
      makeCampaign('spent', {
        name: '双十二火锅节满减活动（成都三家门店）',
        totalBudgetFen: 10_000,
      }),
      makeCampaign('today', { dailyBudgetFen: 1_000 }),
      makeCampaign('ending', { endAt: NOW + 5 * HOUR }),
      makeCampaign('later', { endAt: NOW + 30 * HOUR }),
      makeCampaign('paused', { status: 'paused', endAt: NOW + HOUR, totalBudgetFen: 100 }),
      makeCampaign('other', { merchantId: 'm-2', endAt: NOW + HOUR }),
    ]);
    await spend('spent', ALL, 9_960); // 40 fen left: less than one 50-fen click
    await spend('today', dayBucket(NOW), 990);
    await spend('today', ALL, 990);
  });
  afterEach(() => opened.cleanup());

  it('tells each member who accepted, once per campaign and event, however many rounds run', async () => {
    await accepts('owner-a', 'budget', 5);
    await accepts('owner-a', 'ending', 5);
    await accepts('staff-a', 'ending');
    await round();
    await round();
    const owner = await delivered('owner-a');
    expect(owner).toHaveLength(3);
    expect(owner.join('\n')).toContain('双十二火锅节满减活动（成都三家门店）');
    expect(owner.join('\n')).toContain('总预算已用完');
    expect(owner.join('\n')).toContain('今日预算已用完');
    expect(owner.join('\n')).toContain('2026-12-06 16:00'); // 'ending' ends 08:00 UTC = 16:00 CST
    expect(owner.join('\n')).toContain('merchant/pages/campaign/index?campaignId=ending');
    // One ending accept: the first of the two ending campaigns it hears of; never the paused one.
    expect(await delivered('staff-a')).toHaveLength(1);
    expect((await delivered('staff-a'))[0]).toContain('ending');
    expect(await delivered('owner-b')).toEqual([]); // accepted nothing
    expect(await opened.stores.subscriptions.quotas('owner-a')).toEqual({
      'tpl-budget': 3,
      'tpl-ending': 4,
    });
  });

  it('sends nothing while the templates are not configured', async () => {
    await accepts('owner-a', 'budget');
    deps.config = { ...deps.config, subscribeTemplates: { reply: '', budget: '', ending: '' } };
    expect(await round()).toEqual({ sent: 0, checked: 0 });
    expect(await delivered('owner-a')).toEqual([]);
  });
});
