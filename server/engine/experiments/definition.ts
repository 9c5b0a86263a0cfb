/** What an experiment is: a layer (the parameter it owns), variants with weights and values, metrics, status. */

/** Parameters an experiment can vary; each is one layer, so two experiments on one parameter never overlap. */
export const PARAMETERS = ['feed.diversity', 'feed.explore', 'ads.slots'] as const;
export type ExperimentParameter = (typeof PARAMETERS)[number];

/** Metrics a result reports: rates per impression, or a mean per exposed user. */
export const METRICS = ['ctr', 'likes_per_impression', 'paid_per_user'] as const;
export type ExperimentMetric = (typeof METRICS)[number];
export const METRIC_KIND: Record<ExperimentMetric, 'rate' | 'mean'> = { ctr: 'rate', likes_per_impression: 'rate', paid_per_user: 'mean' };

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

/** feed.diversity / feed.explore: a number in [0, 1]; ads.slots: feed positions. */
export type ParameterValue = number | number[];

export interface Variant {
  /** Short name, [A-Za-z0-9_-]; "experiment:variant" is what the slate log records. */
  name: string;
  /** Relative traffic weight (positive integer). */
  weight: number;
  value: ParameterValue;
}

/** Bucket count of the assignment hash (0.01 % of traffic per bucket). */
export const BUCKETS = 10_000;

export interface Experiment {
  id: string;
  /** The merchant that owns it, or null for a platform experiment. */
  merchantId: string | null;
  name: string;
  parameter: ExperimentParameter;
  /** Share of the layer's buckets the experiment takes when started (1…BUCKETS). */
  buckets: number;
  /** Its range of the layer's buckets, [start, end): set when started, kept after it stops. */
  range: [number, number] | null;
  variants: Variant[];
  targetMetric: ExperimentMetric;
  guardrails: ExperimentMetric[];
  status: ExperimentStatus;
  /** Random per experiment: variant assignment of one experiment says nothing about another's. */
  salt: string;
  createdAt: number;
  startedAt: number | null;
  stoppedAt: number | null;
  /** Bumped by every write; updates are compare-and-set on it. */
  version: number;
}

/** The slate-log label of a variant. */
export const variantLabel = (experimentId: string, variant: string): string => `${experimentId}:${variant}`;
