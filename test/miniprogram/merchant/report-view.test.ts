/** The report page's pure parts: CST ranges, custom-range checks, totals and labels. */
import {
  breakdownLabel,
  pickerRange,
  presetRange,
  rangeText,
  totals,
} from '../../../miniprogram/merchant/pages/report/view';

/** 2026-11-28 00:30 in China, still the 27th in UTC. */
const NOW = Date.UTC(2026, 10, 27, 16, 30);

describe('report view', () => {
  it('counts preset days in China Standard Time, today included', () => {
    expect(presetRange(7, NOW)).toEqual({ from: '20261122', to: '20261128' });
    expect(presetRange(1, NOW)).toEqual({ from: '20261128', to: '20261128' });
  });

  it('accepts a custom range of up to 31 days ending today at the latest', () => {
    expect(pickerRange('2026-10-29', '2026-11-28', NOW)).toEqual({
      from: '20261029',
      to: '20261128',
    });
    expect(pickerRange('2026-10-28', '2026-11-28', NOW)).toEqual({
      error: '一次最多查询 31 天，请缩短日期范围',
    });
    expect(pickerRange('2026-11-20', '2026-11-29', NOW)).toEqual({ error: '结束日期不能晚于今天' });
    expect(pickerRange('2026-11-20', '2026-11-19', NOW)).toEqual({
      error: '结束日期不能早于开始日期',
    });
    expect(pickerRange('', '2026-11-19', NOW)).toEqual({ error: '请选择开始和结束日期' });
  });

  it('writes ranges and breakdown keys in Chinese', () => {
    expect(rangeText({ from: '20261228', to: '20270103' })).toBe('2026年12月28日 – 2027年1月3日');
    expect(rangeText({ from: '20261128', to: '20261128' })).toBe('11月28日');
    expect(breakdownLabel('position', '0')).toBe('信息流第 1 条');
    expect(breakdownLabel('segment', 'scene:1089')).toBe('聊天主界面下拉（1089）');
    expect(breakdownLabel('segment', 'scene:1234')).toBe('场景 1234');
  });

  it('takes CTR and ROAS as ratios of the sums, null without a denominator', () => {
    const day = {
      requestsWon: 0,
      cpaFen: null,
      orders: 0,
      paidFen: 0,
      refunds: 0,
      refundedFen: 0,
      netOrders: 0,
      netPaidFen: 0,
      invalidClicks: 0,
    };
    const t = totals([
      {
        ...day,
        day: '20261127',
        viewableImpressions: 100,
        clicks: 10,
        spendFen: 100,
        ctr: 0.1,
        roas: 0,
      },
      {
        ...day,
        day: '20261128',
        viewableImpressions: 900,
        clicks: 0,
        spendFen: 0,
        ctr: 0,
        roas: null,
        orders: 2,
        paidFen: 500,
        // One of the two refunded in full: CPA and ROAS are net of it.
        netOrders: 1,
        netPaidFen: 300,
      },
    ]);
    expect(t.ctr).toBeCloseTo(0.01);
    expect(t.roas).toBe(3);
    expect(t.cpaFen).toBe(100);
    expect(totals([]).ctr).toBeNull();
    expect(totals([]).roas).toBeNull();
  });
});
