/** Off-policy estimates (IPS, SNIPS, doubly robust) with cluster-robust intervals: by hand, and their coverage on a simulated log. */
import { offPolicyEstimates, type OpeSample } from '../../../server/engine/metrics/ope';
import { mulberry32 } from '../../../server/engine/models/rng';

const s = (
  cluster: string,
  reward: number,
  logged: number,
  target: number,
  qLogged = 0,
  qTarget = 0,
): OpeSample => ({ cluster, reward, logged, target, qLogged, qTarget });

describe('offPolicyEstimates', () => {
  it('matches a hand computation', () => {
    const e = offPolicyEstimates([
      s('u1', 1, 0.5, 1, 0.4, 0.4),
      s('u1', 0, 1, 1, 0.2, 0.2),
      s('u2', 0, 0.5, 0, 0.1, 0.3),
      s('u2', 1, 1, 1, 0.5, 0.5),
    ]);
    // IPS: (2 + 0 + 0 + 1) / 4; per-user sums 2 and 1 over 2 samples each: residuals ±0.5,
    // variance (2 / 1) × 0.5 / 4² = 0.0625, so ±1.96 × 0.25.
    expect(e.ips.value).toBeCloseTo(0.75, 12);
    expect(e.ips.high - e.ips.value).toBeCloseTo(1.959963984540054 * 0.25, 9);
    // SNIPS: 3 / (2 + 1 + 0 + 1).
    expect(e.snips.value).toBeCloseTo(0.75, 12);
    // DR: [0.4 + 2 (1 − 0.4)] + [0.2 + (0 − 0.2)] + [0.3 + 0] + [0.5 + (1 − 0.5)] = 2.9, over 4.
    expect(e.dr.value).toBeCloseTo(0.725, 12);
    expect(e.meanWeight).toBeCloseTo(1, 12);
    expect([e.samples, e.clusters]).toEqual([4, 2]);
  });

  it('refuses a zero logged propensity', () => {
    expect(() => offPolicyEstimates([s('u', 1, 0, 1)])).toThrow(/propensity/);
  });

  it("covers the candidate's true value about 95 % of the time on ε-greedy logs", () => {
    // Two actions per slot: the greedy one (click rate 0.3) and an explored one (0.1); users differ by ±0.05.
    const rng = mulberry32(7);
    const eps = 0.3;
    let covered = { ips: 0, snips: 0, dr: 0 };
    const reps = 200;
    for (let r = 0; r < reps; r++) {
      const samples: OpeSample[] = [];
      for (let u = 0; u < 60; u++) {
        const shift = (rng() - 0.5) * 0.1;
        for (let i = 0; i < 20; i++) {
          const explore = rng() < eps;
          const p = (explore ? 0.1 : 0.3) + shift;
          samples.push({
            cluster: `u${u}`,
            reward: rng() < p ? 1 : 0,
            logged: explore ? eps : 1 - eps,
            target: explore ? 0 : 1,
            qLogged: explore ? 0.1 : 0.3,
            qTarget: 0.3,
          });
        }
      }
      const e = offPolicyEstimates(samples);
      const truth = 0.3; // the population mean of the greedy action's click rate
      covered = {
        ips: covered.ips + (e.ips.low <= truth && truth <= e.ips.high ? 1 : 0),
        snips: covered.snips + (e.snips.low <= truth && truth <= e.snips.high ? 1 : 0),
        dr: covered.dr + (e.dr.low <= truth && truth <= e.dr.high ? 1 : 0),
      };
    }
    for (const c of Object.values(covered)) {
      expect(c / reps).toBeGreaterThan(0.88);
      expect(c / reps).toBeLessThan(0.99);
    }
  });
});
