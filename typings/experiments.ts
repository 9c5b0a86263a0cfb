/** A/B experiments (issue 6): definitions a platform admin or merchant owns, and their results. */
import type { Creative } from './ads';
import type { FieldChange } from './audit';
import type { QuantileSummary } from './perf';

/**
 * What an experiment varies; each parameter is one layer, so two experiments on it never overlap.
 * 'ad.creative' (a merchant's creative A/B test) is one layer per campaign: it varies only the
 * creative its campaign is shown with.
 */
export type ExperimentParameter =
  'feed.diversity' | 'feed.explore' | 'ads.slots' | 'ad.creative' | 'feed.prefetch';
/**
 * feed.prefetch (issue 18): which detail payloads the feed fetches ahead of a tap. off: none;
 * position: the top content positions of each page; learned: the cards the click model and the
 * page-transition model say are likeliest to be opened. Both within the same per-screen budget.
 */
export type PrefetchPolicy = 'off' | 'position' | 'learned';
/**
 * Rates per impression (ctr, likes_per_impression), analysed per user since users are what is
 * randomised (ratio of per-user sums, delta-method variance), or a mean per exposed user in fen:
 * paid_per_user (gross: what WeChat Pay confirmed while the experiment ran) or net_paid_per_user
 * (the money kept: the same less every refund later confirmed of those orders).
 */
export type ExperimentMetric =
  'ctr' | 'likes_per_impression' | 'paid_per_user' | 'net_paid_per_user';
export type ExperimentStatus = 'draft' | 'running' | 'stopped';
/**
 * feed.diversity: diversity penalty in [0, 1]; feed.explore: exploration probability in [0, 1]; ads.slots: feed positions;
 * ad.creative: the creative the campaign is shown with (the first variant's is the campaign's own when the experiment was created);
 * feed.prefetch: the prefetch policy.
 */
export type ParameterValue = number | number[] | Creative | PrefetchPolicy;

export interface Variant {
  /** [A-Za-z0-9_-]; the first variant is the control. */
  name: string;
  /** Relative traffic weight (positive integer). */
  weight: number;
  value: ParameterValue;
}

export interface ExperimentInput {
  name: string;
  parameter: ExperimentParameter;
  /** ad.creative only (required there, absent otherwise): the experimenting merchant's campaign whose creative is varied. */
  campaignId?: string;
  /** Share of the layer's traffic the experiment takes when started, 1–100. */
  trafficPercent: number;
  variants: Variant[];
  targetMetric: ExperimentMetric;
  guardrails: ExperimentMetric[];
}

export interface Experiment {
  id: string;
  /** The merchant that owns it, or null for a platform experiment. */
  merchantId: string | null;
  name: string;
  parameter: ExperimentParameter;
  /** ad.creative: the campaign whose creative is varied (its own layer); absent or null for the other parameters. */
  campaignId?: string | null;
  /** Buckets of the layer (of 10,000) the experiment takes when started. */
  buckets: number;
  /** Its range of the layer's buckets, [start, end): set when started, null again once stopped. */
  range: [number, number] | null;
  /**
   * The range it held while running, kept once stopped (when `range` is given back), so that
   * events logged before the stop and read after it (train's perf step, behind its settle window)
   * are still attributed to their users' variants. Absent on experiments stopped before it existed.
   */
  heldRange?: [number, number] | null;
  variants: Variant[];
  targetMetric: ExperimentMetric;
  guardrails: ExperimentMetric[];
  status: ExperimentStatus;
  /** Random per experiment: the variant split of one experiment says nothing about another's. */
  salt: string;
  createdAt: number;
  startedAt: number | null;
  stoppedAt: number | null;
  /** Bumped by every write; updates are compare-and-set on it. */
  version: number;
}

export interface MetricEstimate {
  n: number;
  value: number;
  low: number | null;
  high: number | null;
}

