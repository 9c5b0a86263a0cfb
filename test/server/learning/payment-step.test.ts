/**
 * train's payment step on both adapters: each buyer's RFM segment from pay-verified orders (the
 * last 180 days, refunds subtracted) into the profiles that exist, read back by 我的 (`account`
 * profile.get) and in the account export; no profile is made for a buyer without one, an erased
 * buyer's kept orders count for nobody, and an unchanged summary is not written again.
 */
import account from '../../../server/functions/account';
import type { Order } from '../../../server/ports';
import { ERASED_USER } from '../../../server/ports/personal-data';
import { runPaymentStep, PAYMENT_WINDOW_MS } from '../../../server/learning/payment-step';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const accountH = toHandler(account);
const NOW = Date.UTC(2026, 11, 1, 4);
const DAY = 86_400_000;
const opts = { budgetMs: 10_000, clock: () => performance.now() };

describe.each(bothAdapters)('payment step on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  let n = 0;

  /** A paid order of `openid`: `fen` paid `daysAgo` days ago, `refundFen` of it refunded. */
  const paid = async (openid: string, fen: number, daysAgo: number, refundFen = 0) => {
    const no = `o${String(++n).padStart(12, '0')}`;
    const at = NOW - daysAgo * DAY;
    const order: Order = {
      outTradeNo: no,
      openid,
      merchantId: 'm1',
      campaignId: 'c1',
      cartKey: `cart-${no}`,
      title: '套餐',
      quantity: 1,
      unitFen: fen,
      totalFen: fen,
      state: 'created',
      attribution: { campaignId: 'c1' },
      createdAt: at - 1,
      expiresAt: at + 900_000,
      updatedAt: at - 1,
    };
    await opened.stores.orders.create(order, { stock: 10_000, perUserLimit: 10_000 });
    await opened.stores.orders.transition(no, ['created'], 'paid', { paidAt: at }, at);
    if (refundFen) {
      await opened.stores.orders.transition(no, ['paid'], 'refunding', { refundFen }, at + 1);
      await opened.stores.orders.transition(no, ['refunding'], 'refunded', {}, at + 2);
    }
  };
  const profileOf = async (openid: string) =>
    (await opened.stores.profiles.get([openid]))[0]?.payments;

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    const users = [
      'regular',
      'newbie',
      'sleeper',
      'refunder',
      ...Array.from({ length: 6 }, (_, i) => `b${i}`),
    ];
    await opened.stores.profiles.put(
      users.map((openid) => ({
        openid,
        updatedAt: NOW - DAY,
        interests: {},
        counts: {},
        recent: [],
        lastActiveAt: NOW - DAY,
      })),
    );
    // A regular: eight recent, sizeable orders. A newcomer: one order yesterday. A sleeper: two
    // orders five months ago. A refunder: a big order refunded whole.
    for (let i = 0; i < 8; i++) await paid('regular', 20_000, 2 + i * 5);
    await paid('newbie', 3_000, 1);
    await paid('sleeper', 5_000, 150);
    await paid('sleeper', 5_000, 160);
    await paid('refunder', 90_000, 20, 90_000);
    // The rest of the population: one or two middling orders each.
    for (let i = 0; i < 6; i++) {
      await paid(`b${i}`, 4_000 + i * 500, 30 + i * 10);
      if (i % 2) await paid(`b${i}`, 6_000, 60 + i * 5);
    }
    // Not counted: paid before the window, a buyer without a profile, an erased buyer's kept order.
    await paid('regular', 1_000_000, PAYMENT_WINDOW_MS / DAY + 5);
    await paid('no-profile', 50_000, 3);
    await paid(ERASED_USER, 50_000, 3);
  });
  afterEach(() => opened.cleanup());

  it('writes each buyer’s segment into their profile; 我的 and the export show it', async () => {
    const r = await runPaymentStep(opened.stores, NOW, opts);
    expect(r).toMatchObject({ buyers: 11, written: 10, truncated: false });
    expect(await profileOf('regular')).toMatchObject({
      segment: 'champion',
      segmentLabel: '高价值常客',
      orders: 8,
      monetaryFen: 160_000,
      recencyDays: 2,
      asOf: NOW,
    });
    expect(await profileOf('newbie')).toMatchObject({ segment: 'new', segmentLabel: '新客户' });
    expect((await profileOf('sleeper'))?.segmentLabel).toMatch(/^(沉睡客户|流失风险)$/);
    expect(await profileOf('refunder')).toMatchObject({ orders: 1, monetaryFen: 0 });
    // The tolerance payments support (engine/payments/tolerance.ts): a stable regular is not capped,
    // a newcomer is capped at C3, a buyer who refunded everything at C2.
    expect(await profileOf('regular')).toMatchObject({
      suggestedTolerance: 5,
      toleranceReason: null,
    });
    expect(await profileOf('newbie')).toMatchObject({
      suggestedTolerance: 3,
      toleranceReason: 'newPayer',
    });
    expect(await profileOf('refunder')).toMatchObject({
      suggestedTolerance: 2,
      toleranceReason: 'erratic',
    });
    // Ten profiled users: too few for a propensity model, so nobody is scored.
    expect(r.propensity).toMatchObject({ trained: false, noModel: 'tooFewBuyers', written: 0 });
    // No profile is made for a buyer who has none (orders alone are no consent to profiling).
    expect(await opened.stores.profiles.get(['no-profile', ERASED_USER])).toEqual([]);

    const view = await accountH({ payload: { action: 'profile.get' }, openid: 'regular' }, deps);
    expect(view).toMatchObject({
      ok: true,
      data: { profile: { payments: { segmentLabel: '高价值常客', orders: 8 } } },
    });
    const none = await accountH({ payload: { action: 'profile.get' }, openid: 'nobody' }, deps);
    expect(none.ok && 'profile' in none.data && none.data.profile).not.toHaveProperty('payments');

    await accountH(
      {
        payload: { action: 'consent.set', noticeVersion: '2026-11', granted: true },
        openid: 'regular',
      },
      deps,
    );
    const exported: Record<string, unknown[]> = {};
    let cursor: string | undefined;
    do {
      const res = await accountH(
        { payload: { action: 'export.page', ...(cursor ? { cursor } : {}) }, openid: 'regular' },
        deps,
      );
      if (!res.ok || res.data.action !== 'export.page') throw new Error('export failed');
      (exported[res.data.page.collection] ??= []).push(...res.data.page.records);
      cursor = res.data.page.cursor ?? undefined;
    } while (cursor);
    expect(JSON.stringify(exported.user_profiles)).toContain('高价值常客');
  });

  it('writes nothing again while no summary changed, and updates a buyer who paid again', async () => {
    await runPaymentStep(opened.stores, NOW, opts);
    expect((await runPaymentStep(opened.stores, NOW + 60_000, opts)).written).toBe(0);
    // The newcomer comes back: two orders, no longer new.
    await paid('newbie', 3_000, 0.5);
    const r = await runPaymentStep(opened.stores, NOW + 60_000, opts);
    expect(r.written).toBeGreaterThanOrEqual(1);
    expect(await profileOf('newbie')).toMatchObject({ orders: 2, asOf: NOW + 60_000 });
    expect((await profileOf('newbie'))?.segment).not.toBe('new');
  });
});
