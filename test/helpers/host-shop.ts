/**
 * A merchant selling one offer through a running campaign open to everyone, set up through a
 * running host's own functions, for the end-to-end tests: the platform admin creates the merchant
 * and invites its owner, who redeems the code, creates and starts the campaign and sets the offer.
 */

/** Calls a function on the host as `openid` and answers its data (failing on a refusal). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
export type HostOk = (fn: string, openid: string, body: unknown) => Promise<any>;

export interface ShopPlan {
  admin: string;
  owner: string;
  merchantName: string;
  campaignName: string;
  bidFen: number;
  /** Both the daily and the total budget. */
  budgetFen: number;
  /** How long the campaign runs from now (it started a minute ago). */
  runsForMs: number;
  offer: { title: string; priceFen: number; stock: number; perUserLimit: number };
}

/** Returns the new campaign's id. */
export async function openShop(ok: HostOk, plan: ShopPlan): Promise<string> {
  const { admin, owner } = plan;
  const { merchant } = await ok('merchant', admin, {
    action: 'merchant.create',
    name: plan.merchantName,
  });
  const { code } = await ok('merchant', admin, {
    action: 'invite.create',
    merchantId: merchant.id,
    role: 'owner',
  });
  await ok('merchant', owner, { action: 'invite.redeem', code });
  const now = Date.now();
  const { campaign } = await ok('merchant', owner, {
    action: 'campaign.create',
    campaign: {
      name: plan.campaignName,
      creative: {
        title: '双人套餐',
        description: '限时特价',
        image: '',
        landing: { kind: 'page', path: 'pages/ad/index' },
      },
      targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
      bidFen: plan.bidFen,
      dailyBudgetFen: plan.budgetFen,
      totalBudgetFen: plan.budgetFen,
      startAt: now - 60_000,
      endAt: now + plan.runsForMs,
      hours: [],
    },
  });
  await ok('merchant', owner, { action: 'campaign.start', campaignId: campaign.id });
  await ok('merchant', owner, { action: 'offer.set', campaignId: campaign.id, offer: plan.offer });
  return campaign.id;
}
