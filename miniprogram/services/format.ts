/**
 * zh-CN formatting shared by every page: money from fen, CST days and times, rates. Pages never
 * format these by hand, so one change here changes them everywhere.
 */

/** ¥ from fen, two decimals, with thousands separators: 123456 → "¥1,234.56". */
export function yuan(fen: number): string {
  if (!Number.isFinite(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.round(Math.abs(fen));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}¥${whole}.${cents}`;
}

/** Yuan typed by a person ("12.5") → fen (1250); null when it is not a non-negative amount with at most two decimals. */
export function fenFromYuan(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,9}(?:\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const CST_OFFSET_MS = 8 * 3600 * 1000;

function cstParts(ms: number): { y: number; m: number; d: number; hh: number; mm: number } {
  const t = new Date(ms + CST_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    m: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    hh: t.getUTCHours(),
    mm: t.getUTCMinutes(),
  };
}

const two = (n: number): string => n.toString().padStart(2, '0');

/** A CST calendar day "YYYYMMDD" (the server's report day) for an epoch ms. */
export function cstDay(ms: number): string {
  const p = cstParts(ms);
  return `${p.y}${two(p.m)}${two(p.d)}`;
}

/** "20261128" → "11月28日" (with the year when `withYear`: "2026年11月28日"). */
export function dayLabel(day: string, withYear = false): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(day);
  if (!m) return day;
  const md = `${Number(m[2])}月${Number(m[3])}日`;
  return withYear ? `${m[1]}年${md}` : md;
}

/** Epoch ms → "2026年11月28日 09:05" in China Standard Time. */
export function dateTime(ms: number): string {
  const p = cstParts(ms);
  return `${p.y}年${p.m}月${p.d}日 ${two(p.hh)}:${two(p.mm)}`;
}

/** Epoch ms → "2026-11-28" (CST), the form a date picker takes. */
export function pickerDate(ms: number): string {
  const p = cstParts(ms);
  return `${p.y}-${two(p.m)}-${two(p.d)}`;
}

/** "2026-11-28" (a CST date from a picker) → epoch ms of that day's CST midnight; null when malformed. */
export function msFromPickerDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - CST_OFFSET_MS;
  return pickerDate(ms) === text ? ms : null;
}

/** 0.0345 → "3.45%"; null (no denominator) → "—". */
export function percent(rate: number | null, digits = 2): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

/** 12345 → "12,345"; 123456 → "12.3万" (zh-CN counts). */
export function count(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) >= 100_000) return `${(n / 10_000).toFixed(1)}万`;
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A ratio such as ROAS (paid / spend): 2.345 → "2.35"; null (no denominator) → "—". */
export function ratio(x: number | null, digits = 2): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return x.toFixed(digits);
}

/** The difference of two rates, in percentage points: 0.0012 → "+0.12 个百分点"; null → "—". */
export function percentPoints(delta: number | null, digits = 2): string {
  if (delta === null || !Number.isFinite(delta)) return '—';
  const text = (Math.abs(delta) * 100).toFixed(digits);
  const sign = Number(text) === 0 ? '' : delta < 0 ? '-' : '+';
  return `${sign}${text} 个百分点`;
}

/** A signed amount from fen: 150 → "+¥1.50", -5 → "-¥0.05", 0 → "¥0.00"; null → "—". */
export function signedYuan(fen: number | null): string {
  if (fen === null || !Number.isFinite(fen)) return '—';
  const text = yuan(fen);
  return Math.round(fen) > 0 ? `+${text}` : text;
}
