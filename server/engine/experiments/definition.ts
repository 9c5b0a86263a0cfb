/** What an experiment is (types in typings/experiments.ts): the parameters and metrics known, bucket count, slate labels. */
import type { ExperimentMetric, ExperimentParameter } from '../../../typings/experiments';

export type { Experiment, ExperimentMetric, ExperimentParameter, ExperimentStatus, ParameterValue, Variant } from '../../../typings/experiments';

export const PARAMETERS = ['feed.diversity', 'feed.explore', 'ads.slots'] as const satisfies readonly ExperimentParameter[];
export const METRICS = ['ctr', 'likes_per_impression', 'paid_per_user'] as const satisfies readonly ExperimentMetric[];
export const METRIC_KIND: Record<ExperimentMetric, 'rate' | 'mean'> = { ctr: 'rate', likes_per_impression: 'rate', paid_per_user: 'mean' };

/** Bucket count of the assignment hash (0.01 % of traffic per bucket). */
export const BUCKETS = 10_000;

/** The slate-log label of a variant. */
export const variantLabel = (experimentId: string, variant: string): string => `${experimentId}:${variant}`;
