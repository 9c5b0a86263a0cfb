/**
 * Where the ad system keeps its numbers in the counters store, in one place for the writer
 * (`track`) and the reader (`recommend`):
 * - adSpend / <campaign> / <CST day> and / all: spentFen and billed clicks (the budget guards);
 * - adStats / <campaign> / all: lifetime viewable impressions and clicks (Thompson sampling);
 * - adStats / <campaign> / <CST day>: auctions won (won, won_p<position>) and unbilled clicks by reason;
 * - adFreq / <openid> / <CST day>: the user's impressions per ad (frequency cap);
 * - adHide / <openid> / all: the ads the user hid;
 * - adCharge / <slate id> / all: which slate positions were already charged (one charge each) and
 *   which had a viewable impression (a click is charged only after one);
 * - adClick / <openid> / <CST minute>: the user's ad clicks per minute, in all and per ad (invalid
 *   traffic: repeated clicks and floods);
 * - adRate / <campaign> / <CST minute>: the campaign's viewable impressions and clicks per minute
 *   (invalid traffic: a campaign-wide click flood).
 */
import { hashToken } from '../features/hash';

export const SPEND = 'adSpend';
export const STATS = 'adStats';
export const FREQ = 'adFreq';
export const HIDE = 'adHide';
export const CHARGED = 'adCharge';
export const CLICKS = 'adClick';
export const RATE = 'adRate';
/** Bucket of lifetime counters. */
export const ALL = 'all';

/**
 * A campaign's field name in a per-user counter: fields must be plain identifiers, and campaign
 * ids need not be, so the id is hashed (64 bits from two seeds: collisions among a user's ads are
 * negligible).
 */
export function adField(adId: string): string {
  let f = fieldOf.get(adId);
  if (f === undefined) {
    const hex = (n: number): string => n.toString(16).padStart(8, '0');
    f = `a${hex(hashToken(adId, 0x0ad1))}${hex(hashToken(adId, 0x0ad2))}`;
    // Bounded: starts over when full.
    if (fieldOf.size >= 100_000) fieldOf.clear();
    fieldOf.set(adId, f);
  }
  return f;
}

/** adField's results by ad id: every request looks up every live campaign's field. */
const fieldOf = new Map<string, string>();

/** The field that counts an ad's wins at one feed position. */
export const wonField = (position: number): string => `won_p${position}`;

/** The field that marks a slate position charged. */
export const chargedField = (position: number): string => `p${position}`;

/** The field that counts the viewable impressions of a slate position. */
export const seenField = (position: number): string => `v${position}`;

/** The field of a user's clicks on every ad in a minute (adClick). */
export const ALL_CLICKS = 'all';
