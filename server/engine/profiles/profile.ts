/**
 * User profiles (用户画像): per-user interest weights per category and tag, built from
 * time-decayed engagement where each signal weighs differently (a payment says more than a
 * click), plus decayed behaviour counts and the recently engaged items.
 */
import { decayFactor, DAY_MS, HOUR_MS } from './decay';

/** Events that feed a profile. */
export type ProfileSignal =
  'impression' | 'click' | 'like' | 'unlike' | 'comment' | 'share' | 'dwell' | 'pay' | 'hide';

export interface UserProfile {
  openid: string;
  /** Time the decayed values below are as of, epoch ms. */
  updatedAt: number;
  /** Interest weight per key, "cat:<category>" or "tag:<tag>", decayed to updatedAt. */
  interests: Record<string, number>;
  /** Decayed count per signal (browsing frequency, likes, comments …). */
  counts: Partial<Record<ProfileSignal, number>>;
  /** Recently engaged items, newest first, with the time of engagement (for co-engagement). */
  recent: { itemId: string; at: number }[];
  /** Items the user hid ("not interested"), newest first; recommend never serves them again. */
  hidden?: string[];
  /** Items recently shown to the user (viewable impressions), newest first; recommend skips them for a while. */
  seen?: { itemId: string; at: number }[];
  lastActiveAt: number;
  /**
   * The user's payment summary from pay-verified orders (train's payment step,
   * server/learning/payment-step.ts): RFM segment among the buyers of the last 180 days.
   */
  payments?: ProfilePayments;
  /**
   * The user's purchase propensity (train's payment step with the store's own propensity model,
   * server/engine/payments/propensity.ts); absent until a model could be trained. The "likely
   * buyers" audience of a campaign reads `topShare`.
   */
  purchase?: PurchasePropensity;
}

/** P(pays within `horizonDays`) as of `asOf`, and where it ranks among the users scored then. */
export interface PurchasePropensity {
  /** Rounded to 0.01 (a finer change is not worth a profile write). */
  p: number;
  /** Share of scored users at or above this score, rounded up to 0.01 (0.01: the top 1 %). */
  topShare: number;
  horizonDays: number;
  asOf: number;
}

/** What the profile keeps of a user's payments (RFM: Hughes 1994). */
export interface ProfilePayments {
  /** RFM segment key (server/engine/payments/features.ts `RfmSegment`). */
  segment: string;
  /** Its Chinese label, as 我的 shows it. */
  segmentLabel: string;
  /** Paid orders in the window, and their amount less refunds (fen). */
  orders: number;
  monetaryFen: number;
  /** Days since the last payment. */
  recencyDays: number | null;
  /**
   * The highest risk tolerance (C1–C5) payment behaviour supports, a cap on the stated one
   * (server/engine/payments/tolerance.ts); null: no cap. Absent on summaries written before it.
   */
  suggestedTolerance?: 1 | 2 | 3 | 4 | 5 | null;
  /** Why it caps: 'newPayer' | 'erratic'; null when it does not. */
  toleranceReason?: 'newPayer' | 'erratic' | null;
  /** When it was computed (ms). */
  asOf: number;
}

export interface ItemMeta {
  category: string;
  tags: readonly string[];
}

export interface ProfileParams {
  halfLifeMs: number;
  /** Interest weight each signal adds to the item's category and (split over) its tags. */
  weights: Record<ProfileSignal, number>;
  /** A dwell of this long counts one full `dwell` weight; longer dwells are capped at 3×. */
  dwellUnitMs: number;
  maxInterests: number;
  maxRecent: number;
  maxHidden: number;
  maxSeen: number;
}

export const DEFAULT_PROFILE_PARAMS: ProfileParams = {
  halfLifeMs: 14 * DAY_MS,
  weights: {
    impression: 0,
    click: 1,
    like: 3,
    unlike: -3,
    comment: 4,
    share: 5,
    dwell: 1,
    pay: 8,
    hide: -5,
  },
  dwellUnitMs: 30_000,
  maxInterests: 64,
  maxRecent: 20,
  maxHidden: 200,
  maxSeen: 100,
};

/** Signals that count as engagement with an item (recent list, co-engagement). */
export const ENGAGING: ReadonlySet<ProfileSignal> = new Set([
  'click',
  'like',
  'comment',
  'share',
  'pay',
]);

export function emptyProfile(openid: string, at: number): UserProfile {
  return { openid, updatedAt: at, interests: {}, counts: {}, recent: [], lastActiveAt: at };
}

