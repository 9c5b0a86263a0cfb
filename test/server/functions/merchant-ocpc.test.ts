/**
 * `merchant` campaigns' bidding on both adapters: cpc by default (absent), oCPC with a target
 * cost per order set at creation or by an edit, audited; a bad bidding is refused with
 * INVALID_INPUT naming the field, and nothing is stored or changed.
 */
import { bothAdapters } from '../../helpers/adapters';
import { OWNER_A, STAFF_A, useMerchantWorld, validInput } from '../../helpers/merchant-world';

describe.each(bothAdapters)('campaign bidding on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  it('stores oCPC with its target, reads it back, edits it both ways, and audits each change', async () => {
    const plain = (await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() }))
      .campaign;
    expect(plain.bidding).toBeUndefined();
    const { campaign } = await w.ok(OWNER_A, {
      action: 'campaign.create',
      campaign: validInput({ bidFen: 300, bidding: { mode: 'ocpc', targetCpaFen: 5000 } }),
    });
    expect(campaign.bidding).toEqual({ mode: 'ocpc', targetCpaFen: 5000 });
    const got = await w.ok(OWNER_A, { action: 'campaign.get', campaignId: campaign.id });
    expect(got.campaign.bidding).toEqual({ mode: 'ocpc', targetCpaFen: 5000 });
    expect((await w.opened.stores.ads.getCampaign(campaign.id))!.bidding).toEqual({
      mode: 'ocpc',
      targetCpaFen: 5000,
    });
    const back = await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: campaign.id,
      patch: { bidding: { mode: 'cpc' } },
    });
    expect(back.campaign.bidding).toEqual({ mode: 'cpc' });
    await w.ok(OWNER_A, {
      action: 'campaign.update',
      campaignId: plain.id,
      patch: { bidding: { mode: 'ocpc', targetCpaFen: 8800 } },
    });
    expect((await w.opened.stores.ads.getCampaign(plain.id))!.bidding).toEqual({
      mode: 'ocpc',
      targetCpaFen: 8800,
    });
    const audit = await w.ok(OWNER_A, { action: 'campaign.audit', campaignId: campaign.id });
    expect(audit.entries.map((e) => e.changes.find((c) => c.field === 'bidding'))).toEqual(
      expect.arrayContaining([
        { field: 'bidding', before: { mode: 'ocpc', targetCpaFen: 5000 }, after: { mode: 'cpc' } },
      ]),
    );
    // Staff may not change the bidding (owners edit campaigns).
    expect(
      await w.call(STAFF_A, {
        action: 'campaign.update',
        campaignId: plain.id,
        patch: { bidding: { mode: 'cpc' } },
      }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it.each([
    ['an unknown mode', { mode: 'ocpm', targetCpaFen: 5000 }],
    ['a target under 1 yuan', { mode: 'ocpc', targetCpaFen: 99 }],
    ['a fractional target', { mode: 'ocpc', targetCpaFen: 5000.5 }],
    ['oCPC without a target', { mode: 'ocpc' }],
    ['an extra key', { mode: 'cpc', targetCpaFen: 5000 }],
    ['a string', 'ocpc'],
  ])('refuses %s, storing nothing', async (_what, bidding) => {
    const res = await w.call(OWNER_A, {
      action: 'campaign.create',
      campaign: { ...validInput(), bidding } as never,
    });
    expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(JSON.stringify(res)).toContain('bidding');
    expect(await w.opened.stores.ads.listCampaigns(w.merchantA)).toEqual([]);
  });
});
