/** A fake 2D context that records every call and style assignment, in order, as plain data. */
import type { Canvas2D } from '../../../miniprogram/merchant/chart/draw';

export type Op = { op: string; args: unknown[] };

export interface RecordingCanvas extends Canvas2D {
  ops: Op[];
}

const METHODS = [
  'clearRect',
  'beginPath',
  'moveTo',
  'lineTo',
  'arc',
  'stroke',
  'fill',
  'fillText',
  'scale',
] as const;
const PROPS = [
  'fillStyle',
  'strokeStyle',
  'lineWidth',
  'font',
  'textAlign',
  'textBaseline',
] as const;

export function recordingCanvas(): RecordingCanvas {
  const ops: Op[] = [];
  const state: Record<string, unknown> = {};
  const ctx = { ops } as unknown as RecordingCanvas & Record<string, unknown>;
  for (const m of METHODS) ctx[m] = (...args: unknown[]) => void ops.push({ op: m, args });
  for (const p of PROPS) {
    Object.defineProperty(ctx, p, {
      get: () => state[p],
      set: (v: unknown) => {
        state[p] = v;
        ops.push({ op: `set ${p}`, args: [v] });
      },
    });
  }
  return ctx;
}

/** The texts drawn, in order. */
export const drawnTexts = (ctx: RecordingCanvas): string[] =>
  ctx.ops.filter((o) => o.op === 'fillText').map((o) => String(o.args[0]));
