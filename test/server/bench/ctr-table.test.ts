/** bench:ctr's time ratios: the paired medians of --repeat, and the single ratio without it. */
import type { CtrResult } from '../../../bench/ctr/result';
import { pairedRatios, ratioSpread, timeRatio } from '../../../bench/ctr/table';

const ours = (extra: Partial<CtrResult> = {}): CtrResult =>
  ({ name: 'x', trainSeconds: 2, model: 'lr', ...extra }) as CtrResult;

describe('bench:ctr time ratios', () => {
  it('is our training over the anchor fit for one run, and null without an anchor', () => {
    expect(timeRatio({ ours: ours(), anchor: { auc: 0.8, logloss: 0.3, fitSeconds: 0.5 } })).toBe(
      4,
    );
    expect(timeRatio({ ours: ours() })).toBeNull();
  });

  it('takes the median of the paired ratios with --repeat, in wall clock or CPU time', () => {
    const row = {
      ours: ours({
        timings: {
          trainSeconds: [2, 1, 9, 1.5],
          liblinearSeconds: [1, 1, 1, 1],
          trainCpuSeconds: [1, 1, 1, 1],
          liblinearCpuSeconds: [0.5, 1, 0.25, 2],
        },
      }),
      anchor: { auc: 0.8, logloss: 0.3, fitSeconds: 0.1 },
    };
    expect(pairedRatios(row)).toEqual([2, 1, 9, 1.5]);
    // The median of the pairs wins over the anchor's single fit (which would give 20).
    expect(timeRatio(row)).toBe(1.75);
    expect(ratioSpread(row)).toEqual({ median: 1.75, min: 1, max: 9, n: 4 });
    expect(ratioSpread(row, 'cpu')).toEqual({ median: 1.5, min: 0.5, max: 4, n: 4 });
  });
});
