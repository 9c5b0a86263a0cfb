/**
 * Own text (direct text nodes) of the rendered elements with a class, empty ones dropped (vant renders an
 * extra, empty node beside some slots). simulate scopes classes by the tag that owns the template:
 * vant's cell renders `van-cell--van-cell__title`, a page's own nodes `feed-page--rs-feed__end`.
 */
export function texts(
  root: HTMLElement | { dom: unknown },
  scope: string,
  className: string,
): string[] {
  const dom = 'dom' in root ? (root.dom as HTMLElement) : root;
  return Array.from(dom.querySelectorAll(`.${scope}--${className}`))
    .map((el) =>
      Array.from(el.childNodes)
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent)
        .join('')
        .trim(),
    )
    .filter(Boolean);
}
