/**
 * Static accessibility rules over our WXML/WXSS (not miniprogram_npm), run by jest
 * (test/server/tools/check-a11y.test.ts):
 * - tap targets ≥ 44 px: every element of ours with a tap handler must get a height of at least
 *   44 px (88 rpx) from a class in its page's WXSS or app.wxss (min-height, height or
 *   line-height), and a `small`/`mini` van-button must bring such a class through `custom-class`
 *   (vant's own sizes are 32 / 24 px); vant's normal and large buttons (44 / 50 px), cells and
 *   fields are tall enough as they are;
 * - icon buttons are named: a tapped element or button with no text of its own (an icon, "…",
 *   "×") must carry an `aria-label`.
 * It reads start tags with a pattern, not a full parser: WXML here is well-formed, attribute
 * values are quoted, and the compiler check (`npm run check:wxml`) catches anything that is not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ownFiles } from './mp-files';

export interface A11yProblem {
  file: string;
  line: number;
  message: string;
}

interface StartTag {
  name: string;
  attrs: Map<string, string>;
  selfClosing: boolean;
  line: number;
  /** Text right after the tag up to the next tag (its first own text, for naming checks). */
  text: string;
  /** The next tag after this one: its first child, or its own end tag when it has no child element. */
  next: string;
}

const TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/g;
const ATTR = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;
const TAP = [
  'bind:tap',
  'bindtap',
  'catch:tap',
  'catchtap',
  'bind:click',
  'bindclick',
  'catch:click',
  'catchclick',
];
/** vant components whose own layout is ≥ 44 px tall. */
const TALL_VANT = new Set([
  'van-cell',
  'van-field',
  'van-tab',
  'van-tabs',
  'van-collapse-item',
  'van-grid-item',
  'van-tabbar-item',
  'van-goods-action-button',
  'van-submit-bar',
  'van-dropdown-item',
  'van-dropdown-menu',
]);
const MIN_PX = 44;

export function startTags(wxml: string): StartTag[] {
  const source = wxml.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const out: StartTag[] = [];
  for (const m of source.matchAll(TAG)) {
    const attrs = new Map<string, string>();
    for (const a of m[2].matchAll(ATTR)) attrs.set(a[1], a[2] ?? a[3] ?? '');
    const end = (m.index ?? 0) + m[0].length;
    const next = source.indexOf('<', end);
    out.push({
      name: m[1],
      attrs,
      selfClosing: m[3] === '/',
      line: source.slice(0, m.index).split('\n').length,
      text: m[3] === '/' ? '' : source.slice(end, next < 0 ? undefined : next).trim(),
      next: next < 0 ? '' : (/^<(\/?[a-zA-Z][\w-]*)/.exec(source.slice(next))?.[1] ?? ''),
    });
  }
  return out;
}

/** px a CSS length gives on a 375 px-wide phone (750 rpx); null when it is not a fixed length. */
export function lengthPx(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)(px|rpx)\s*(?:!important)?\s*$/.exec(value);
  if (!m) return null;
  return m[2] === 'rpx' ? Number(m[1]) / 2 : Number(m[1]);
}

/** Per class name: the largest height it sets (min-height, height, line-height), from plain `.class` selectors. */
export function classHeights(wxss: string): Map<string, number> {
  const out = new Map<string, number>();
  const source = wxss.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const rule of source.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    let best = 0;
    for (const decl of rule[2].split(';')) {
      const [prop, ...rest] = decl.split(':');
      if (!/^\s*(min-height|height|line-height)\s*$/.test(prop ?? '')) continue;
      best = Math.max(best, lengthPx(rest.join(':')) ?? 0);
    }
    if (!best) continue;
    for (const selector of rule[1].split(',')) {
      // The element's own class: the last compound of the selector ("a .b", ".b:active" count for .b).
      const last = selector.trim().split(/\s+|>/).pop() ?? '';
      for (const cls of last.matchAll(/\.([\w-]+)/g))
        out.set(cls[1], Math.max(out.get(cls[1]) ?? 0, best));
    }
  }
  return out;
}

const classesOf = (value: string | undefined): string[] =>
  (value ?? '').split(/\s+/).filter((c) => c && !c.includes('{{'));

function tallest(classes: string[], heights: Map<string, number>): number {
  return Math.max(0, ...classes.map((c) => heights.get(c) ?? 0));
}

/** Text a person can read: letters or digits in any script (not "…", "×", "›"). */
const hasWords = (text: string): boolean =>
  /[\p{L}\p{N}]/u.test(text.replace(/\{\{[^}]*\}\}/g, 'x'));

export function checkWxml(file: string, wxml: string, heights: Map<string, number>): A11yProblem[] {
  const problems: A11yProblem[] = [];
  for (const tag of startTags(wxml)) {
    const tapped = TAP.some((t) => tag.attrs.has(t)) || tag.attrs.get('open-type') !== undefined;
    const isButton = tag.name === 'van-button' || tag.name === 'button';
    if (!tapped && !isButton) continue;
    const at = { file, line: tag.line };
    const label = tag.attrs.get('aria-label');
    // A container (its first child is an element) is named by what it contains.
    const container = !tag.selfClosing && !tag.text && tag.next !== '' && !tag.next.startsWith('/');
    const named = container || Boolean(label && label.trim()) || hasWords(tag.text);
    if (
      !named &&
      !(tag.name.startsWith('van-') && TALL_VANT.has(tag.name)) &&
      tag.name !== 'van-switch' &&
      tag.name !== 'van-stepper'
    )
      problems.push({
        ...at,
        message: `<${tag.name}> has a tap handler and no text of its own: give it an aria-label`,
      });
    if (tag.name === 'van-button') {
      const size = tag.attrs.get('size') ?? 'normal';
      if (
        (size === 'small' || size === 'mini') &&
        tallest(classesOf(tag.attrs.get('custom-class')), heights) < MIN_PX
      )
        problems.push({
          ...at,
          message: `<van-button size="${size}"> is under 44 px: add a custom-class with min-height: 88rpx`,
        });
      continue;
    }
    if (tag.name.startsWith('van-')) continue; // other vant controls: their own sizes (cells, fields, tabs, switches, steppers)
    // A container whose first child is a tall vant control (a card wrapping a van-cell) is as tall as it.
    if (container && TALL_VANT.has(tag.next)) continue;
    if (tallest(classesOf(tag.attrs.get('class')), heights) < MIN_PX)
      problems.push({
        ...at,
        message: `<${tag.name}> has a tap handler but no class giving it ≥ 44 px (88 rpx) of height`,
      });
  }
  return problems;
}

/** Every rule over every WXML file of the Mini Program root, each with its sibling WXSS and app.wxss. */
export function checkMiniprogramA11y(mpRoot: string): { checked: number; problems: A11yProblem[] } {
  const readOr = (p: string): string => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
  const app = readOr(path.join(mpRoot, 'app.wxss'));
  const files = ownFiles(mpRoot, /\.wxml$/);
  const problems = files.flatMap((rel) => {
    const wxss = readOr(path.join(mpRoot, rel.replace(/\.wxml$/, '.wxss')));
    return checkWxml(
      rel,
      fs.readFileSync(path.join(mpRoot, rel), 'utf8'),
      classHeights(`${app}\n${wxss}`),
    );
  });
  return { checked: files.length, problems };
}
