/**
 * `merchant` campaigns on both adapters: the lifecycle (draft → active ⇄ paused → ended, ended
 * final), per-field validation of bad input (each refused with INVALID_INPUT naming the field,
 * nothing stored), and the audit log of every change (who, when, from what to what).
 */
import { ALL, SPEND } from '../../../server/engine/ads/counter-keys';
import { bothAdapters } from '../../helpers/adapters';
import {
  DAY_MS,
  NOW,
  OWNER_A,
  seedPropensityModel,
  STAFF_A,
  useMerchantWorld,
  validInput,
} from '../../helpers/merchant-world';

describe.each(bothAdapters)('merchant campaigns on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  const create = async (over = {}) =>
    (await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput(over) })).campaign;

  it('creates a draft that serving ignores, and walks the lifecycle; ended is final', async () => {
    const c = await create();
    expect(c).toMatchObject({
      merchantId: w.merchantA,
      status: 'draft',
      bidFen: 50,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(await w.opened.stores.ads.listCampaignsByStatus('active', 10)).toEqual([]);
    const step = async (
      action: 'campaign.start' | 'campaign.pause' | 'campaign.resume' | 'campaign.end',
    ) => (await w.ok(OWNER_A, { action, campaignId: c.id })).campaign.status;
    expect(await step('campaign.start')).toBe('active');
    expect(
      (await w.opened.stores.ads.listCampaignsByStatus('active', 10)).map((x) => x.id),
    ).toEqual([c.id]);
    expect(await step('campaign.pause')).toBe('paused');
    expect(await step('campaign.resume')).toBe('active');
    expect(await step('campaign.end')).toBe('ended');
    for (const action of [
      'campaign.resume',
      'campaign.start',
      'campaign.pause',
      'campaign.end',
    ] as const) {
      const res = await w.call(OWNER_A, { action, campaignId: c.id });
      expect(res).toMatchObject({
        ok: false,
        code: 'CONFLICT',
        message: expect.stringContaining('已结束'),
      });
    }
    expect(
      await w.call(OWNER_A, {
        action: 'campaign.update',
        campaignId: c.id,
        patch: { name: '复活' },
      }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect((await w.opened.stores.ads.getCampaign(c.id))!.status).toBe('ended');
  });

  it('refuses transitions that do not fit the status', async () => {
    const c = await create();
    expect(await w.call(OWNER_A, { action: 'campaign.pause', campaignId: c.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(await w.call(OWNER_A, { action: 'campaign.resume', campaignId: c.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: c.id });
    expect(await w.call(OWNER_A, { action: 'campaign.start', campaignId: c.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(await w.call(OWNER_A, { action: 'campaign.resume', campaignId: c.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
  });

  it('will not start or resume a campaign whose schedule is over', async () => {
    const c = await create({ endAt: NOW + DAY_MS });
    w.deps.setNow(NOW + 2 * DAY_MS);
    expect(await w.call(OWNER_A, { action: 'campaign.start', campaignId: c.id })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
  });

  /** Bad inputs, each with the field its error must name. */
  const BAD: [string, Record<string, unknown>, string][] = [
    ['bid below the platform minimum', { bidFen: 4 }, 'bidFen'],
    ['bid above the platform maximum', { bidFen: 10_001 }, 'bidFen'],
    ['negative bid', { bidFen: -5 }, 'bidFen'],
    ['fractional bid', { bidFen: 50.5 }, 'bidFen'],
    ['bid as a string', { bidFen: '50' }, 'bidFen'],
    ['huge daily budget', { dailyBudgetFen: 1e15 }, 'dailyBudgetFen'],
    [
      'daily budget over the cap',
      { dailyBudgetFen: 200_000_000, totalBudgetFen: 200_000_000 },
      'dailyBudgetFen',
    ],
    ['daily budget below one click', { dailyBudgetFen: 10 }, 'dailyBudgetFen'],
    ['total budget below the daily one', { totalBudgetFen: 5_000 }, 'totalBudgetFen'],
    ['negative total budget', { totalBudgetFen: -1 }, 'totalBudgetFen'],
    [
      'schedule ending before it starts',
      { startAt: NOW + 5 * DAY_MS, endAt: NOW + DAY_MS },
      'endAt',
    ],
    ['schedule already over', { startAt: NOW - 5 * DAY_MS, endAt: NOW - DAY_MS }, 'endAt'],
    ['hour 24', { hours: [9, 24] }, 'hours.1'],
    ['repeated hours', { hours: [9, 9] }, 'hours'],
    [
      'unknown interest tag',
      { targeting: { ...validInput().targeting, interestTags: ['美食', '不存在的标签'] } },
      'targeting.interestTags',
    ],
    [
      'tag only unpublished content carries',
      { targeting: { ...validInput().targeting, interestTags: ['秘密'] } },
      'targeting.interestTags',
    ],
    [
      'unknown age band',
      { targeting: { ...validInput().targeting, ageBands: ['12-17'] } },
      'targeting.ageBands.0',
    ],
    [
      'unknown gender',
      { targeting: { ...validInput().targeting, genders: ['other'] } },
      'targeting.genders.0',
    ],
    [
      'image that is not a file id',
      { creative: { ...validInput().creative, image: 'javascript:alert(1)' } },
      'creative.image',
    ],
    [
      'local image escaping its folder',
      { creative: { ...validInput().creative, image: 'local://../../etc/passwd' } },
      'creative.image',
    ],
    ['empty title', { creative: { ...validInput().creative, title: '   ' } }, 'creative.title'],
    [
      'landing on a missing item',
      { creative: { ...validInput().creative, landing: { kind: 'item', itemId: 'item-404' } } },
      'creative.landing.itemId',
    ],
    [
      'landing on an unpublished item',
      { creative: { ...validInput().creative, landing: { kind: 'item', itemId: 'item-hidden' } } },
      'creative.landing.itemId',
    ],
    [
      'landing on a URL',
      {
        creative: {
          ...validInput().creative,
          landing: { kind: 'page', path: 'https://evil.example/x' },
        },
      },
      'creative.landing.path',
    ],
    ['unknown field', { merchantId: 'm-other' }, ''],
  ];

  it.each(BAD)(
    'refuses a %s with INVALID_INPUT naming the field, storing nothing',
    async (_what, over, field) => {
      const before = await w.opened.dumpAll!();
      const res = await w.call(OWNER_A, {
        action: 'campaign.create',
        campaign: { ...validInput(), ...over },
      });
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      if (!res.ok) expect(res.message).toContain(field ? `${field}: ` : 'campaign');
      expect(await w.opened.dumpAll!()).toEqual(before);
    },
  );

  it('reports every problem of a request at once', async () => {
    const res = await w.call(OWNER_A, {
      action: 'campaign.create',
      campaign: { ...validInput(), bidFen: 1, totalBudgetFen: 1, endAt: NOW - DAY_MS },
    });
    expect(res.ok).toBe(false);
    if (!res.ok)
      for (const f of ['bidFen', 'totalBudgetFen', 'endAt'])
        expect(res.message).toContain(`${f}: `);
  });

  it('takes a likely-buyers audience of one of the offered top shares, refuses another, and edits it off', async () => {
    await seedPropensityModel(w.opened.stores, 10_000);
    const targeting = { ...validInput().targeting, ageBands: [], cities: [], likelyBuyers: 0.2 };
    const c = await create({ targeting });
    expect((await w.opened.stores.ads.getCampaign(c.id))?.targeting.likelyBuyers).toBe(0.2);
    for (const likelyBuyers of [0.15, 0, 1, -0.1, '0.2']) {
      const res = await w.call(OWNER_A, {
        action: 'campaign.create',
        campaign: validInput({ targeting: { ...targeting, likelyBuyers } as never }),
      });
      expect(res).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
        message: expect.stringContaining('campaign.targeting.likelyBuyers: '),
      });
    }
    const { likelyBuyers: _drop, ...everyone } = targeting;
    void _drop;
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: c.id,
      patch: { targeting: everyone },
      expectedRevision: 1,
    });
    expect((await w.opened.stores.ads.getCampaign(c.id))?.targeting).not.toHaveProperty(
      'likelyBuyers',
    );
  });

  it('accepts uploaded images only (cloud ads/ of this environment, local uploads), page landings, and an empty targeting', async () => {
    for (const image of [
      'https://example.com/a.png', // a merchant's server would see every viewer
      'https://example.com/pixel.gif?u=1',
      'cloud://prod-1a2b.7072-prod/recsys/blobs/abc',
      'cloud://prod-1a2b.7072-prod/ads/../recsys/x.png',
      'local://ads/a.png',
      // The cloud adapter: only this environment's published images (a file of another
      // environment is storage someone else controls); the local host: only its own uploads.
      _name === 'cloud'
        ? 'cloud://prod-1a2b.7072-prod/ads/a.png'
        : `local://uploads/x/${'ab'.repeat(16)}.png`,
      ...(_name === 'cloud' ? [`local://uploads/${'ab'.repeat(32)}.png`] : []),
    ]) {
      const res = await w.call(OWNER_A, {
        action: 'campaign.create',
        campaign: { ...validInput(), creative: { ...validInput().creative, image } },
      });
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    for (const image of [
      _name === 'cloud'
        ? 'cloud://test-env.7465-test-env-1250000000/ads/a.png'
        : `local://uploads/${'ab'.repeat(32)}.png`,
      '',
    ]) {
      await create({
        creative: {
          ...validInput().creative,
          image,
          landing: { kind: 'page', path: 'pages/feed/index' },
        },
      });
    }
    await create({
      targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
    });
    expect((await w.ok(OWNER_A, { action: 'campaign.list' })).campaigns).toHaveLength(3);
  });

  it('edits checked against the merged campaign and what it has spent; bad edits change nothing', async () => {
    const c = await create();
    await w.opened.stores.counters.add([
      { scope: SPEND, id: c.id, bucket: ALL, field: 'spentFen', by: 60_000 },
    ]);
    expect(
      await w.call(OWNER_A, {
        action: 'campaign.update',
        campaignId: c.id,
        patch: { totalBudgetFen: 50_000 },
      }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringContaining('totalBudgetFen'),
    });
    expect(
      await w.call(OWNER_A, {
        action: 'campaign.update',
        campaignId: c.id,
        patch: { dailyBudgetFen: 200_000 },
      }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(
      await w.call(OWNER_A, { action: 'campaign.update', campaignId: c.id, patch: {} }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await w.opened.stores.ads.getCampaign(c.id)).toEqual(c);
    w.deps.setNow(NOW + 1000);
    const updated = (
      await w.ok(OWNER_A, {
        action: 'campaign.update',
        campaignId: c.id,
        patch: { bidFen: 80, totalBudgetFen: 70_000 },
      })
    ).campaign;
    expect(updated).toEqual({
      ...c,
      bidFen: 80,
      totalBudgetFen: 70_000,
      updatedAt: NOW + 1000,
      revision: 2,
    });
  });

  /** Holds every conditional write until `n` of them have arrived: each caller has read the campaign before any writes it. */
  function writesMeet(n: number): void {
    const ads = w.opened.stores.ads;
    const write = ads.updateCampaign.bind(ads);
    let waiting: (() => void)[] = [];
    ads.updateCampaign = async (c, expected) => {
      await new Promise<void>((go) => {
        waiting.push(go);
        if (waiting.length < n) return;
        waiting.forEach((f) => f());
        waiting = [];
      });
      return write(c, expected);
    };
  }

  it('two edits from the same read: one wins, the other answers CONFLICT asking for a reload; one audit entry', async () => {
    const c = await create();
    expect(c.revision).toBe(1);
    writesMeet(2);
    const [a, b] = await Promise.all([
      w.call(OWNER_A, { action: 'campaign.update', campaignId: c.id, patch: { bidFen: 70 } }),
      w.call(OWNER_A, {
        action: 'campaign.update',
        campaignId: c.id,
        patch: { name: '双十二推广' },
      }),
    ]);
    const won = a.ok ? a : b;
    const lost = a.ok ? b : a;
    expect(won).toMatchObject({ ok: true, data: { campaign: { revision: 2 } } });
    expect(lost).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringContaining('请刷新'),
    });
    const stored = (await w.opened.stores.ads.getCampaign(c.id))!;
    expect(stored.revision).toBe(2);
    // Exactly one of the two changes landed, and the log names only that one.
    expect([stored.bidFen === 70, stored.name === '双十二推广'].filter(Boolean)).toHaveLength(1);
    const { entries } = await w.ok(OWNER_A, { action: 'campaign.audit', campaignId: c.id });
    expect(entries.map((e) => e.action)).toEqual(['create', 'update']);
    expect(entries[1].changes.map((ch) => ch.field)).toEqual([
      stored.bidFen === 70 ? 'bidFen' : 'name',
    ]);
  });

  it('an edit racing a status change from the same read: one lands, the status is never undone', async () => {
    const c = await create();
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: c.id });
    writesMeet(2);
    const [edit, pause] = await Promise.all([
      w.call(OWNER_A, { action: 'campaign.update', campaignId: c.id, patch: { bidFen: 90 } }),
      w.call(STAFF_A, { action: 'campaign.pause', campaignId: c.id }),
    ]);
    expect([edit.ok, pause.ok].filter(Boolean)).toHaveLength(1);
    const stored = (await w.opened.stores.ads.getCampaign(c.id))!;
    expect(stored).toMatchObject(
      pause.ok
        ? { status: 'paused', bidFen: 50, revision: 3 }
        : { status: 'active', bidFen: 90, revision: 3 },
    );
    expect(
      (await w.ok(OWNER_A, { action: 'campaign.audit', campaignId: c.id })).entries,
    ).toHaveLength(3);
  });

  it('refuses an edit or status change made on a stale screen (the revision the editor loaded), changing nothing', async () => {
    const c = await create();
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: c.id,
      patch: { bidFen: 60 },
      expectedRevision: 1,
    });
    const stale = await w.call(OWNER_A, {
      action: 'campaign.update',
      campaignId: c.id,
      patch: { name: '旧页面' },
      expectedRevision: 1,
    });
    expect(stale).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringContaining('请刷新'),
    });
    expect(
      await w.call(OWNER_A, { action: 'campaign.start', campaignId: c.id, expectedRevision: 1 }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(
      await w.call(OWNER_A, {
        action: 'campaign.update',
        campaignId: c.id,
        patch: { name: 'x' },
        expectedRevision: -1,
      }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await w.opened.stores.ads.getCampaign(c.id)).toMatchObject({
      bidFen: 60,
      name: c.name,
      status: 'draft',
      revision: 2,
    });
    expect(
      (await w.ok(OWNER_A, { action: 'campaign.start', campaignId: c.id, expectedRevision: 2 }))
        .campaign,
    ).toMatchObject({ status: 'active', revision: 3 });
  });

  it('edits a campaign stored before revisions existed (read as revision 0)', async () => {
    const c = await create();
    const { revision, ...legacy } = c;
    void revision;
    await w.opened.stores.ads.upsertCampaigns([legacy]);
    expect(
      (
        await w.ok(OWNER_A, {
          action: 'campaign.update',
          campaignId: c.id,
          patch: { bidFen: 65 },
          expectedRevision: 0,
        })
      ).campaign,
    ).toMatchObject({ bidFen: 65, revision: 1 });
  });

  it("lists each campaign with today's spend and clicks (CST day) and its lifetime spend, from the budget counters", async () => {
    const spent = await create({ name: '有花费' });
    const idle = await create({ name: '没花费' });
    // NOW is 10:00 CST on 2026-11-28; yesterday's counter must not count as today.
    await w.opened.stores.counters.add([
      { scope: SPEND, id: spent.id, bucket: '20261128', field: 'spentFen', by: 345 },
      { scope: SPEND, id: spent.id, bucket: '20261128', field: 'clicks', by: 3 },
      { scope: SPEND, id: spent.id, bucket: '20261127', field: 'spentFen', by: 1_000 },
      { scope: SPEND, id: spent.id, bucket: ALL, field: 'spentFen', by: 1_345 },
      { scope: SPEND, id: spent.id, bucket: ALL, field: 'clicks', by: 13 },
    ]);
    const { campaigns } = await w.ok(STAFF_A, { action: 'campaign.list' });
    const byName = Object.fromEntries(campaigns.map((c) => [c.name, c]));
    expect(byName['有花费']).toEqual({
      ...spent,
      today: { day: '20261128', clicks: 3, spentFen: 345 },
      spentTotalFen: 1_345,
    });
    expect(byName['没花费']).toEqual({
      ...idle,
      today: { day: '20261128', clicks: 0, spentFen: 0 },
      spentTotalFen: 0,
    });
    // At 00:30 CST the next day, today starts from zero again.
    w.deps.setNow(Date.UTC(2026, 10, 28, 16, 30));
    const next = (await w.ok(OWNER_A, { action: 'campaign.list' })).campaigns.find(
      (c) => c.id === spent.id,
    );
    expect(next?.today).toEqual({ day: '20261129', clicks: 0, spentFen: 0 });
    expect(next?.spentTotalFen).toBe(1_345);
  });

  it("offers the catalog's published categories and tags as targeting options, nothing unpublished", async () => {
    const { options } = await w.ok(STAFF_A, { action: 'targeting.options' });
    expect(options).toEqual({ categories: ['旅行', '美食'], tags: ['川菜', '火锅', '露营'] });
    expect(
      await w.call(OWNER_A, { action: 'targeting.options', extra: 1 } as Record<string, unknown>),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('keeps an audit log of every change: who, when, what changed from what', async () => {
    const c = await create();
    w.deps.setNow(NOW + 1000);
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: c.id,
      patch: { bidFen: 70, name: c.name },
    });
    w.deps.setNow(NOW + 2000);
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: c.id });
    w.deps.setNow(NOW + 3000);
    await w.ok(STAFF_A, { action: 'campaign.pause', campaignId: c.id });
    // A no-op edit and refused calls leave no entry.
    await w.ok(OWNER_A, { action: 'campaign.update', campaignId: c.id, patch: { bidFen: 70 } });
    await w.call(OWNER_A, { action: 'campaign.pause', campaignId: c.id });
    await w.call(OWNER_A, { action: 'campaign.update', campaignId: c.id, patch: { bidFen: 1 } });

    const { entries } = await w.ok(STAFF_A, { action: 'campaign.audit', campaignId: c.id });
    // Colleagues are named by role and a keyed display name, never by openid.
    expect(entries.map((e) => [e.action, e.actorRole, e.at])).toEqual([
      ['create', 'owner', NOW],
      ['update', 'owner', NOW + 1000],
      ['start', 'owner', NOW + 2000],
      ['pause', 'staff', NOW + 3000],
    ]);
    expect(entries[0].actorName).toMatch(/^所有者 [0-9A-F]{6}$/);
    expect(entries[3].actorName).toMatch(/^员工 [0-9A-F]{6}$/);
    expect(entries[1].actorName).toBe(entries[0].actorName);
    expect(JSON.stringify(entries)).not.toContain(OWNER_A);
    expect(JSON.stringify(entries)).not.toContain(STAFF_A);
    expect(entries[0]).not.toHaveProperty('actor');
    // A removed member is a former member; an erased one is named as erased.
    await w.opened.stores.merchants.removeMember(STAFF_A);
    await w.opened.stores.personal.erase('campaign_audit', OWNER_A, 100);
    const later = (await w.ok(OWNER_A, { action: 'campaign.audit', campaignId: c.id })).entries;
    expect(later.map((e) => [e.actorRole, e.actorName])).toEqual([
      ['erased', '已注销的用户'],
      ['erased', '已注销的用户'],
      ['erased', '已注销的用户'],
      ['former', '已离开的成员'],
    ]);
    expect(entries[0].changes.map((ch) => ch.field)).toEqual(
      expect.arrayContaining(['name', 'bidFen', 'creative', 'status']),
    );
    expect(entries[0].changes.find((ch) => ch.field === 'bidFen')).toEqual({
      field: 'bidFen',
      before: null,
      after: 50,
    });
    expect(entries[1].changes).toEqual([{ field: 'bidFen', before: 50, after: 70 }]);
    expect(entries[3].changes).toEqual([{ field: 'status', before: 'active', after: 'paused' }]);
    expect(entries.every((e) => e.campaignId === c.id && e.merchantId === w.merchantA)).toBe(true);
  });
});
