/**
 * `merchant` roles on both adapters: merchants and invitation codes from the platform admin,
 * joining with a code (once), and the full authorisation matrix — every caller (ordinary user,
 * merchant A's owner and staff, merchant B's owner, platform admin) × every action — where each
 * refusal has its stable code and changes nothing stored.
 */
import type { MerchantRequest } from '../../../typings';
import { bothAdapters } from '../../helpers/adapters';
import {
  ADMIN,
  CALLERS,
  campaignOfA,
  DAY_MS,
  NOW,
  OWNER_A,
  OWNER_B,
  STAFF_A,
  staffCodeOfA,
  useMerchantWorld,
  USER,
  validInput,
  type Outcome,
} from '../../helpers/merchant-world';

/** Each action: the campaign state it needs (of merchant A), and the outcome per caller in CALLERS order. */
type Needs = Parameters<typeof campaignOfA>[1];
const MATRIX: { action: MerchantRequest['action']; needs?: Needs; expect: Outcome[] }[] = [
  { action: 'me', expect: ['ok', 'ok', 'ok', 'ok', 'ok'] },
  { action: 'merchant.create', expect: ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok'] },
  { action: 'invite.create', expect: ['FORBIDDEN', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'ok'] },
  { action: 'invite.redeem', expect: ['ok', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'ok'] },
  { action: 'campaign.list', expect: ['FORBIDDEN', 'ok', 'ok', 'ok', 'FORBIDDEN'] },
  { action: 'targeting.options', expect: ['FORBIDDEN', 'ok', 'ok', 'ok', 'FORBIDDEN'] },
  {
    action: 'campaign.get',
    needs: 'draft',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN'],
  },
  { action: 'campaign.create', expect: ['FORBIDDEN', 'ok', 'FORBIDDEN', 'ok', 'FORBIDDEN'] },
  {
    action: 'campaign.update',
    needs: 'active',
    expect: ['FORBIDDEN', 'ok', 'FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'campaign.start',
    needs: 'draft',
    expect: ['FORBIDDEN', 'ok', 'FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'campaign.pause',
    needs: 'active',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'campaign.resume',
    needs: 'paused',
    expect: ['FORBIDDEN', 'ok', 'FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'campaign.end',
    needs: 'active',
    expect: ['FORBIDDEN', 'ok', 'FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'campaign.audit',
    needs: 'draft',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'report.daily',
    needs: 'active',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN'],
  },
  {
    action: 'report.breakdown',
    needs: 'active',
    expect: ['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN'],
  },
];

describe.each(bothAdapters)('merchant roles on %s', (_name, open) => {
  const w = useMerchantWorld(open);

  const campaignIn = (status: Needs) => campaignOfA(w, status);

  async function payloadFor(
    action: MerchantRequest['action'],
    campaignId: string,
  ): Promise<MerchantRequest> {
    switch (action) {
      case 'me':
      case 'campaign.list':
      case 'targeting.options':
        return { action };
      case 'merchant.create':
        return { action, name: '新商家' };
      case 'invite.create':
        return { action, merchantId: w.merchantA, role: 'staff' };
      case 'invite.redeem':
        return { action, code: await staffCodeOfA(w) };
      case 'campaign.create':
        return { action, campaign: validInput() };
      case 'campaign.update':
        return { action, campaignId, patch: { bidFen: 80 } };
      case 'report.daily':
        return { action, campaignId, from: '20261128', to: '20261129' };
      case 'report.breakdown':
        return { action, campaignId, from: '20261128', to: '20261128', by: 'segment' };
      default:
        return { action, campaignId } as MerchantRequest;
    }
  }

  it('answers every caller × action as the matrix says, and a refusal changes nothing', async () => {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const row of MATRIX) {
      for (const [i, caller] of CALLERS.entries()) {
        const campaignId = row.needs ? await campaignIn(row.needs) : 'none';
        const payload = await payloadFor(row.action, campaignId);
        const before = await w.opened.dumpAll!();
        const res = await w.call(caller, payload);
        seen.push(`${row.action} by ${caller}: ${res.ok ? 'ok' : res.code}`);
        expected.push(`${row.action} by ${caller}: ${row.expect[i]}`);
        if (!res.ok) {
          expect(res.message).toMatch(/[\u4e00-\u9fff]/); // a message for a person, in Chinese
          expect(await w.opened.dumpAll!()).toEqual(before);
        }
        // An admin who just joined as staff would change later rows: put the world back.
        if (row.action === 'invite.redeem' && res.ok)
          await w.opened.stores.merchants.removeMember(caller);
      }
    }
    expect(seen).toEqual(expected);
  });

  it('tells an ordinary user plainly that they are not a merchant', async () => {
    const res = await w.call(USER, { action: 'campaign.list' });
    expect(res).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: expect.stringContaining('你还不是商家成员'),
    });
    expect(await w.ok(USER, { action: 'me' })).toEqual({
      action: 'me',
      admin: false,
      membership: null,
      merchant: null,
    });
    const me = await w.ok(STAFF_A, { action: 'me' });
    expect(me).toMatchObject({
      admin: false,
      membership: { merchantId: w.merchantA, role: 'staff' },
      merchant: { name: '川味火锅' },
    });
    expect((await w.ok(ADMIN, { action: 'me' })).admin).toBe(true);
  });

  it("lists only the caller's own merchant's campaigns", async () => {
    const a = await campaignIn('draft');
    const { campaign: b } = await w.ok(OWNER_B, {
      action: 'campaign.create',
      campaign: validInput({ name: 'B 的计划' }),
    });
    expect((await w.ok(STAFF_A, { action: 'campaign.list' })).campaigns.map((c) => c.id)).toEqual([
      a,
    ]);
    expect((await w.ok(OWNER_B, { action: 'campaign.list' })).campaigns.map((c) => c.id)).toEqual([
      b.id,
    ]);
  });

  it('spends an invitation code once: a replay, a second user, an unknown or expired code join nobody', async () => {
    const { code, expiresAt } = await w.ok(ADMIN, {
      action: 'invite.create',
      merchantId: w.merchantB,
      role: 'staff',
    });
    expect(expiresAt).toBe(NOW + 7 * DAY_MS);
    const joined = await w.ok(USER, {
      action: 'invite.redeem',
      code: code.toLowerCase().replace(/(.{4})/g, '$1-'),
    });
    expect(joined.membership).toEqual({ merchantId: w.merchantB, role: 'staff', joinedAt: NOW });
    expect(joined.merchant.name).toBe('山野露营');
    expect(await w.call('someone-else', { action: 'invite.redeem', code })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await w.call(USER, { action: 'invite.redeem', code })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(
      await w.call('someone-else', { action: 'invite.redeem', code: 'ABCDEFGHJKMN' }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await w.call('someone-else', { action: 'invite.redeem', code: 'short' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });

    const late = await w.ok(ADMIN, {
      action: 'invite.create',
      merchantId: w.merchantB,
      role: 'staff',
    });
    w.deps.setNow(late.expiresAt);
    expect(
      await w.call('someone-else', { action: 'invite.redeem', code: late.code }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await w.opened.stores.merchants.membership('someone-else')).toBeNull();
  });

  it('lets exactly one of many simultaneous redeemers of a code join', async () => {
    const { code } = await w.ok(ADMIN, {
      action: 'invite.create',
      merchantId: w.merchantA,
      role: 'staff',
    });
    const users = Array.from({ length: 12 }, (_, i) => `racer-${i}`);
    const results = await Promise.all(
      users.map((u) => w.call(u, { action: 'invite.redeem', code })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const members = await Promise.all(users.map((u) => w.opened.stores.merchants.membership(u)));
    expect(members.filter(Boolean)).toHaveLength(1);
  });

  it('stores only a hash of each invitation code', async () => {
    const { code } = await w.ok(ADMIN, {
      action: 'invite.create',
      merchantId: w.merchantA,
      role: 'owner',
    });
    expect(JSON.stringify(await w.opened.dumpAll!())).not.toContain(code);
  });

  it('refuses invitations to a merchant that does not exist, and owners inviting owners', async () => {
    expect(
      await w.call(ADMIN, { action: 'invite.create', merchantId: 'm_nope', role: 'staff' }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await w.call(OWNER_A, { action: 'invite.create', merchantId: w.merchantA, role: 'owner' }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(
      await w.call(OWNER_A, { action: 'invite.create', merchantId: w.merchantB, role: 'staff' }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('rejects unknown actions, extra fields and missing identity', async () => {
    expect(await w.call(OWNER_A, { action: 'campaign.delete', campaignId: 'x' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await w.call(OWNER_A, { action: 'campaign.list', merchantId: w.merchantB } as Record<
        string,
        unknown
      >),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const anon = await (
      await import('../../../server/runtime/function')
    ).toHandler((await import('../../../server/functions/merchant')).default)(
      { payload: { action: 'me' }, openid: undefined },
      w.deps,
    );
    expect(anon).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});