export interface MetricDifference {
  /** Variant minus control. */
  delta: number;
  low: number | null;
  high: number | null;
  pValue: number | null;
}

export interface MetricResult {
  metric: ExperimentMetric;
  /** Rates: a z-test with the delta-method variance over per-user sums (Deng et al. 2018); means: Welch's t-test. */
  test: 'delta-method z' | 'welch t';
  /** False until every variant reaches the minimum sample (rates: impressions, and as many users as a mean needs): estimates are shown, no verdict is. */
  enoughData: boolean;
  /** Impressions (rates) or users (means) each variant needs. */
  minSample: number;
  /** Users each variant needs (rates also need them: the user is the unit of the test). */
  minUsers: number;
  variants: { variant: string; estimate: MetricEstimate; vsControl: MetricDifference | null }[];
}

export interface VariantPurchase {
  /** Exposed users with a predicted propensity; null mean when none. */
  scored: number;
  meanPropensity: number | null;
  /** Exposed users who paid while the experiment ran, and their share of the exposed. */
  payers: number;
  payRate: number | null;
  /**
   * Money, per variant, over its exposed users (the paying user's exposed variant, as
   * paid_per_user counts it; a merchant's experiment: only that merchant's orders): the gross
   * amount WeChat Pay confirmed while the experiment ran, the
   * refunds later confirmed of those orders (counted when confirmed, even after the experiment
   * stopped) and their amount, the net (gross − refunded), and the net per exposed user with its
   * 95 % interval (null with no exposed user).
   */
  paidFen: number;
  refunds: number;
  refundedFen: number;
  netFen: number;
  netPerUser: MetricEstimate | null;
}

export interface ExperimentResults {
  experimentId: string;
  /** Exposed users per variant (served at least one slate with a viewable impression under it). */
  users: Record<string, number>;
  srm: { chiSquare: number; pValue: number; mismatch: boolean };
  target: MetricResult;
  guardrails: MetricResult[];
  /**
   * Per variant, the buyers' side (issue 17): the exposed users' mean predicted purchase
   * propensity (train's model, P(pays within 30 days), as of each user's first exposure; over the
   * users scored then) beside the realised pay rate (the share of exposed users with a
   * pay-verified order while the experiment ran). Both from the rollups, no scan.
   */
  purchase: Record<string, VariantPurchase>;
  /**
   * Impressions, clicks and likes counted (from train's rollups, as of its last round), and
   * whether the count stopped short of the window (never, now that results read only rollups).
   */
  eventsRead: number;
  truncated: boolean;
  /** feed.prefetch experiments only: each variant's measured effect (issue 18), from train's perf rollups. */
  prefetch?: PrefetchVariantResult[];
}

/**
 * One feed.prefetch variant's effect: the detail page's time to content (from onLoad to the item
 * shown) and what prefetching cost, from the clients' `prefetch` reports (sent when the app
 * hides). Per detail open: calls and bytes spent ahead of taps, and the share of opens served
 * from the prefetch cache. Null where nothing was measured.
 */
export interface PrefetchVariantResult {
  variant: string;
  /** Detail opens measured (time-to-content entries). */
  opens: number;
  timeToContent: QuantileSummary | null;
  reports: number;
  calls: number;
  bytes: number;
  hits: number;
  callsPerOpen: number | null;
  bytesPerOpen: number | null;
  hitRate: number | null;
}

/** One change to an experiment: who created, started or stopped it, and when (the campaign audit log's shape). */
export interface ExperimentAuditEntry {
  experimentId: string;
  /** The owning merchant, or null for a platform experiment. */
  merchantId: string | null;
  /** openid of whoever made the change (replaced by "erased-user" when that person is erased). */
  actor: string;
  at: number;
  action: 'create' | 'start' | 'stop';
  /** create: the definition's fields; start: status and the bucket range taken; stop: status and the range given back. */
  changes: FieldChange[];
}
