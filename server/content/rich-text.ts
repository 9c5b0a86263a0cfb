/**
 * Item bodies: Markdown (CommonMark, parsed by markdown-it with raw HTML off, so any tag in the
 * text stays text) turned into the `rich-text` node tree the detail page renders. Only the tags of
 * RichTag come out, with a class and, for pictures, src and alt: nothing a script or an event
 * handler could ride on. Pictures come only from cloud storage or the configured https hosts;
 * links keep their words and lose their address (a Mini Program cannot open arbitrary sites).
 */
import MarkdownIt from 'markdown-it';
import type { RichNode, RichTag } from '../../typings';

/** Longest stored body, characters: a long article, far below a function's 1 MB answer. */
export const MAX_BODY_CHARS = 20_000;

const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
type Token = ReturnType<typeof md.parse>[number];

const BLOCK_OPEN: Record<string, RichTag> = {
  paragraph_open: 'p',
  bullet_list_open: 'ul',
  ordered_list_open: 'ol',
  list_item_open: 'li',
  blockquote_open: 'blockquote',
};
const INLINE_OPEN: Record<string, RichTag> = { strong_open: 'strong', em_open: 'em' };

const el = (name: RichTag, children: RichNode[] = []): RichNode => ({
  name,
  attrs: { class: `rs-rt-${name}` },
  children,
});

/** True for a picture the page may load: a cloud file, or https from an allowed host. */
export function allowedImage(src: string, hosts: readonly string[]): boolean {
  if (/^cloud:\/\/[A-Za-z0-9._-]+\/[^\s"'<>]+$/.test(src)) return true;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && hosts.includes(url.hostname);
}

function inline(tokens: readonly Token[], hosts: readonly string[]): RichNode[] {
  const root: RichNode[] = [];
  const stack: RichNode[][] = [root];
  const top = (): RichNode[] => stack[stack.length - 1];
  for (const t of tokens) {
    if (t.type === 'text' || t.type === 'code_inline') {
      if (t.content) top().push({ type: 'text', text: t.content });
    } else if (t.type === 'softbreak') {
      // A line break inside a paragraph: Chinese text runs on without a space.
    } else if (t.type === 'hardbreak') {
      top().push({ name: 'br' });
    } else if (INLINE_OPEN[t.type]) {
      const node = el(INLINE_OPEN[t.type]);
      top().push(node);
      stack.push((node as { children: RichNode[] }).children);
    } else if (t.type === 'strong_close' || t.type === 'em_close') {
      if (stack.length > 1) stack.pop();
    } else if (t.type === 'image') {
      const src = String(t.attrGet('src') ?? '');
      if (allowedImage(src, hosts))
        top().push({
          name: 'img',
          attrs: { class: 'rs-rt-img', src, alt: t.content.slice(0, 100) },
        });
    }
    // link_open / link_close: dropped, the words between them stay.
  }
  return root;
}

/** The body's words without its markup (what search indexes): text of every block, one per line. */
export function bodyText(markdown: string): string {
  const lines: string[] = [];
  for (const t of md.parse(markdown.slice(0, MAX_BODY_CHARS), {})) {
    if (t.type === 'inline')
      lines.push(
        (t.children ?? [])
          .filter((c) => c.type === 'text' || c.type === 'code_inline')
          .map((c) => c.content)
          .join(''),
      );
    else if (t.type === 'fence' || t.type === 'code_block') lines.push(t.content);
  }
  return lines.filter(Boolean).join('\n');
}

/** The body's node tree; an empty list for an empty body. */
export function bodyNodes(markdown: string, hosts: readonly string[]): RichNode[] {
  const tokens = md.parse(markdown.slice(0, MAX_BODY_CHARS), {});
  const root: RichNode[] = [];
  const stack: RichNode[][] = [root];
  const top = (): RichNode[] => stack[stack.length - 1];
  for (const t of tokens) {
    const open = BLOCK_OPEN[t.type];
    if (open) {
      const node = el(open);
      top().push(node);
      stack.push((node as { children: RichNode[] }).children);
    } else if (t.type === 'heading_open') {
      // One page title exists already: # and ## become h3, deeper headings h4.
      const node = el(t.tag === 'h1' || t.tag === 'h2' ? 'h3' : 'h4');
      top().push(node);
      stack.push((node as { children: RichNode[] }).children);
    } else if (t.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else if (t.type === 'inline') {
      top().push(...inline(t.children ?? [], hosts));
    } else if (t.type === 'fence' || t.type === 'code_block') {
      top().push(el('pre', [{ type: 'text', text: t.content }]));
    } else if (t.type === 'hr') {
      top().push({ name: 'hr', attrs: { class: 'rs-rt-hr' } });
    }
  }
  return root;
}