/** A copy of the profile with every decayed value carried to `to` (never backwards). */
export function decayTo(
  p: UserProfile,
  to: number,
  params: ProfileParams = DEFAULT_PROFILE_PARAMS,
): UserProfile {
  if (to <= p.updatedAt)
    return { ...p, interests: { ...p.interests }, counts: { ...p.counts }, recent: [...p.recent] };
  const f = decayFactor(p.updatedAt, to, params.halfLifeMs);
  const interests: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.interests)) interests[k] = v * f;
  const counts: UserProfile['counts'] = {};
  for (const [k, v] of Object.entries(p.counts) as [ProfileSignal, number][]) counts[k] = v * f;
  return { ...p, updatedAt: to, interests, counts, recent: [...p.recent] };
}

/** The weight one event adds, before splitting over category and tags; 0 for nothing to add. */
export function signalWeight(
  signal: ProfileSignal,
  dwellMs: number | undefined,
  params: ProfileParams = DEFAULT_PROFILE_PARAMS,
): number {
  if (signal !== 'dwell') return params.weights[signal];
  if (dwellMs === undefined || !Number.isFinite(dwellMs) || dwellMs <= 0) return 0;
  return params.weights.dwell * Math.min(3, dwellMs / params.dwellUnitMs);
}

/**
 * Folds one event at time `at` into the profile (in place; call on a decayTo copy). The item's
 * category gets the full weight and its tags share it, so a many-tagged item does not swamp
 * the tags. Weights never go below zero: a hide erases interest, it does not build aversion.
 */
export function applySignal(
  p: UserProfile,
  signal: ProfileSignal,
  at: number,
  item: ItemMeta | null,
  itemId: string | undefined,
  dwellMs: number | undefined,
  params: ProfileParams = DEFAULT_PROFILE_PARAMS,
): void {
  // Late events (at < updatedAt) are decayed to the profile's time instead of moving it back.
  const late = at < p.updatedAt ? decayFactor(at, p.updatedAt, params.halfLifeMs) : 1;
  if (at > p.updatedAt) Object.assign(p, decayTo(p, at, params));
  p.counts[signal] = (p.counts[signal] ?? 0) + late;
  p.lastActiveAt = Math.max(p.lastActiveAt, at);
  const w = signalWeight(signal, dwellMs, params) * late;
  if (item && w !== 0) {
    bump(p.interests, `cat:${item.category}`, w);
    const tags = item.tags.slice(0, 8);
    for (const t of tags) bump(p.interests, `tag:${t}`, w / tags.length);
    prune(p.interests, params.maxInterests);
  }
  if (itemId && ENGAGING.has(signal)) {
    p.recent = [{ itemId, at }, ...p.recent.filter((r) => r.itemId !== itemId)]
      .sort((a, b) => b.at - a.at)
      .slice(0, params.maxRecent);
  }
  if (itemId && signal === 'hide')
    p.hidden = [itemId, ...(p.hidden ?? []).filter((x) => x !== itemId)].slice(0, params.maxHidden);
  if (itemId && signal === 'impression') {
    p.seen = [{ itemId, at }, ...(p.seen ?? []).filter((r) => r.itemId !== itemId)]
      .sort((a, b) => b.at - a.at)
      .slice(0, params.maxSeen);
  }
}

function bump(m: Record<string, number>, key: string, by: number): void {
  const v = Math.max(0, (m[key] ?? 0) + by);
  if (v > 1e-9) m[key] = v;
  else delete m[key];
}

/** Keeps the `max` strongest interests. */
function prune(m: Record<string, number>, max: number): void {
  const keys = Object.keys(m);
  if (keys.length <= max) return;
  keys.sort((a, b) => m[b] - m[a]);
  for (const k of keys.slice(max)) delete m[k];
}

export interface InterestScore {
  /** "cat:<category>" or "tag:<tag>". */
  tag: string;
  score: number;
}

/** The strongest interests as of `now`, strongest first (ties by name), scores decayed to now. */
export function topInterests(
  p: UserProfile,
  n: number,
  now: number,
  params: ProfileParams = DEFAULT_PROFILE_PARAMS,
): InterestScore[] {
  const f = decayFactor(p.updatedAt, now, params.halfLifeMs);
  return Object.entries(p.interests)
    .map(([tag, v]) => ({ tag, score: v * f }))
    .sort((a, b) => b.score - a.score || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
    .slice(0, n);
}

/** Hours since the user was last active, as of `now`. */
export const recencyHours = (p: UserProfile, now: number): number =>
  Math.max(0, (now - p.lastActiveAt) / HOUR_MS);
