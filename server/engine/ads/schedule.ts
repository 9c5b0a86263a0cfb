/** A campaign's serving schedule in China Standard Time: dates, hours of day, and how much of today's serving time has passed (for pacing). */
import type { Campaign } from '../../../typings';

const CST_OFFSET_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** CST hour of day (0–23) at `now`. */
export const cstHour = (now: number): number => new Date(now + CST_OFFSET_MS).getUTCHours();

/** Start of the CST day containing `now`, epoch ms. */
export const cstDayStart = (now: number): number =>
  Math.floor((now + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;

/** Whether the campaign may serve at `now`: within [startAt, endAt) and in one of its hours (none listed = all day). */
export function inSchedule(c: Pick<Campaign, 'startAt' | 'endAt' | 'hours'>, now: number): boolean {
  if (now < c.startAt || now >= c.endAt) return false;
  return c.hours.length === 0 || c.hours.includes(cstHour(now));
}

/**
 * Share (0–1) of today's serving time already elapsed: the even-spend target for pacing. Serving
 * time is the campaign's hours of the day (all 24 when none are listed), clipped to its dates.
 */
export function elapsedServingShare(
  c: Pick<Campaign, 'startAt' | 'endAt' | 'hours'>,
  now: number,
): number {
  const day = cstDayStart(now);
  // The common case, on the serving path for every candidate: all day, dates not clipping today.
  if (c.hours.length === 0 && c.startAt <= day && c.endAt >= day + DAY_MS)
    return (now - day) / DAY_MS;
  const hours =
    c.hours.length === 0 ? Array.from({ length: 24 }, (_, h) => h) : [...new Set(c.hours)];
  let total = 0;
  let done = 0;
  for (const h of hours) {
    const from = Math.max(day + h * HOUR_MS, c.startAt);
    const to = Math.min(day + (h + 1) * HOUR_MS, c.endAt);
    if (to <= from) continue;
    total += to - from;
    done += Math.min(Math.max(now - from, 0), to - from);
  }
  return total === 0 ? 1 : done / total;
}
