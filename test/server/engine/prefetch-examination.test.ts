import {
  examinationAdjusted,
  fitExamination,
  fitRegressionExamination,
  predictOpen,
  type SlateObservation,
} from '../../../server/engine/prefetch/examination';
import { mulberry32 } from '../../../server/engine/models/rng';

/** Logs drawn from a known PBM: 200 items of attractiveness in [0.05, 0.65], shown at random places. */
function generate(exam: (k: number) => number, n: number, seed: number): SlateObservation[] {
  const rand = mulberry32(seed);
  const alpha = Array.from({ length: 200 }, () => 0.05 + 0.6 * rand());
  const out: SlateObservation[] = [];
  for (let i = 0; i < n; i++) {
    const item = Math.floor(rand() * alpha.length);
    const k = Math.floor(rand() * 10);
    out.push({ itemId: `i${item}`, k, clicked: rand() < exam(k) * alpha[item] });
  }
  return out;
}

describe('position-based examination (EM)', () => {
  it('recovers known examination probabilities from generated logs', () => {
    const truth = (k: number): number => 1 / (1 + 0.15 * k);
    const model = fitExamination(generate(truth, 200_000, 11));
    expect(model.examination[0]).toBe(1);
    for (let k = 1; k < 10; k++) {
      expect(Math.abs(model.examination[k] - truth(k))).toBeLessThan(0.04);
    }
    // The shape, not just the ends: strictly falling at this sample size.
    expect(model.examination[9]).toBeLessThan(model.examination[3]);
  });

  it('finds no position bias where there is none, and steeper bias where it is steeper', () => {
    const flat = fitExamination(generate(() => 0.9, 200_000, 12));
    for (const e of flat.examination) expect(Math.abs(e - 1)).toBeLessThan(0.05);
    const steep = fitExamination(generate((k) => 1 / (1 + 0.5 * k), 200_000, 13));
    expect(Math.abs(steep.examination[9] - 1 / 5.5)).toBeLessThan(0.04);
  });

  it('ranks items by attractiveness, not by where they were shown', () => {
    const rand = mulberry32(5);
    const logs: SlateObservation[] = [];
    // "good" (0.5) is mostly shown low, "poor" (0.2) mostly at the top: raw CTRs are close.
    for (let i = 0; i < 40_000; i++) {
      const kGood = rand() < 0.8 ? 8 : 0;
      const kPoor = rand() < 0.8 ? 0 : 8;
      const e = (k: number): number => 1 / (1 + 0.3 * k);
      logs.push({ itemId: 'good', k: kGood, clicked: rand() < e(kGood) * 0.5 });
      logs.push({ itemId: 'poor', k: kPoor, clicked: rand() < e(kPoor) * 0.2 });
      const kOther = Math.floor(rand() * 10);
      logs.push({ itemId: `o${i % 50}`, k: kOther, clicked: rand() < e(kOther) * 0.3 });
    }
    const model = fitExamination(logs);
    expect(model.attractiveness.get('good')!).toBeGreaterThan(0.45);
    expect(model.attractiveness.get('poor')!).toBeLessThan(0.25);
  });

  it('replaces the click model position curve with the examination one', () => {
    const model = { examination: [1, 0.5] };
    // The click model thinks place 1 is as good as place 0: its pCTR there is halved.
    expect(examinationAdjusted(0.2, 1, model, [0.1, 0.1])).toBeCloseTo(0.1);
    // Its curve already falls like the examination: unchanged.
    expect(examinationAdjusted(0.2, 1, model, [0.1, 0.05])).toBeCloseTo(0.2);
    // Without a curve, the pCTR stands.
    expect(examinationAdjusted(0.2, 1, model, [])).toBeCloseTo(0.2);
  });
});

describe('regression EM (attractiveness from the click model score)', () => {
  it('recovers examination and the score link from generated logs', () => {
    const rand = mulberry32(21);
    const truth = (k: number): number => 1 / (1 + 0.15 * k);
    const logs = [];
    for (let i = 0; i < 100_000; i++) {
      const k = Math.floor(rand() * 10);
      // The click model's score is a noisy view of attractiveness.
      const a = 0.05 + 0.6 * rand();
      const pctr = Math.min(0.95, Math.max(0.01, a * (0.8 + 0.4 * rand())));
      logs.push({ k, pctr, clicked: rand() < truth(k) * a });
    }
    const model = fitRegressionExamination(logs);
    for (let k = 1; k < 10; k++) {
      expect(Math.abs(model.examination[k] - truth(k))).toBeLessThan(0.05);
    }
    // Higher score, likelier open; the place still counts.
    expect(predictOpen(model, 0, 0.5)).toBeGreaterThan(predictOpen(model, 0, 0.1));
    expect(predictOpen(model, 0, 0.3)).toBeGreaterThan(predictOpen(model, 9, 0.3));
    expect(Math.abs(predictOpen(model, 0, 0.3) - 0.3)).toBeLessThan(0.06);
  });
});
