import { auc } from '../../../server/engine/metrics/auc';
import {
  calibrationByQuantile,
  expectedCalibrationError,
} from '../../../server/engine/metrics/calibration';
import { logLoss } from '../../../server/engine/metrics/logloss';
import { ProgressiveValidation } from '../../../server/engine/metrics/progressive';
import { mulberry32 } from '../../../server/engine/models/rng';

describe('metrics', () => {
  it('AUC matches known values (scikit-learn roc_auc_score)', () => {
    expect(auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(auc([0, 0, 1], [0.1, 0.2, 0.3])).toBe(1);
    expect(auc([1, 1, 0], [0.1, 0.2, 0.3])).toBe(0);
    // One tie between a positive and a negative counts ½: pairs (1,0.2)>(0,0.1), tie at 0.3 → (1 + 0.5 + 1 + 1)/4.
    expect(auc([0, 1, 0, 1], [0.1, 0.3, 0.3, 0.9])).toBeCloseTo(0.875, 12);
    expect(auc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('log-loss matches scikit-learn log_loss', () => {
    expect(logLoss([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65])).toBeCloseTo(0.21616187468057912, 12);
    expect(Number.isFinite(logLoss([1, 0], [0, 1]))).toBe(true); // clipped, not Infinity
  });

  it('calibration by decile compares mean prediction and observed rate', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i % 10 < Math.floor(i / 10) ? 1 : 0));
    const preds = Array.from({ length: 100 }, (_, i) => Math.floor(i / 10) / 10);
    const bins = calibrationByQuantile(labels, preds, 10);
    expect(bins).toHaveLength(10);
    bins.forEach((b, d) => {
      expect(b.count).toBe(10);
      expect(b.meanPredicted).toBeCloseTo(d / 10, 12);
      expect(b.observedRate).toBeCloseTo(d / 10, 12);
    });
    expect(expectedCalibrationError(bins)).toBeCloseTo(0, 12);
    const off = calibrationByQuantile(
      labels,
      preds.map((p) => Math.min(1, p + 0.1)),
      10,
    );
    expect(expectedCalibrationError(off)).toBeCloseTo(0.1, 6);
  });

  it('progressive validation agrees with the exact metrics', () => {
    const rand = mulberry32(7);
    const ys: number[] = [];
    const ps: number[] = [];
    const pv = new ProgressiveValidation();
    for (let i = 0; i < 5000; i++) {
      const p = rand();
      const y = rand() < p ? 1 : 0;
      ys.push(y);
      ps.push(p);
      pv.add(y, p);
    }
    pv.add(2, 0.5); // out of range: ignored
    pv.add(1, NaN);
    expect(pv.count).toBe(5000);
    expect(pv.auc).toBeCloseTo(auc(ys, ps), 3);
    expect(pv.logLoss).toBeCloseTo(logLoss(ys, ps), 10);
  });

  it('weighted progressive validation equals the unweighted one on the rows repeated by their weight', () => {
    const rand = mulberry32(9);
    const weighted = new ProgressiveValidation();
    const repeated = new ProgressiveValidation();
    for (let i = 0; i < 3000; i++) {
      const p = rand();
      const y = rand() < p ? 1 : 0;
      const w = 1 + Math.floor(rand() * 3);
      weighted.add(y, p, w);
      for (let k = 0; k < w; k++) repeated.add(y, p);
    }
    weighted.add(1, 0.5, -1); // a negative weight: ignored
    expect(weighted.count).toBe(3000);
    expect(weighted.auc).toBeCloseTo(repeated.auc, 10);
    expect(weighted.logLoss).toBeCloseTo(repeated.logLoss, 10);
    expect(weighted.calibrationRatio).toBeCloseTo(repeated.calibrationRatio, 10);
  });
});
