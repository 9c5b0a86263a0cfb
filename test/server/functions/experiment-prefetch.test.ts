/** The feed.prefetch parameter (issue 18): a platform experiment whose variants are prefetch policies. */
import { overridesOf } from '../../../server/engine/experiments/assign';
import { ownerMayVary } from '../../../server/engine/experiments/definition';
import { experimentInput } from '../../../server/functions/merchant/experiment-schema';

const input = (values: unknown[]) => ({
  name: '详情预取',
  parameter: 'feed.prefetch',
  trafficPercent: 30,
  variants: values.map((value, i) => ({ name: `v${i}`, weight: 1, value })),
  targetMetric: 'ctr',
  guardrails: [],
});

describe('feed.prefetch experiments', () => {
  it('take off / position / learned as variant values, and nothing else', () => {
    expect(experimentInput.safeParse(input(['off', 'position', 'learned'])).success).toBe(true);
    for (const bad of ['Learned', 0.5, [1], '', null]) {
      const r = experimentInput.safeParse(input(['off', bad]));
      expect(r.success).toBe(false);
      if (!r.success) expect(r.error.issues[0].path).toEqual(['variants', 1, 'value']);
    }
  });

  it('are the platform’s alone, and set the serving override', () => {
    expect(ownerMayVary(null, 'feed.prefetch')).toBe(true);
    expect(ownerMayVary('m1', 'feed.prefetch')).toBe(false);
    expect(
      overridesOf([
        { experimentId: 'e', parameter: 'feed.prefetch', variant: 'b', value: 'position' },
      ]),
    ).toEqual({ prefetchPolicy: 'position' });
  });
});
