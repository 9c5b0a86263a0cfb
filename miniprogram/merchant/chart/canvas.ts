/**
 * Finds a `<canvas type="2d">` node and returns its context scaled for the device pixel ratio,
 * with its size in CSS pixels. Tests swap the query with setCanvasQuery (miniprogram-simulate
 * has no canvas nodes) and receive the drawing through a recording context.
 */
import type { Canvas2D } from './draw';

export interface ChartSurface {
  ctx: Canvas2D;
  width: number;
  height: number;
}

export type CanvasQuery = (
  owner: WechatMiniprogram.Component.TrivialInstance,
  selector: string,
) => Promise<ChartSurface | null>;

function pixelRatio(): number {
  const info = typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo() : wx.getSystemInfoSync();
  return info.pixelRatio || 1;
}

/** The runtime's query: selector fields {node, size}; null when the canvas is not on the page (yet). */
export const wxCanvasQuery: CanvasQuery = (owner, selector) =>
  new Promise((resolve) => {
    wx.createSelectorQuery()
      .in(owner)
      .select(selector)
      .fields({ node: true, size: true }, () => undefined)
      .exec(
        (
          res: { node?: WechatMiniprogram.Canvas; width?: number; height?: number }[] | undefined,
        ) => {
          const hit = res?.[0];
          if (!hit?.node || !hit.width || !hit.height) return resolve(null);
          const dpr = pixelRatio();
          const canvas = hit.node;
          // Setting the size also clears the canvas and resets its transform, so scale once per draw.
          canvas.width = Math.round(hit.width * dpr);
          canvas.height = Math.round(hit.height * dpr);
          const ctx = canvas.getContext('2d') as Canvas2D & { scale(x: number, y: number): void };
          ctx.scale(dpr, dpr);
          resolve({ ctx, width: hit.width, height: hit.height });
        },
      );
  });

let current: CanvasQuery = wxCanvasQuery;

export function queryCanvas(
  owner: WechatMiniprogram.Component.TrivialInstance,
  selector: string,
): Promise<ChartSurface | null> {
  return current(owner, selector);
}

/** Replaces the query (tests); null restores the runtime's. */
export function setCanvasQuery(query: CanvasQuery | null): void {
  current = query ?? wxCanvasQuery;
}
