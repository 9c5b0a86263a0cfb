/**
 * A small merchant world built through the `merchant` function itself: a platform admin, merchant A
 * (owner + staff), merchant B (owner), an ordinary user, some catalog content for tags and landings.
 */
import type {
  CampaignInput,
  CampaignStatus,
  Demographics,
  FunctionMap,
  MerchantRequest,
} from '../../typings';
import { loadConfig } from '../../server/config';
import merchant from '../../server/functions/merchant';
import type { Stores } from '../../server/ports';
import { toHandler } from '../../server/runtime/function';
import type { PropensityJson } from '../../server/engine/payments/propensity-model';
import { writePropensityModel } from '../../server/learning/model-versions';
import { makeItem } from './fixtures';
import { testDeps, type TestDeps } from './deps';
import type { OpenStores } from './adapters';
import type { OpenedStores } from './sqlite-stores';

export const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
export const DAY_MS = 86_400_000;
export const ADMIN = 'admin-1';
export const OWNER_A = 'owner-a';
export const STAFF_A = 'staff-a';
export const OWNER_B = 'owner-b';
export const USER = 'user-plain';
/** The callers of the authorisation matrix tests, in the order their expected outcomes are listed. */
export const CALLERS = [USER, OWNER_A, STAFF_A, OWNER_B, ADMIN] as const;
/** What a caller gets in the matrix: the data or one of these error codes. */
export type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

const handler = toHandler(merchant);
type Res = FunctionMap['merchant']['res'];
type Action = MerchantRequest['action'];
/** The request / response member for one action (some members share several actions). */
type Pick1<U, A> = U extends { action: infer X }
  ? A extends X
    ? Omit<U, 'action'> & { action: A }
    : never
  : never;
export type ReqOf<A extends Action> = Pick1<MerchantRequest, A>;
export type ResOf<A extends Action> = Pick1<Res, A>;
export type Call = (
  openid: string,
  payload: MerchantRequest | Record<string, unknown>,
) => ReturnType<typeof handler>;

/** A published ad image of the test cloud environment (test/helpers/cloud-storage-engine.ts names its files so). */
export const TEST_AD_IMAGE = 'cloud://test-env.7465-test-env-1250000000/ads/hotpot.jpg';

export function validInput(over: Partial<CampaignInput> = {}): CampaignInput {
  return {
    name: '火锅节推广',
    creative: {
      title: '火锅节限时八折',
      description: '到店立减 20 元',
      image: TEST_AD_IMAGE,
      landing: { kind: 'item', itemId: 'item-1' },
    },
    targeting: {
      interestTags: ['美食', '火锅'],
      genders: [],
      ageBands: ['18-24'],
      cities: ['上海'],
      scenes: [1001],
    },
    bidFen: 50,
    dailyBudgetFen: 10_000,
    totalBudgetFen: 100_000,
    startAt: NOW,
    endAt: NOW + 30 * DAY_MS,
    hours: [],
    ...over,
  };
}

/** What validInput's targeting restricts (age band and city): the shared attributes of a seeded audience. */
export const AUDIENCE_SHARES = { ageBand: '18-24', city: '上海' } as const;

/**
 * `n` users (default: the minimum audience, 100) who shared `shares` and are personalised, so
 * that validInput's targeting reaches enough people (MIN_AUDIENCE, server/merchant/audience.ts).
 */
export async function seedSharedAudience(
  stores: Stores,
  n = 100,
  shares: Demographics = AUDIENCE_SHARES,
  prefix = 'aud',
): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      stores.privacy.setDemographics(`${prefix}_${i}`, shares, NOW),
    ),
  );
}

export interface MerchantWorld {
  deps: TestDeps;
  call: Call;
  /** Calls and returns data, failing the test on an error answer. */
  ok<A extends Action>(openid: string, payload: ReqOf<A>): Promise<ResOf<A>>;
  merchantA: string;
  merchantB: string;
}

export async function buildMerchantWorld(stores: Stores): Promise<MerchantWorld> {
  const deps = testDeps(stores, NOW);
  deps.config = loadConfig({ PLATFORM_ADMINS: ADMIN }, { dataDir: '/nonexistent' });
  await stores.catalog.upsert([
    makeItem('item-1'),
    makeItem('item-2', { category: '旅行', tags: ['露营'] }),
    makeItem('item-hidden', { status: 'unpublished', tags: ['秘密'] }),
  ]);
  const call: Call = (openid, payload) => handler({ payload, openid }, deps);
  const ok: MerchantWorld['ok'] = async (openid, payload) => {
    const res = await call(openid, payload);
    if (!res.ok) throw new Error(`${payload.action} by ${openid}: ${res.code} ${res.message}`);
    return res.data as never;
  };
  const join = async (merchantId: string, role: 'owner' | 'staff', openid: string) => {
    const { code } = await ok(ADMIN, { action: 'invite.create', merchantId, role });
    await ok(openid, { action: 'invite.redeem', code });
  };
  const merchantA = (await ok(ADMIN, { action: 'merchant.create', name: '川味火锅' })).merchant.id;
  const merchantB = (await ok(ADMIN, { action: 'merchant.create', name: '山野露营' })).merchant.id;
  await join(merchantA, 'owner', OWNER_A);
  await join(merchantA, 'staff', STAFF_A);
  await join(merchantB, 'owner', OWNER_B);
  await seedSharedAudience(stores);
  return { deps, call, ok, merchantA, merchantB };
}

/** A merchant world together with the stores it was built on. */
export interface OpenedMerchantWorld extends MerchantWorld {
  opened: OpenedStores;
}

/**
 * The merchant function tests' shared set-up, for a describe.each over bothAdapters: before each
 * test, fresh stores from `open` and the world built on them; after it, the stores closed. The
 * object answered is the same for the whole describe (so a suite holds it in a `const`); its
 * members are the running test's. A suite's own further set-up goes in a beforeEach after this
 * call (jest runs them in the order they were declared).
 */
export function useMerchantWorld(open: OpenStores): OpenedMerchantWorld {
  const current = {} as OpenedMerchantWorld;
  beforeEach(async () => {
    current.opened = await open();
    Object.assign(current, await buildMerchantWorld(current.opened.stores));
  });
  afterEach(() => current.opened.cleanup());
  return current;
}

/** A campaign of merchant A (validInput) brought by its owner to `status`: drafted, started, or started and paused. */
export async function campaignOfA(
  w: MerchantWorld,
  status: Extract<CampaignStatus, 'draft' | 'active' | 'paused'>,
): Promise<string> {
  const { campaign } = await w.ok(OWNER_A, { action: 'campaign.create', campaign: validInput() });
  if (status !== 'draft')
    await w.ok(OWNER_A, { action: 'campaign.start', campaignId: campaign.id });
  if (status === 'paused')
    await w.ok(OWNER_A, { action: 'campaign.pause', campaignId: campaign.id });
  return campaign.id;
}

/** A fresh invitation code, made by the platform admin, to join merchant A as staff. */
export async function staffCodeOfA(w: MerchantWorld): Promise<string> {
  return (await w.ok(ADMIN, { action: 'invite.create', merchantId: w.merchantA, role: 'staff' }))
    .code;
}

/** A stored purchase-propensity model as train's payment step leaves it, with its scored population. */
export async function seedPropensityModel(stores: Stores, population: number): Promise<void> {
  await writePropensityModel(stores.blobs, {
    trainedAt: 0,
    horizonDays: 30,
    baseRate: 0.1,
    users: population,
    positives: 30,
    population,
    family: 'lr',
    // Read only for its population (the minimum-audience check), never scored.
    model: {} as PropensityJson,
  });
}
