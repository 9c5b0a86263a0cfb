/** The report chart: its pure layout (scales, ticks, zh-CN labels, gaps) and the drawing ops it produces on a recording context. */
import { DEFAULT_STYLE, drawChart } from '../../../miniprogram/merchant/chart/draw';
import {
  layoutChart,
  niceStep,
  tickLabel,
  valueTicks,
} from '../../../miniprogram/merchant/chart/layout';
import type { ChartInput } from '../../../miniprogram/merchant/chart/layout';
import { drawnTexts, recordingCanvas } from './recording-canvas';

const days = (n: number): string[] => Array.from({ length: n }, (_, i) => `11月${i + 1}日`);

function input(over: Partial<ChartInput> = {}): ChartInput {
  return {
    width: 320,
    height: 200,
    labels: days(3),
    values: [10, 40, 25],
    kind: 'count',
    caption: '曝光（次）',
    ...over,
  };
}

describe('chart layout', () => {
  it('picks 1/2/5 × 10^k steps and ticks from zero past the maximum', () => {
    expect([0.7, 1, 1.5, 3, 7, 12, 0.013].map(niceStep)).toEqual([1, 1, 2, 5, 10, 20, 0.02]);
    expect(valueTicks(40, 'count')).toEqual([0, 10, 20, 30, 40]);
    expect(valueTicks(43, 'count')).toEqual([0, 20, 40, 60]);
    expect(valueTicks(3, 'count')).toEqual([0, 1, 2, 3]); // counts never step below 1
    expect(valueTicks(0.034, 'percent')).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    expect(valueTicks(0, 'fen')).toEqual([0, 100, 200, 300, 400]); // an all-zero series still has an axis
  });

  it('labels ticks in zh-CN per kind, with the decimals the step needs', () => {
    expect(tickLabel(20_000, 'count', 10_000)).toBe('2万');
    expect(tickLabel(15_000, 'count', 5_000)).toBe('1.5万');
    expect(tickLabel(300, 'count', 100)).toBe('300');
    expect([
      tickLabel(0, 'count', 1),
      tickLabel(0, 'percent', 0.005),
      tickLabel(0, 'fen', 50),
    ]).toEqual(['0', '0%', '¥0']);
    expect(tickLabel(0.02, 'percent', 0.01)).toBe('2%');
    expect(tickLabel(0.005, 'percent', 0.005)).toBe('0.5%');
    expect(tickLabel(150, 'fen', 50)).toBe('¥1.5');
    expect(tickLabel(15, 'fen', 5)).toBe('¥0.15');
    expect(tickLabel(20_000, 'fen', 10_000)).toBe('¥200');
    expect(tickLabel(2_500_000, 'fen', 500_000)).toBe('¥2.5万');
  });

  it('maps values into the plot: zero on the bottom, the top tick on the top, days centred in equal bands', () => {
    const l = layoutChart(input());
    expect(l.yTicks.map((t) => t.label)).toEqual(['0', '10', '20', '30', '40']);
    expect(l.yTicks[0].pos).toBeCloseTo(l.plot.bottom);
    expect(l.yTicks[4].pos).toBeCloseTo(l.plot.top);
    const band = (l.plot.right - l.plot.left) / 3;
    expect(l.points.map((p) => p?.x)).toEqual([0.5, 1.5, 2.5].map((k) => l.plot.left + k * band));
    expect(l.points[1]?.y).toBeCloseTo(l.plot.top); // 40 is the top tick
    expect(l.points[0]?.y).toBeCloseTo(l.plot.bottom - (l.plot.bottom - l.plot.top) / 4);
    // The value axis leaves room for its widest label.
    expect(l.plot.left).toBeGreaterThan(8 + 2 * 11 * 0.6);
    expect(l.empty).toBe(false);
  });

  it('breaks the line at days without a value and says when there is nothing at all', () => {
    const l = layoutChart(
      input({
        labels: days(5),
        values: [0.01, null, 0.02, 0.03, null],
        kind: 'percent',
        caption: '点击率',
      }),
    );
    expect(l.points.map((p) => p === null)).toEqual([false, true, false, false, true]);
    expect(l.segments.map((s) => s.map((p) => p.value))).toEqual([[0.01], [0.02, 0.03]]);
    expect(layoutChart(input({ values: [null, null, null] })).empty).toBe(true);
  });

  it('thins day labels on a narrow chart, always keeping the last day', () => {
    const l = layoutChart(
      input({ labels: days(30), values: Array.from({ length: 30 }, (_, i) => i) }),
    );
    expect(l.xTicks.length).toBeLessThan(30);
    expect(l.xTicks[l.xTicks.length - 1].label).toBe('11月30日');
    const gaps = l.xTicks.slice(1).map((t, i) => t.pos - l.xTicks[i].pos);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(5 * 11); // "11月30日" is about five ems wide
    expect(layoutChart(input({ labels: days(1), values: [3] })).xTicks.map((t) => t.label)).toEqual(
      ['11月1日'],
    );
  });
});

describe('chart drawing', () => {
  it('draws grid, axis labels, caption, one polyline per run and a dot per day', () => {
    const ctx = recordingCanvas();
    const l = layoutChart(input({ labels: days(4), values: [10, 20, null, 30] }));
    drawChart(ctx, l, { ...DEFAULT_STYLE, color: '#1989fa' });

    expect(ctx.ops[0]).toEqual({ op: 'clearRect', args: [0, 0, 320, 200] });
    expect(drawnTexts(ctx)).toEqual([
      '0',
      '10',
      '20',
      '30',
      '曝光（次）',
      '11月1日',
      '11月2日',
      '11月3日',
      '11月4日',
    ]);
    // Grid lines span the plot at each tick.
    const grid = ctx.ops.filter((o) => o.op === 'lineTo' && o.args[0] === l.plot.right);
    expect(grid.map((o) => o.args[1])).toEqual(l.yTicks.map((t) => t.pos));
    // The series: colour set, then one stroked polyline for days 1–2 (the gap leaves day 4 as a dot only).
    const colourAt = ctx.ops.findIndex(
      (o) => o.op === 'set strokeStyle' && o.args[0] === '#1989fa',
    );
    const series = ctx.ops.slice(colourAt);
    const [p0, p1, , p3] = l.points;
    expect(series.filter((o) => o.op === 'moveTo')).toEqual([
      { op: 'moveTo', args: [p0!.x, p0!.y] },
    ]);
    expect(series.filter((o) => o.op === 'lineTo')).toEqual([
      { op: 'lineTo', args: [p1!.x, p1!.y] },
    ]);
    expect(series.filter((o) => o.op === 'arc').map((o) => o.args.slice(0, 2))).toEqual(
      [p0, p1, p3].map((p) => [p!.x, p!.y]),
    );
    expect(series.filter((o) => o.op === 'fill')).toHaveLength(3);
  });

  it('writes 暂无数据 and draws no series when there are no values', () => {
    const ctx = recordingCanvas();
    drawChart(
      ctx,
      layoutChart(input({ values: [null, null, null], kind: 'percent', caption: '点击率' })),
      { ...DEFAULT_STYLE, color: '#ff976a' },
    );
    expect(drawnTexts(ctx)).toContain('暂无数据');
    expect(ctx.ops.some((o) => o.op === 'arc')).toBe(false);
    expect(ctx.ops.some((o) => o.op === 'set strokeStyle' && o.args[0] === '#ff976a')).toBe(false);
  });
});
