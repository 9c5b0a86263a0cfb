/** Time buckets in China Standard Time (UTC+8, no DST), the clock WeChat users and reports live in. */
const CST_OFFSET_MS = 8 * 3600_000;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** "YYYYMMDD" of the CST calendar day containing `ms`. */
export function dayBucket(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/** "YYYYMMDDHHmm" of the CST minute containing `ms`. */
export function minuteBucket(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${dayBucket(ms)}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
}
