/** WXSS → browser CSS for the screenshot renderer: the rules WeChat applies that a browser does not know. */
import fs from 'node:fs';
import path from 'node:path';

/** The Mini Program's 750rpx-wide screen drawn at 375 CSS px: 1rpx = 0.5px. */
export const PX_PER_RPX = 375 / 750;

/** WXML's built-in tags as miniprogram-simulate renders them (`<view>` → `<wx-view>`). */
const BUILT_IN = [
  'view',
  'text',
  'image',
  'button',
  'input',
  'textarea',
  'scroll-view',
  'swiper',
  'swiper-item',
  'navigator',
  'icon',
  'label',
  'form',
  'canvas',
  'picker',
  'picker-view',
  'switch',
  'slider',
  'radio',
  'checkbox',
];
const TYPE_SELECTOR = new RegExp(
  `(^|[\\s>+~,(])(${[...BUILT_IN, 'page'].sort((a, b) => b.length - a.length).join('|')})(?=$|[\\s.:#[>+~,)])`,
  'g',
);

/** `12rpx` → `6px` (decimals and negative values too), rounded to 1/100 px. */
export function rpxToPx(css: string): string {
  return css.replace(
    /(-?\d*\.?\d+)rpx\b/g,
    (_, n: string) => `${+(Number(n) * PX_PER_RPX).toFixed(2)}px`,
  );
}

/**
 * Rewrites the selectors of one rule: `page` is the body, built-in tags are their `wx-` elements,
 * and `:host` is the component's own tag (simulate renders the host as an element with that tag).
 */
export function convertSelector(selector: string, hostTag?: string): string {
  let s = selector.replace(TYPE_SELECTOR, (_, before: string, tag: string) =>
    tag === 'page' ? `${before}body` : `${before}wx-${tag}`,
  );
  if (hostTag) s = s.replace(/:host(?![-\w])/g, hostTag);
  return s;
}

/**
 * One component's compiled WXSS (simulate's class prefixes already applied) as browser CSS:
 * selectors converted rule by rule (at-rule bodies included, keyframe steps left alone), rpx as px.
 */
export function wxssToCss(wxss: string, hostTag?: string): string {
  const out = wxss.replace(/([^{}@;]+)\{/g, (all, selector: string) => {
    const trimmed = selector.trim();
    if (/^(from|to|\d+(\.\d+)?%)(\s*,\s*(from|to|\d+(\.\d+)?%))*$/.test(trimmed)) return all;
    return `${convertSelector(selector, hostTag)}{`;
  });
  return rpxToPx(out);
}

/**
 * What WeChat's base library gives the built-in elements and a browser does not: views are blocks,
 * text inline, scroll views scroll, images keep WeChat's default 320 × 240 box, native buttons lose
 * the browser's chrome (vant draws its own); inputs show the value (or placeholder) the renderer copied
 * onto them as data-shot-* attributes.
 */
export const BASE_CSS = `
html,body{margin:0;padding:0;width:375px;font-size:16px;-webkit-font-smoothing:antialiased}
body{font-family:-apple-system,'PingFang SC','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif}
wx-view,wx-scroll-view,wx-swiper,wx-swiper-item,wx-form,wx-picker-view,wx-navigator{display:block}
wx-text,wx-label{display:inline}
wx-scroll-view{overflow:hidden}
wx-image{display:inline-block;overflow:hidden;width:320px;height:240px;background:#ebedf0}
wx-canvas{display:block;width:300px;height:150px}
wx-button{display:block;position:relative;box-sizing:border-box;margin:0 auto;padding:0 14px;font-size:18px;line-height:2.56;text-align:center;border-radius:5px;background:#f8f8f8;color:#000}
wx-input,wx-textarea{display:block;min-height:1.4em}
wx-input[data-shot-text]::before,wx-textarea[data-shot-text]::before{content:attr(data-shot-text);white-space:pre-wrap}
wx-input[data-shot-text='']::before,wx-textarea[data-shot-text='']::before{content:attr(data-shot-placeholder);color:#c8c9cc}
`;

/** vant's icon font (the same iconfont build vant's WXSS fetches from at.alicdn.com), as an @font-face, if @vant/icons ships it. */
export function localIconFont(repoRoot: string): string | null {
  let file: string;
  try {
    file = require.resolve('@vant/icons/src/encode-woff2.less', { paths: [repoRoot] });
  } catch {
    return null;
  }
  const m = /url\('(data:font\/woff2;[^']+)'\)/.exec(fs.readFileSync(file, 'utf8'));
  return m
    ? `@font-face{font-family:'vant-icon';font-weight:normal;font-style:normal;src:url('${m[1]}') format('woff2')}`
    : null;
}

/** Drops vant's @font-face that points at the CDN: the screenshots never touch the network. */
export function withoutRemoteFonts(css: string): string {
  return css.replace(/@font-face\s*\{[^}]*\}/g, (rule) =>
    /url\(\s*['"]?(https?:)?\/\//.test(rule) ? '' : rule,
  );
}

/** A component (a page, a vant or an own component) and the tag it is registered under. */
export interface ComponentFile {
  file: string; // path without extension
  tag: string;
}

/**
 * Every component a page renders, as miniprogram-simulate registers them: the page under its tag,
 * then each `usingComponents` entry under its key, recursively (vant paths from vant's lib/, the
 * Mini Program's own components from its root).
 */
export function componentsOf(
  mpRoot: string,
  vantLib: string,
  pagePath: string,
  tag: string,
): ComponentFile[] {
  const seen = new Map<string, ComponentFile>();
  const visit = (file: string, t: string): void => {
    const key = `${file}|${t}`;
    if (seen.has(key)) return;
    seen.set(key, { file, tag: t });
    const jsonFile = `${file}.json`;
    if (!fs.existsSync(jsonFile)) return;
    const using = (
      JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as {
        usingComponents?: Record<string, string>;
      }
    ).usingComponents;
    for (const [childTag, target] of Object.entries(using ?? {})) {
      const vant = /^@vant\/weapp\/(.+)$/.exec(target);
      const child = vant
        ? path.join(vantLib, vant[1])
        : target.startsWith('/')
          ? path.join(mpRoot, target)
          : path.join(path.dirname(file), target);
      visit(child, childTag);
    }
  };
  visit(path.join(mpRoot, pagePath), tag);
  return [...seen.values()];
}
