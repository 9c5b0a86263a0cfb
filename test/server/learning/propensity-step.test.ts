/**
 * The purchase-propensity part of train's payment step on both adapters: no model below the
 * evidence threshold (MIN_CLASS_USERS buyers and non-buyers), then a model trained on the store's
 * own orders and profiled users, each profiled user's score and rank written into the profile
 * (regular payers ranked above lapsed ones), the model reused within the day and retrained after.
 */
import account from '../../../server/functions/account';
import { toHandler } from '../../../server/runtime/function';
import type { PaidOrder } from '../../../server/engine/payments/records';
import {
  MIN_CLASS_USERS,
  PROPENSITY_HORIZON_DAYS,
  runPropensityStep,
  sampleOf,
} from '../../../server/learning/propensity-step';
import { PAYMENT_WINDOW_MS } from '../../../server/learning/payment-step';
import { PROPENSITY_MODEL_KEY } from '../../../server/learning/model-versions';
import { mulberry32 } from '../../../server/engine/models/rng';
import { serveAds } from '../../../server/serving/ads';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps } from '../../helpers/deps';
import { makeCampaign } from '../../helpers/fixtures';
import type { OpenedStores } from '../../helpers/sqlite-stores';
import { contentSlots } from '../../helpers/ad-auction';

const NOW = Date.UTC(2026, 11, 1, 4);
const DAY = 86_400_000;
const clock = () => performance.now();
const far = () => clock() + 60_000;

/** Regular payers: an order every 11 days over the window. Lapsed: two orders 4–5 months ago. */
function world(regulars: number, lapsed: number): { users: string[]; orders: PaidOrder[] } {
  const users: string[] = [];
  const orders: PaidOrder[] = [];
  const order = (user: string, daysAgo: number, fen: number): PaidOrder => ({
    user,
    amountFen: fen,
    paidAt: NOW - daysAgo * DAY,
    method: 'unknown',
    refundedFen: 0,
  });
  for (let i = 0; i < regulars; i++) {
    const u = `reg${String(i).padStart(3, '0')}`;
    users.push(u);
    for (let d = 2 + (i % 9); d < 178; d += 11) orders.push(order(u, d, 3_000 + 100 * (i % 7)));
  }
  for (let i = 0; i < lapsed; i++) {
    const u = `lap${String(i).padStart(3, '0')}`;
    users.push(u);
    orders.push(order(u, 120 + (i % 20), 5_000), order(u, 150 + (i % 20), 4_000));
  }
  // Users who never paid are examples (negatives) too.
  for (let i = 0; i < 10; i++) users.push(`never${i}`);
  return { users, orders };
}

