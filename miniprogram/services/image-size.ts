/**
 * Images sized to their display (WeChat's experience score flags pictures much larger than their
 * box): a picture URL that states its pixel size in its path (`…/<width>/<height>`, as the demo
 * world's picture host takes it) is asked for at the size it is shown (1.5 physical pixels per rpx),
 * never larger than it states; any other URL is left as it is.
 */

/** Physical pixels asked per rpx: 3× screens (1.5 px per rpx on a 375 pt phone) get a sharp picture. */
const PX_PER_RPX = 1.5;
const SIZED = /^(https:\/\/[^?#]+)\/(\d{2,4})\/(\d{2,4})(?=$|[?#])/;

/** The pixel size a URL states, or null. */
export function statedSize(url: string): { width: number; height: number } | null {
  const m = SIZED.exec(url);
  return m ? { width: Number(m[2]), height: Number(m[3]) } : null;
}

/** The URL asking for the picture at its box (`widthRpx` × `heightRpx`), never larger than stated. */
export function sizedImage(url: string, widthRpx: number, heightRpx: number): string {
  const m = SIZED.exec(url);
  if (!m) return url;
  const width = Math.min(Number(m[2]), Math.round(widthRpx * PX_PER_RPX));
  const height = Math.min(Number(m[3]), Math.round(heightRpx * PX_PER_RPX));
  return `${m[1]}/${width}/${height}${url.slice(m[0].length)}`;
}
