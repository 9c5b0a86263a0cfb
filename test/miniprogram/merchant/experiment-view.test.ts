/** The experiment pages' pure parts: verdict wording, p-values, interval bars on a shared axis, variant values. */
import { valueText } from '../../../miniprogram/merchant/experiment-labels';
import { bars, pText, verdict } from '../../../miniprogram/merchant/pages/experiment/view';

describe('experiment view', () => {
  it('words a comparison only with enough data, by p-value and direction', () => {
    expect(verdict(false, 0.5, 0.0001)).toEqual({ kind: 'pending', text: '样本不足，暂不下结论' });
    expect(verdict(true, 0.5, null).kind).toBe('untestable');
    expect(verdict(true, 0.01, 0.049)).toEqual({ kind: 'better', text: '显著高于对照组' });
    expect(verdict(true, -0.01, 0.01)).toEqual({ kind: 'worse', text: '显著低于对照组' });
    expect(verdict(true, 0.01, 0.05)).toEqual({ kind: 'same', text: '与对照组无显著差异' });
  });

  it('writes p-values with three decimals, and tiny ones as p < 0.001', () => {
    expect(pText(0.0004)).toBe('p < 0.001');
    expect(pText(0.0345)).toBe('p = 0.035');
    expect(pText(null)).toBe('p = —');
  });

  it('places every interval on one padded axis, in % of the track', () => {
    const [a, b] = bars([
      { value: 10, low: 8, high: 12 },
      { value: 20, low: 18, high: 22 },
    ]);
    // Axis 8..22 padded by 5 % of 14 on each side: 7.3..22.7.
    expect(a.left).toBeCloseTo(4.5, 1);
    expect(b.left + b.width).toBeCloseTo(95.5, 1);
    expect(a.point).toBeGreaterThan(a.left);
    expect(a.point).toBeLessThan(a.left + a.width);
    expect(b.point).toBeCloseTo(82.5, 0);
  });

  it('keeps a bar visible without an interval or when all values are equal', () => {
    const [only] = bars([{ value: 0, low: null, high: null }]);
    expect(only.width).toBeGreaterThan(0);
    expect(only.point).toBeCloseTo(50, 0);
  });

  it('shows ad positions 1-based, as the feed cards people count', () => {
    expect(valueText('ads.slots', [3, 10])).toBe('第 4、11 条');
    expect(valueText('ads.slots', [])).toBe('不放广告');
    expect(valueText('feed.explore', 0.05)).toBe('0.05');
  });
});
