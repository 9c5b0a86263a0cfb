/** Campaigns, `me` answers and a scriptable `merchant` client for the campaign, home and invite page tests. */
import type {
  Campaign,
  CampaignSummary,
  MerchantRequest,
  MerchantResponse,
} from '../../../typings';
import { stubFunction } from '../helpers/stub-api';
export { texts } from '../helpers/texts';
export { settle } from './page-helpers';

/** 2026-11-28 10:00 in China. */
export const NOW = Date.UTC(2026, 10, 28, 2, 0);
export const DAY_MS = 86_400_000;
/** CST midnight of 2026-11-28. */
export const DAY0 = Date.UTC(2026, 10, 27, 16, 0);

export function campaign(over: Partial<Campaign> = {}): Campaign {
  return {
    id: 'c_1',
    merchantId: 'm1',
    name: '火锅节推广',
    status: 'active',
    creative: {
      title: '火锅节限时八折',
      description: '到店立减 20 元',
      image: 'cloud://env-1.bucket/ads/hotpot.jpg',
      landing: { kind: 'page', path: 'pages/feed/index' },
    },
    targeting: {
      interestTags: ['美食'],
      genders: [],
      ageBands: ['18-24'],
      cities: ['上海'],
      scenes: [1001],
    },
    bidFen: 50,
    dailyBudgetFen: 10_000,
    totalBudgetFen: 100_000,
    startAt: DAY0,
    endAt: DAY0 + 30 * DAY_MS,
    hours: [],
    createdAt: NOW - DAY_MS,
    updatedAt: NOW - DAY_MS,
    ...over,
  };
}

export function summary(over: Partial<CampaignSummary> = {}): CampaignSummary {
  return {
    ...campaign(over),
    today: { day: '20261128', clicks: 7, spentFen: 2_345 },
    spentTotalFen: 50_000,
    ...over,
  };
}

type MeOf = Extract<MerchantResponse, { action: 'me' }>;

export const meGuest: MeOf = { action: 'me', admin: false, membership: null, merchant: null };
export const meAdmin: MeOf = { action: 'me', admin: true, membership: null, merchant: null };
export const meOwner: MeOf = {
  action: 'me',
  admin: false,
  membership: { merchantId: 'm1', role: 'owner', joinedAt: 1 },
  merchant: { id: 'm1', name: '川味火锅', createdAt: 1 },
};
export const meStaff: MeOf = {
  action: 'me',
  admin: false,
  membership: { merchantId: 'm1', role: 'staff', joinedAt: 1 },
  merchant: { id: 'm1', name: '川味火锅', createdAt: 1 },
};

export type Answer = MerchantResponse | Error;
export type Script = Partial<Record<MerchantRequest['action'], Answer | Answer[]>>;

/**
 * A `merchant` client answering by action: a single answer repeats, a list is used in order.
 * Returns the requests it received, in order.
 */
export function stubMerchant(script: Script): MerchantRequest[] {
  return stubFunction('merchant', (r) => {
    const entry = script[r.action];
    const next = Array.isArray(entry) ? entry.shift() : entry;
    if (!next) throw new Error(`no scripted answer for ${JSON.stringify(r)}`);
    return next;
  });
}
