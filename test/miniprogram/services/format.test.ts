import {
  count,
  cstDay,
  dateTime,
  dayLabel,
  fenFromYuan,
  msFromPickerDate,
  percent,
  percentPoints,
  pickerDate,
  ratio,
  signedYuan,
  yuan,
} from '../../../miniprogram/services/format';

describe('zh-CN formatting', () => {
  it('formats fen as yuan with separators and two decimals', () => {
    expect(yuan(0)).toBe('¥0.00');
    expect(yuan(1990)).toBe('¥19.90');
    expect(yuan(123456789)).toBe('¥1,234,567.89');
    expect(yuan(-5)).toBe('-¥0.05');
    expect(yuan(Number.NaN)).toBe('—');
  });

  it('parses typed yuan into fen and refuses anything else', () => {
    expect(fenFromYuan('12.5')).toBe(1250);
    expect(fenFromYuan(' 3 ')).toBe(300);
    expect(fenFromYuan('0.01')).toBe(1);
    for (const bad of ['', '-1', '1.234', 'abc', '1e3', '.5']) expect(fenFromYuan(bad)).toBeNull();
  });

  it('uses China Standard Time for days and times', () => {
    const ms = Date.UTC(2026, 10, 27, 16, 5); // 2026-11-28 00:05 CST
    expect(cstDay(ms)).toBe('20261128');
    expect(dateTime(ms)).toBe('2026年11月28日 00:05');
    expect(pickerDate(ms)).toBe('2026-11-28');
    expect(msFromPickerDate('2026-11-28')).toBe(Date.UTC(2026, 10, 27, 16, 0));
    expect(msFromPickerDate('2026-02-30')).toBeNull();
    expect(dayLabel('20261128')).toBe('11月28日');
    expect(dayLabel('20260105', true)).toBe('2026年1月5日');
  });

  it('formats rates and counts', () => {
    expect(percent(0.0345)).toBe('3.45%');
    expect(percent(null)).toBe('—');
    expect(count(12345)).toBe('12,345');
    expect(count(123456)).toBe('12.3万');
  });

  it('formats ratios and signed differences', () => {
    expect(ratio(2.345)).toBe('2.35');
    expect(ratio(0)).toBe('0.00');
    expect(ratio(null)).toBe('—');
    expect(percentPoints(0.0012)).toBe('+0.12 个百分点');
    expect(percentPoints(-0.0345)).toBe('-3.45 个百分点');
    expect(percentPoints(0.00001)).toBe('0.00 个百分点');
    expect(percentPoints(null)).toBe('—');
    expect(signedYuan(150)).toBe('+¥1.50');
    expect(signedYuan(-5)).toBe('-¥0.05');
    expect(signedYuan(0.2)).toBe('¥0.00');
    expect(signedYuan(null)).toBe('—');
  });
});
