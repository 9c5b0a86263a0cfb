/**
 * The detail page's body and counts, shaped for the template. The server builds the body's
 * rich-text nodes from a whitelist; this pass keeps the same whitelist on the device too, so a
 * node the page did not expect (an unknown tag, an event or style attribute, a picture from
 * anywhere but cloud storage or https) is never handed to `rich-text`.
 */
import type { RichNode } from '../../../typings';

const TAGS = new Set([
  'p',
  'h3',
  'h4',
  'strong',
  'em',
  'br',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'img',
  'hr',
]);
const MAX_DEPTH = 8;

const safeSrc = (src: unknown): src is string =>
  typeof src === 'string' && /^(?:cloud|https):\/\/[^\s"'<>]+$/.test(src);

/** The nodes the page hands to rich-text: known tags, a class, an image's src and alt, plain text. */
export function safeNodes(nodes: readonly RichNode[] | undefined, depth = 0): RichNode[] {
  if (!Array.isArray(nodes) || depth > MAX_DEPTH) return [];
  const out: RichNode[] = [];
  for (const n of nodes) {
    if (!n || typeof n !== 'object') continue;
    if ('type' in n) {
      if (n.type === 'text' && typeof n.text === 'string') out.push({ type: 'text', text: n.text });
      continue;
    }
    if (!TAGS.has(n.name)) continue;
    const attrs: { class?: string; src?: string; alt?: string } = {};
    if (typeof n.attrs?.class === 'string' && /^rs-rt-[a-z0-9]+$/.test(n.attrs.class))
      attrs.class = n.attrs.class;
    if (n.name === 'img') {
      if (!safeSrc(n.attrs?.src)) continue;
      attrs.src = n.attrs.src;
      if (typeof n.attrs?.alt === 'string') attrs.alt = n.attrs.alt;
      out.push({ name: 'img', attrs });
      continue;
    }
    out.push({ name: n.name, attrs, children: safeNodes(n.children, depth + 1) });
  }
  return out;
}

/** "12 赞 · 3 条评论" under the title; empty until the server sent the counts. */
export function countsText(likes: number | null, comments: number | null): string {
  if (likes === null || comments === null) return '';
  return `${likes} 赞 · ${comments} 条评论`;
}
