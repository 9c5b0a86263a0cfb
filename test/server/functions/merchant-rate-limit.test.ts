/** Heavy merchant calls are limited per merchant per minute (issue 21), on both adapters. */
import { bothAdapters } from '../../helpers/adapters';
import {
  OWNER_A,
  OWNER_B,
  STAFF_A,
  useMerchantWorld,
  validInput,
} from '../../helpers/merchant-world';

describe.each(bothAdapters)('merchant rate limit on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  it('counts reports of all members of a merchant together and refuses past the limit, not other merchants', async () => {
    const max = 3;
    w.deps.config = { ...w.deps.config, merchantHeavyPerMinute: max };
    const { campaign } = await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() });
    const { campaign: b } = await w.ok(OWNER_B, {
      action: 'campaign.create',
      campaign: validInput(),
    });
    const report = (campaignId: string) => ({
      action: 'report.daily' as const,
      campaignId,
      from: '20261128',
      to: '20261128',
    });
    for (const caller of [OWNER_A, STAFF_A, OWNER_A])
      expect(await w.call(caller, report(campaign.id))).toMatchObject({ ok: true });
    expect(await w.call(STAFF_A, report(campaign.id))).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      message: expect.stringContaining('每分钟最多 3 次'),
    });
    expect(await w.call(OWNER_B, report(b.id))).toMatchObject({ ok: true });
    // The next minute counts afresh.
    w.deps.setNow(w.deps.now() + 60_000);
    expect(await w.call(OWNER_A, report(campaign.id))).toMatchObject({ ok: true });
  });
});
