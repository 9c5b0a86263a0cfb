/**
 * train's purchase-propensity part of the payment step: the store's own model of "will this user
 * pay within 30 days" (server/engine/payments/propensity.ts: LR or gradient-boosted trees chosen
 * on a validation split), trained on its own paid orders and the users who have a profile (a
 * profile exists only for a consenting user, so non-buyers are examples too), retrained at most
 * once a day, and each profiled user's score and rank written into their profile for the "likely
 * buyers" audience (server/engine/ads/targeting.ts). No model until enough users paid and enough
 * did not (MIN_CLASS_USERS each), so a young store targets nobody as a likely buyer.
 */
import { DAY_MS } from '../engine/payments/records';
import type { PaidOrder } from '../engine/payments/records';
import { PropensityModel } from '../engine/payments/propensity-model';
import {
  keptPurchase,
  propensityToJson,
  scorePropensity,
  trainPurchasePropensity,
} from '../engine/payments/propensity';
import type { PurchasePropensity, UserProfile } from '../engine/profiles/profile';
import type { Stores } from '../ports';
import { readPropensityModel, writePropensityModel } from './model-versions';

/** "Will pay within" this many days. */
export const PROPENSITY_HORIZON_DAYS = 30;
/** At least this many profiled users who paid within the horizon, and as many who did not, to train. */
export const MIN_CLASS_USERS = 30;
/** A model is retrained when it is older than this. */
export const RETRAIN_MS = DAY_MS;
/** At most this many users are scored per round. */
export const MAX_USERS = 20_000;
/**
 * At most this many users are training examples (a uniform sample, seeded by the day): fitting
 * the learner's grid takes about 7.6 s on 2,000 users and 36 s on 20,000 on the shared 2-core
 * machine at load 20 (/tmp measurement, docs/payment-analysis.md), and it runs inside a train
 * round of the cloud function's 60 s.
 */
export const MAX_TRAIN_USERS = 2_000;
const PAGE = 1_000;
const PROFILE_BATCH = 500;

export interface PropensityStepResult {
  /** A model was trained this round. */
  trained: boolean;
  /** Why there is no model: too few users paid (or too few did not) in the last horizon. */
  noModel?: 'tooFewBuyers';
  users: number;
  scored: number;
  written: number;
  truncated: boolean;
}

/**
 * Scores every profiled user (up to MAX_USERS) from `orders` (paid orders of the payment window,
 * `windowStart` its start) as of `now`, training a model first when none is fresh.
 */
