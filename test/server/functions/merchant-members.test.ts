/**
 * Taking merchant access back (issue 21), on both adapters: owners list members by role and a
 * display name (never an openid), remove one, who loses access at once; open invitations are
 * listed and revoked, after which the code joins nobody; both are audited; and only the
 * merchant's owners and platform admins may do any of it.
 */
import { bothAdapters } from '../../helpers/adapters';
import {
  ADMIN,
  OWNER_A,
  OWNER_B,
  STAFF_A,
  useMerchantWorld,
  USER,
} from '../../helpers/merchant-world';

describe.each(bothAdapters)('merchant members and invitations on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  it('lists members by role and display name, and a removed staff member loses access at once', async () => {
    const { members } = await w.ok(OWNER_A, { action: 'member.list', merchantId: w.merchantA });
    expect(members.map((m) => [m.role, m.you]).sort()).toEqual([
      ['owner', true],
      ['staff', false],
    ]);
    const staff = members.find((m) => m.role === 'staff')!;
    expect(staff.displayName).toMatch(/^员工 [0-9A-F]{6}$/);
    expect(JSON.stringify(members)).not.toMatch(new RegExp(`${STAFF_A}|${OWNER_A}`));

    expect(await w.call(STAFF_A, { action: 'campaign.list' })).toMatchObject({ ok: true });
    await w.ok(OWNER_A, {
      action: 'member.remove',
      merchantId: w.merchantA,
      memberId: staff.memberId,
    });
    expect(await w.call(STAFF_A, { action: 'campaign.list' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const { entries } = await w.ok(OWNER_A, { action: 'merchant.audit', merchantId: w.merchantA });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'member.remove',
        subject: staff.displayName,
        actorName: expect.stringMatching(/^所有者 [0-9A-F]{6}$/),
      }),
    ]);
    expect(JSON.stringify(entries)).not.toMatch(new RegExp(`${STAFF_A}|${OWNER_A}`));
  });

  it('refuses removing oneself, an owner (unless admin), and callers who do not manage the merchant', async () => {
    const { members } = await w.ok(OWNER_A, { action: 'member.list', merchantId: w.merchantA });
    const owner = members.find((m) => m.role === 'owner')!;
    const staff = members.find((m) => m.role === 'staff')!;
    const remove = (memberId: string) => ({
      action: 'member.remove' as const,
      merchantId: w.merchantA,
      memberId,
    });
    const before = await w.opened.dumpAll!();
    expect(await w.call(OWNER_A, remove(owner.memberId))).toMatchObject({ code: 'CONFLICT' });
    for (const caller of [STAFF_A, OWNER_B, USER])
      expect(await w.call(caller, remove(staff.memberId))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await w.call(OWNER_A, remove('0'.repeat(20)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await w.call(OWNER_A, remove('not-an-id'))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await w.opened.dumpAll!()).toEqual(before);
    await w.ok(ADMIN, remove(owner.memberId));
    expect(await w.call(OWNER_A, { action: 'campaign.list' })).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lists open invitations and revokes one: its code then joins nobody', async () => {
    const { code } = await w.ok(OWNER_A, {
      action: 'invite.create',
      merchantId: w.merchantA,
      role: 'staff',
    });
    const { invitations } = await w.ok(OWNER_A, {
      action: 'invite.list',
      merchantId: w.merchantA,
    });
    expect(invitations).toHaveLength(1);
    expect(JSON.stringify(invitations)).not.toContain(code);
    for (const caller of [STAFF_A, OWNER_B])
      expect(
        await w.call(caller, {
          action: 'invite.revoke',
          merchantId: w.merchantA,
          inviteId: invitations[0].inviteId,
        }),
      ).toMatchObject({ code: 'FORBIDDEN' });
    await w.ok(OWNER_A, {
      action: 'invite.revoke',
      merchantId: w.merchantA,
      inviteId: invitations[0].inviteId,
    });
    expect(await w.call(USER, { action: 'invite.redeem', code })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      (await w.ok(OWNER_A, { action: 'invite.list', merchantId: w.merchantA })).invitations,
    ).toEqual([]);
    expect(
      await w.call(OWNER_A, {
        action: 'invite.revoke',
        merchantId: w.merchantA,
        inviteId: invitations[0].inviteId,
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const { entries } = await w.ok(OWNER_A, { action: 'merchant.audit', merchantId: w.merchantA });
    expect(entries.map((e) => e.action)).toEqual(['invite.revoke']);
  });
});
