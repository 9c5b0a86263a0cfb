/**
 * Draws a chart layout (layout.ts) through the few 2D-context members it needs, so a test can
 * hand in a recording fake and read back the operations. Coordinates are CSS pixels: the caller
 * scales the context for the device pixel ratio (canvas.ts).
 */
import type { ChartLayout } from './layout';

/** The slice of CanvasRenderingContext2D the chart uses. */
export interface Canvas2D {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textAlign: 'left' | 'right' | 'center' | 'start' | 'end';
  textBaseline: 'top' | 'middle' | 'bottom' | 'alphabetic' | 'hanging' | 'ideographic';
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  stroke(): void;
  fill(): void;
  fillText(text: string, x: number, y: number): void;
}

export interface ChartStyle {
  color: string;
  grid: string;
  text: string;
}

export const DEFAULT_STYLE: Omit<ChartStyle, 'color'> = { grid: '#ebedf0', text: '#969799' };

const DOT_RADIUS = 2.5;

export function drawChart(ctx: Canvas2D, layout: ChartLayout, style: ChartStyle): void {
  const { plot, fontSize } = layout;
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.font = `${fontSize}px sans-serif`;

  // Grid lines at the value ticks, labels to their left.
  ctx.strokeStyle = style.grid;
  ctx.lineWidth = 1;
  ctx.fillStyle = style.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of layout.yTicks) {
    ctx.beginPath();
    ctx.moveTo(plot.left, t.pos);
    ctx.lineTo(plot.right, t.pos);
    ctx.stroke();
    ctx.fillText(t.label, plot.left - 6, t.pos);
  }

  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(layout.caption, plot.left, plot.top - 6);

  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of layout.xTicks) ctx.fillText(t.label, t.pos, plot.bottom + 6);

  if (layout.empty) {
    ctx.textBaseline = 'middle';
    ctx.fillText('暂无数据', (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2);
    return;
  }

  ctx.strokeStyle = style.color;
  ctx.fillStyle = style.color;
  ctx.lineWidth = 2;
  for (const seg of layout.segments) {
    if (seg.length < 2) continue;
    ctx.beginPath();
    ctx.moveTo(seg[0].x, seg[0].y);
    for (const p of seg.slice(1)) ctx.lineTo(p.x, p.y);
    ctx.stroke();
  }
  // A dot per day, so a lone day between gaps still shows.
  for (const p of layout.points) {
    if (!p) continue;
    ctx.beginPath();
    ctx.arc(p.x, p.y, DOT_RADIUS, 0, Math.PI * 2);
    ctx.fill();
  }
}