export async function runPropensityStep(
  stores: Pick<Stores, 'personal' | 'profiles' | 'blobs'>,
  orders: readonly PaidOrder[],
  windowStart: number,
  now: number,
  deadline: number,
  clock: () => number,
): Promise<PropensityStepResult> {
  const profiles = new Map<string, UserProfile>();
  let after: string | null = null;
  let truncated = false;
  for (;;) {
    const ids = await stores.personal.usersWithState(after, PAGE);
    for (let i = 0; i < ids.length; i += PROFILE_BATCH)
      for (const p of await stores.profiles.get(ids.slice(i, i + PROFILE_BATCH)))
        profiles.set(p.openid, p);
    if (ids.length < PAGE) break;
    after = ids[ids.length - 1]!;
    if (profiles.size >= MAX_USERS || clock() >= deadline) {
      truncated = true;
      break;
    }
  }
  const users = [...profiles.keys()].sort();
  const horizonMs = PROPENSITY_HORIZON_DAYS * DAY_MS;
  const result: PropensityStepResult = {
    trained: false,
    users: users.length,
    scored: 0,
    written: 0,
    truncated,
  };

  let stored = await readPropensityModel(stores.blobs);
  if (!stored || now - stored.trainedAt >= RETRAIN_MS) {
    // Examples as of now − horizon, features from the window before it: the labels are complete.
    const paidLately = new Set(
      orders.filter((o) => o.paidAt >= now - horizonMs && keptPurchase(o)).map((o) => o.user),
    );
    const examples = sampleOf(users, MAX_TRAIN_USERS, Math.floor(now / DAY_MS));
    const positives = examples.filter((u) => paidLately.has(u)).length;
    const trained =
      positives >= MIN_CLASS_USERS && examples.length - positives >= MIN_CLASS_USERS
        ? trainPurchasePropensity(examples, orders, now, PROPENSITY_HORIZON_DAYS)
        : null;
    if (trained) {
      stored = {
        trainedAt: now,
        horizonDays: PROPENSITY_HORIZON_DAYS,
        baseRate: trained.baseRate,
        users: examples.length,
        positives,
        population: users.length,
        family: trained.model.family,
        model: propensityToJson(trained).model,
      };
      await writePropensityModel(stores.blobs, stored);
      result.trained = true;
    } else if (!stored) {
      // Not enough evidence: nobody is scored (an older model, if any, keeps serving instead).
      return { ...result, noModel: 'tooFewBuyers' };
    }
  }

  // Scored on the same length of history the model was trained on (the window less the horizon).
  const lookbackStart = windowStart + stored.horizonDays * DAY_MS;
  const model = PropensityModel.fromJSON(stored.model);
  const scores = scorePropensity(
    { model },
    users,
    orders.filter((o) => o.paidAt >= lookbackStart),
    now,
  );
  result.scored = scores.size;
  const sorted = [...scores.values()].sort((a, b) => b - a);
  const changed: UserProfile[] = [];
  for (const u of users) {
    const p = scores.get(u)!;
    const purchase: PurchasePropensity = {
      p: Math.round(p * 100) / 100,
      topShare: Math.ceil((atOrAbove(sorted, p) / sorted.length) * 100) / 100,
      horizonDays: stored.horizonDays,
      asOf: now,
    };
    const was = profiles.get(u)!;
    if (
      was.purchase?.p === purchase.p &&
      was.purchase.topShare === purchase.topShare &&
      was.purchase.horizonDays === purchase.horizonDays
    )
      continue;
    changed.push({ ...was, purchase });
  }
  for (let i = 0; i < changed.length; i += PROFILE_BATCH) {
    if (clock() >= deadline) {
      result.truncated = true;
      break;
    }
    // Re-read just before the write: the buyers' summaries were written a moment ago.
    const batch = changed.slice(i, i + PROFILE_BATCH);
    const fresh = new Map(
      (await stores.profiles.get(batch.map((p) => p.openid))).map((p) => [p.openid, p]),
    );
    const out = batch.flatMap((p) => {
      const f = fresh.get(p.openid);
      return f ? [{ ...f, purchase: p.purchase }] : [];
    });
    if (out.length) await stores.profiles.put(out);
    result.written += out.length;
  }
  return result;
}

/** At most `n` of `users`, a uniform sample by a seeded hash of each id (all when fewer). */
export function sampleOf(users: readonly string[], n: number, seed: number): string[] {
  if (users.length <= n) return [...users];
  const keyed = users.map((u) => {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u.charCodeAt(i), 0x01000193);
    // FNV-1a's high bits mix poorly on short ids: MurmurHash3's finaliser spreads them.
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return { u, h: (h ^ (h >>> 16)) >>> 0 };
  });
  keyed.sort((a, b) => a.h - b.h || (a.u < b.u ? -1 : 1));
  return keyed.slice(0, n).map((k) => k.u);
}

/** How many of the descending `sorted` scores are ≥ p (binary search). */
function atOrAbove(sorted: readonly number[], p: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! >= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How many users the current model's population holds (what a likely-buyers share is taken of),
 * or null without a model: the merchant's minimum-audience check reads it.
 */
export async function propensityPopulation(stores: Pick<Stores, 'blobs'>): Promise<number | null> {
  const m = await readPropensityModel(stores.blobs);
  return m && Number.isFinite(m.population) ? m.population : null;
}
