/**
 * The experience-score (体验评分) rules that can be checked offline on any rendered page
 * (issue 18): setData as the `measured` behavior metered it (≤ 256 KB per call, ≤ 20 calls in
 * any second), the rendered tree (< 1,000 nodes, depth < 30, vant's nodes included) and images
 * sized to their display (a picture whose URL states its pixel size, services/image-size.ts, is
 * flagged when it is over 2× its rendered box in both dimensions on the reference device).
 */
import {
  MAX_BYTES_PER_CALL,
  MAX_CALLS_PER_SECOND,
  type SetDataMeter,
} from '../../../miniprogram/services/set-data-meter';
import { statedSize } from '../../../miniprogram/services/image-size';

export const MAX_NODES = 1_000;
export const MAX_DEPTH = 30;
/** Physical pixels per rpx on the reference device (750 rpx = 375 pt at 2×: iPhone 6/7/8). */
export const PX_PER_RPX = 1;
/** How much larger than its box (in both dimensions) a picture may be before it is flagged. */
export const MAX_OVERSIZE = 2;

interface Rendered {
  dom: unknown;
  instance: object;
  toJSON(): unknown;
}

/** Element count and depth of the rendered tree. */
export function shape(root: Element): { nodes: number; depth: number } {
  let nodes = 0;
  let depth = 0;
  const walk = (el: Element, d: number): void => {
    nodes++;
    depth = Math.max(depth, d);
    for (const c of Array.from(el.children)) walk(c, d + 1);
  };
  walk(root, 1);
  return { nodes, depth };
}

/** A style length in rpx: simulate writes rpx as px (1:1), % is of the 750 rpx screen. */
const rpx = (value: string | undefined): number | null => {
  const m = value ? /^\s*([\d.]+)(rpx|px|%)\s*$/.exec(value) : null;
  if (!m) return null;
  return m[2] === '%' ? (Number(m[1]) / 100) * 750 : Number(m[1]);
};

interface JsonNode {
  tagName?: string;
  attrs?: Array<{ name: string; value: unknown }>;
  children?: Array<JsonNode | string>;
}

const attr = (n: JsonNode, name: string): string =>
  String(n.attrs?.find((a) => a.name === name)?.value ?? '');

/**
 * Pictures whose stated pixel size exceeds MAX_OVERSIZE × their rendered box in both dimensions,
 * from simulate's JSON tree (`toJSON()`): a native image inside a box whose style sets its width
 * and height (vant's van-image root).
 */
export function oversizedImages(tree: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, box: { w: number; h: number } | null): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as JsonNode;
    const style = attr(n, 'style');
    const w = rpx(/(?:^|;)\s*width:\s*([^;]+)/.exec(style)?.[1]);
    const h = rpx(/(?:^|;)\s*height:\s*([^;]+)/.exec(style)?.[1]);
    const here = w !== null && h !== null ? { w, h } : box;
    if (n.tagName === 'wx-image' && here) {
      const src = attr(n, 'src');
      const size = statedSize(src);
      if (
        size &&
        size.width > MAX_OVERSIZE * here.w * PX_PER_RPX &&
        size.height > MAX_OVERSIZE * here.h * PX_PER_RPX
      )
        out.push(`${src} (${size.width}×${size.height} px in ${here.w}×${here.h} rpx)`);
    }
    for (const c of n.children ?? []) walk(c, here);
  };
  walk(tree, null);
  return out;
}

/** Asserts every rule on a rendered page; `minNodes` guards against checking an empty render. */
export function expectExperience(page: Rendered, minNodes = 20): void {
  const meter = (page.instance as { setDataMeter?: SetDataMeter }).setDataMeter;
  expect(meter).toBeDefined(); // the page uses `measured` (directly or through `loadable`)
  const m = meter!.peek();
  expect(m.calls).toBeGreaterThan(0);
  expect(m.maxBytes).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
  expect(m.peakPerSecond).toBeLessThanOrEqual(MAX_CALLS_PER_SECOND);
  const root = page.dom as Element;
  const { nodes, depth } = shape(root);
  expect(nodes).toBeGreaterThan(minNodes);
  expect(nodes).toBeLessThan(MAX_NODES);
  expect(depth).toBeLessThan(MAX_DEPTH);
  expect(oversizedImages(page.toJSON())).toEqual([]);
}