describe.each(bothAdapters)('purchase propensity on %s', (_name, open) => {
  let opened: OpenedStores;

  const profiles = async (users: string[]) =>
    opened.stores.profiles.put(
      users.map((openid) => ({
        openid,
        updatedAt: NOW - DAY,
        interests: {},
        counts: {},
        recent: [],
        lastActiveAt: NOW - DAY,
      })),
    );
  const purchaseOf = async (openid: string) =>
    (await opened.stores.profiles.get([openid]))[0]?.purchase;

  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it('trains no model until enough users paid within the horizon, and scores nobody', async () => {
    const { users, orders } = world(MIN_CLASS_USERS - 1, 40);
    await profiles(users);
    const r = await runPropensityStep(
      opened.stores,
      orders,
      NOW - PAYMENT_WINDOW_MS,
      NOW,
      far(),
      clock,
    );
    expect(r).toMatchObject({ trained: false, noModel: 'tooFewBuyers', scored: 0, written: 0 });
    expect(await purchaseOf('reg000')).toBeUndefined();
    expect(await opened.stores.blobs.get(PROPENSITY_MODEL_KEY)).toBeNull();
  });

  it('scores every profiled user; regular payers rank above lapsed ones', async () => {
    const { users, orders } = world(40, 40);
    await profiles(users);
    // A buyer without a profile (no consent to profiling) is neither an example nor scored.
    orders.push({
      user: 'stranger',
      amountFen: 100,
      paidAt: NOW - DAY,
      method: 'unknown',
      refundedFen: 0,
    });
    const r = await runPropensityStep(
      opened.stores,
      orders,
      NOW - PAYMENT_WINDOW_MS,
      NOW,
      far(),
      clock,
    );
    expect(r).toMatchObject({ trained: true, users: users.length, scored: users.length });
    expect(r.written).toBe(users.length);
    expect(await opened.stores.profiles.get(['stranger'])).toEqual([]);
    const reg = await purchaseOf('reg005');
    const lap = await purchaseOf('lap005');
    expect(reg).toMatchObject({ horizonDays: PROPENSITY_HORIZON_DAYS, asOf: NOW });
    expect(reg!.p).toBeGreaterThan(lap!.p);
    expect(reg!.topShare).toBeLessThanOrEqual(0.5);
    expect(lap!.topShare).toBeGreaterThan(0.5);
    let regularsInTopHalf = 0;
    for (let i = 0; i < 40; i++)
      if ((await purchaseOf(`reg${String(i).padStart(3, '0')}`))!.topShare <= 0.5)
        regularsInTopHalf++;
    expect(regularsInTopHalf).toBeGreaterThanOrEqual(36);
    // 我的 (profile.get) shows the user their own score and rank.
    const view = await toHandler(account)(
      { payload: { action: 'profile.get' }, openid: 'reg005' },
      testDeps(opened.stores, NOW),
    );
    expect(view).toMatchObject({ ok: true, data: { profile: { purchase: reg } } });

    // The scores drive a likely-buyers campaign (top half): a regular payer sees it, a lapsed one not.
    await opened.stores.ads.upsertCampaigns([
      makeCampaign('buyers', {
        targeting: {
          interestTags: [],
          genders: [],
          ageBands: [],
          cities: [],
          scenes: [],
          likelyBuyers: 0.5,
        },
        startAt: NOW - DAY,
        endAt: NOW + DAY,
      }),
    ]);
    const adsFor = async (openid: string) =>
      (
        await serveAds(testDeps(opened.stores, NOW), {
          openid,
          personalised: true,
          scene: 1001,
          profile: (await opened.stores.profiles.get([openid]))[0] ?? null,
          content: contentSlots(10),
          offset: 0,
          now: NOW,
          scorer: null,
          random: mulberry32(1),
        })
      ).slateCards.map((c) => c.adId);
    expect(await adsFor('reg005')).toEqual(['buyers']);
    expect(await adsFor('lap005')).toEqual([]);

    // Within the day: the stored model is reused and unchanged scores are not written again.
    const again = await runPropensityStep(
      opened.stores,
      orders,
      NOW - PAYMENT_WINDOW_MS,
      NOW + 3_600_000,
      far(),
      clock,
    );
    expect(again).toMatchObject({ trained: false, scored: users.length, written: 0 });
    // A day later it is trained again.
    const later = await runPropensityStep(
      opened.stores,
      orders,
      NOW + DAY - PAYMENT_WINDOW_MS,
      NOW + DAY,
      far(),
      clock,
    );
    expect(later.trained).toBe(true);
  }, 60_000); // two model fits on a shared 2-core machine
});

describe('the training sample', () => {
  it('takes at most n users, uniformly by a seeded hash, and all of them when fewer', () => {
    const users = Array.from({ length: 1000 }, (_, i) => `u${i}`);
    expect(sampleOf(users.slice(0, 10), 20, 1)).toEqual(users.slice(0, 10));
    const a = sampleOf(users, 200, 1);
    expect(a).toHaveLength(200);
    expect(new Set(a).size).toBe(200);
    expect(sampleOf(users, 200, 1)).toEqual(a); // same day, same sample
    expect(sampleOf(users, 200, 2)).not.toEqual(a);
    // Uniform enough: about a fifth of each half of the ids.
    const low = a.filter((u) => Number(u.slice(1)) < 500).length;
    expect(low).toBeGreaterThan(70);
    expect(low).toBeLessThan(130);
  });
});
