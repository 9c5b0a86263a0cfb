/** What an experiment is (types in typings/experiments.ts): the parameters and metrics known, bucket count, slate labels. */
import type { ExperimentMetric, ExperimentParameter } from '../../../typings/experiments';

export type { Experiment, ExperimentMetric, ExperimentParameter, ExperimentStatus, ParameterValue, Variant } from '../../../typings/experiments';

export const PARAMETERS = ['feed.diversity', 'feed.explore', 'ads.slots'] as const satisfies readonly ExperimentParameter[];
/**
 * Whose ranking a parameter changes. 'platform': every user's feed or every advertiser's slots
 * (diversity, exploration, ad positions), so only platform admins may experiment on it;
 * 'merchant': only the experimenting merchant's own ads. No parameter is merchant-scoped yet,
 * so merchants cannot run experiments until one is added (with its serving side).
 */
export const PARAMETER_SCOPE: Record<ExperimentParameter, 'platform' | 'merchant'> = { 'feed.diversity': 'platform', 'feed.explore': 'platform', 'ads.slots': 'platform' };

/** The parameters a merchant's experiment may vary. */
export const MERCHANT_PARAMETERS: readonly ExperimentParameter[] = PARAMETERS.filter((p) => PARAMETER_SCOPE[p] === 'merchant');

/** Whether an experiment owned by `merchantId` (null: the platform) may vary `parameter`. */
export const ownerMayVary = (merchantId: string | null, parameter: ExperimentParameter): boolean => merchantId === null || PARAMETER_SCOPE[parameter] === 'merchant';

export const METRICS = ['ctr', 'likes_per_impression', 'paid_per_user'] as const satisfies readonly ExperimentMetric[];
export const METRIC_KIND: Record<ExperimentMetric, 'rate' | 'mean'> = { ctr: 'rate', likes_per_impression: 'rate', paid_per_user: 'mean' };

/** Bucket count of the assignment hash (0.01 % of traffic per bucket). */
export const BUCKETS = 10_000;

/** The slate-log label of a variant. */
export const variantLabel = (experimentId: string, variant: string): string => `${experimentId}:${variant}`;
