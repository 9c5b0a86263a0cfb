/**
 * What `rich-text` shows for a `nodes` value, as HTML: miniprogram-simulate renders the built-in
 * as an empty element, so page tests read the nodes the page hands it and render them here the
 * way WeChat does (each node an element of its name with its attributes, text nodes as text).
 */
import type { RichNode } from '../../../typings';

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function richTextHtml(nodes: readonly RichNode[]): string {
  return nodes
    .map((n) => {
      if ('type' in n) return escape(n.text);
      const attrs = Object.entries(n.attrs ?? {})
        .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
        .join('');
      return `<${n.name}${attrs}>${richTextHtml(n.children ?? [])}</${n.name}>`;
    })
    .join('');
}
