/** What an experiment is (types in typings/experiments.ts): the parameters and metrics known, bucket count, slate labels. */
import type { Creative } from '../../../typings/ads';
import type {
  ExperimentMetric,
  ExperimentParameter,
  PrefetchPolicy,
} from '../../../typings/experiments';

export type {
  Experiment,
  ExperimentMetric,
  ExperimentParameter,
  ExperimentStatus,
  ParameterValue,
  PrefetchPolicy,
  Variant,
} from '../../../typings/experiments';

export const PARAMETERS = [
  'feed.diversity',
  'feed.explore',
  'ads.slots',
  'ad.creative',
  'feed.prefetch',
] as const satisfies readonly ExperimentParameter[];
/**
 * Whose ranking a parameter changes. 'platform': every user's feed or every advertiser's slots
 * (diversity, exploration, ad positions), so only platform admins may experiment on it;
 * 'merchant': only the experimenting merchant's own ads. 'ad.creative' is: it changes only the
 * creative one of the merchant's campaigns is shown with, never which ad wins a slot.
 */
export const PARAMETER_SCOPE: Record<ExperimentParameter, 'platform' | 'merchant'> = {
  'feed.diversity': 'platform',
  'feed.explore': 'platform',
  'ads.slots': 'platform',
  'ad.creative': 'merchant',
  'feed.prefetch': 'platform',
};

/** The values of feed.prefetch (issue 18): a variant is one prefetch policy. */
export const PREFETCH_POLICIES = [
  'off',
  'position',
  'learned',
] as const satisfies readonly PrefetchPolicy[];

/** Parameters varied per campaign: each campaign is its own layer, and the experiment names the campaign. */
export const CAMPAIGN_PARAMETERS: readonly ExperimentParameter[] = ['ad.creative'];

/** The layer an experiment's users are drawn from: its parameter, or its parameter and campaign. */
export const layerOf = (e: {
  parameter: ExperimentParameter;
  campaignId?: string | null;
}): string =>
  CAMPAIGN_PARAMETERS.includes(e.parameter) ? `${e.parameter}:${e.campaignId ?? ''}` : e.parameter;

/** The parameters a merchant's experiment may vary. */
export const MERCHANT_PARAMETERS: readonly ExperimentParameter[] = PARAMETERS.filter(
  (p) => PARAMETER_SCOPE[p] === 'merchant',
);

/** Whether an experiment owned by `merchantId` (null: the platform) may vary `parameter`. */
export const ownerMayVary = (merchantId: string | null, parameter: ExperimentParameter): boolean =>
  merchantId === null || PARAMETER_SCOPE[parameter] === 'merchant';

export const METRICS = [
  'ctr',
  'likes_per_impression',
  'paid_per_user',
  'net_paid_per_user',
] as const satisfies readonly ExperimentMetric[];
export const METRIC_KIND: Record<ExperimentMetric, 'rate' | 'mean'> = {
  ctr: 'rate',
  likes_per_impression: 'rate',
  paid_per_user: 'mean',
  net_paid_per_user: 'mean',
};

/**
 * The metrics a creative test (ad.creative) may target or guard: its campaign card's CTR, and the
 * money its exposed users paid the merchant, gross or kept (net of refunds). Likes are not
 * counted on ad cards.
 */
export const CREATIVE_METRICS = [
  'ctr',
  'paid_per_user',
  'net_paid_per_user',
] as const satisfies readonly ExperimentMetric[];

/** Bucket count of the assignment hash (0.01 % of traffic per bucket). */
export const BUCKETS = 10_000;

/** The slate-log label of a variant. */
export const variantLabel = (experimentId: string, variant: string): string =>
  `${experimentId}:${variant}`;

/** A creative with its fields in one order: two creatives are the same when these serialise alike. */
export function canonicalCreative(c: Creative): Creative {
  const landing: Creative['landing'] =
    c.landing.kind === 'page'
      ? { kind: 'page', path: c.landing.path }
      : { kind: 'item', itemId: c.landing.itemId };
  return { title: c.title, description: c.description, image: c.image, landing };
}

export const sameCreative = (a: Creative, b: Creative): boolean =>
  JSON.stringify(canonicalCreative(a)) === JSON.stringify(canonicalCreative(b));
