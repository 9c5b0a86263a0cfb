/**
 * Off-policy evaluation: the click rate a candidate policy would get, estimated from what a
 * logging policy served and how people reacted, with the propensities it logged. Inverse
 * propensity scoring (Horvitz & Thompson 1952), self-normalised IPS (Swaminathan & Joachims
 * 2015, "The Self-Normalized Estimator for Counterfactual Learning") and doubly robust
 * (Dudík, Langford & Li 2011, "Doubly Robust Policy Evaluation and Learning"). Samples of one
 * user are correlated (one taste, one session), so each interval is a cluster-robust 95 %
 * normal interval over users: every estimate is a ratio of per-user sums, its variance the
 * delta method's (U / (U − 1)) Σ_u (A_u − R·B_u)² / (Σ_u B_u)².
 */

/** One logged action (a card shown at a slot) and what the candidate would have done there. */
export interface OpeSample {
  /** The unit samples are correlated within (a user). */
  cluster: string;
  /** Observed reward of the logged action (1 clicked, 0 not). */
  reward: number;
  /** Probability the logging policy had of this action here (> 0). */
  logged: number;
  /** Probability the candidate policy has of this action here. */
  target: number;
  /** Reward model at the logged action (doubly robust only). */
  qLogged: number;
  /** Reward model's expected reward of the candidate's action distribution here (doubly robust only). */
  qTarget: number;
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface OpeEstimates {
  /** Samples used, and users they came from. */
  samples: number;
  clusters: number;
  ips: Interval;
  snips: Interval;
  dr: Interval;
  /** Mean importance weight (1 in expectation when the propensities are right). */
  meanWeight: number;
}

const Z95 = 1.959963984540054;

/** R = Σ A_u / Σ B_u with its cluster-robust 95 % interval. */
function ratio(a: Map<string, number>, b: Map<string, number>): Interval {
  let sa = 0;
  let sb = 0;
  for (const [u, x] of a) {
    sa += x;
    sb += b.get(u) ?? 0;
  }
  const r = sb > 0 ? sa / sb : 0;
  const n = a.size;
  let ss = 0;
  for (const [u, x] of a) ss += (x - r * (b.get(u) ?? 0)) ** 2;
  const se = n > 1 && sb > 0 ? Math.sqrt((n / (n - 1)) * ss) / sb : Infinity;
  return { value: r, low: r - Z95 * se, high: r + Z95 * se };
}

const add = (m: Map<string, number>, k: string, v: number): void => {
  m.set(k, (m.get(k) ?? 0) + v);
};

/** IPS, SNIPS and DR estimates of the candidate's mean reward per action slot. */
export function offPolicyEstimates(samples: readonly OpeSample[]): OpeEstimates {
  const ips = new Map<string, number>();
  const dr = new Map<string, number>();
  const count = new Map<string, number>();
  const weight = new Map<string, number>();
  let wSum = 0;
  for (const s of samples) {
    if (!(s.logged > 0)) throw new Error('offPolicyEstimates: a logged propensity must be > 0');
    const w = s.target / s.logged;
    add(ips, s.cluster, w * s.reward);
    add(dr, s.cluster, s.qTarget + w * (s.reward - s.qLogged));
    add(count, s.cluster, 1);
    add(weight, s.cluster, w);
    wSum += w;
  }
  return {
    samples: samples.length,
    clusters: count.size,
    ips: ratio(ips, count),
    snips: ratio(ips, weight),
    dr: ratio(dr, count),
    meanWeight: samples.length ? wSum / samples.length : 0,
  };
}
