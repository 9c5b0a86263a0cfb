/** Experiments and results as the `merchant` function returns them, for the experiment page tests. */
import type {
  Experiment,
  ExperimentResults,
  MerchantResponse,
  MetricResult,
} from '../../../typings';

/** 2026-11-20 10:00 in China. */
export const T0 = Date.UTC(2026, 10, 20, 2, 0);

export function experiment(over: Partial<Experiment> = {}): Experiment {
  return {
    id: 'exp_a',
    merchantId: 'm1',
    name: '多样性测试',
    parameter: 'feed.diversity',
    buckets: 2000,
    range: null,
    variants: [
      { name: 'control', weight: 1, value: 0.2 },
      { name: 'more', weight: 1, value: 0.5 },
    ],
    targetMetric: 'ctr',
    guardrails: ['paid_per_user'],
    status: 'draft',
    salt: 's',
    createdAt: T0,
    startedAt: null,
    stoppedAt: null,
    version: 1,
    ...over,
  };
}

export const running = (over: Partial<Experiment> = {}): Experiment =>
  experiment({
    status: 'running',
    range: [0, 2000],
    startedAt: T0 + 3_600_000,
    version: 2,
    ...over,
  });

export function ctrResult(enoughData = true): MetricResult {
  return {
    metric: 'ctr',
    test: 'delta-method z',
    enoughData,
    minSample: 1000,
    minUsers: 100,
    variants: [
      {
        variant: 'control',
        estimate: { n: 20000, value: 0.02, low: 0.018, high: 0.022 },
        vsControl: null,
      },
      {
        variant: 'more',
        estimate: { n: 21000, value: 0.025, low: 0.0229, high: 0.0271 },
        vsControl: { delta: 0.005, low: 0.0021, high: 0.0079, pValue: 0.0004 },
      },
    ],
  };
}

export function paidResult(): MetricResult {
  return {
    metric: 'paid_per_user',
    test: 'welch t',
    enoughData: true,
    minSample: 100,
    minUsers: 100,
    variants: [
      {
        variant: 'control',
        estimate: { n: 900, value: 350, low: 300, high: 400 },
        vsControl: null,
      },
      {
        variant: 'more',
        estimate: { n: 910, value: 340, low: 290, high: 390 },
        vsControl: { delta: -10, low: -80, high: 60, pValue: 0.78 },
      },
    ],
  };
}

export function results(over: Partial<ExperimentResults> = {}): ExperimentResults {
  return {
    experimentId: 'exp_a',
    users: { control: 1000, more: 1010 },
    purchase: {
      control: {
        scored: 800,
        meanPropensity: 0.0812,
        payers: 75,
        payRate: 0.075,
        paidFen: 660_000,
        refunds: 3,
        refundedFen: 26_400,
        netFen: 633_600,
        netPerUser: { n: 1000, value: 633.6, low: 500, high: 767.2 },
      },
      more: {
        scored: 790,
        meanPropensity: 0.0841,
        payers: 92,
        payRate: 92 / 1010,
        paidFen: 809_600,
        refunds: 0,
        refundedFen: 0,
        netFen: 809_600,
        netPerUser: { n: 1010, value: 801.6, low: 650, high: 953.2 },
      },
    },
    srm: { chiSquare: 0.05, pValue: 0.82, mismatch: false },
    target: ctrResult(),
    guardrails: [paidResult()],
    eventsRead: 123456,
    truncated: false,
    ...over,
  };
}

export const me = (role: 'owner' | 'staff' | null, admin = false): MerchantResponse => ({
  action: 'me',
  admin,
  membership: role ? { merchantId: 'm1', role, joinedAt: T0 } : null,
  merchant: role ? { id: 'm1', name: '小店', createdAt: T0 } : null,
});
