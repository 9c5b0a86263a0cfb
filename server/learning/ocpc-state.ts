/**
 * The one owner of oCPC's two stored formats: the oCPC step's own state (the recent ad clicks
 * with their attributed pays and refunds, the paid-order and refund cursors, each campaign's controller) and the small
 * serving blob the auction reads (the pCVR model and each campaign's controller factor). The
 * click buffer holds no openid: a click is its slate key, campaign, time, position and the
 * user's order count at the time, so erasure has nothing of a person to scrub here.
 */
import type { Stores } from '../ports';
import type { PaidCursor, RefundCursor } from '../ports/orders';
import type { OcpcState } from '../engine/payments/ocpc';
import { DelayedFeedbackModel } from '../engine/payments/pcvr';

/** One stored ad click: its slate card (`slateId#position`, what WeChat Pay's attach names). */
export interface StoredClick {
  key: string;
  campaignId: string;
  at: number;
  position: number;
  /** The user's pay-verified orders known when the click was read (its pCVR feature). */
  userOrders: number;
  /** When the order attributed to this click was paid (the first one), or null. */
  paidAt: number | null;
  /** That order's number, so its refund finds it (absent in states saved before refunds). */
  outTradeNo?: string;
  /** Its order was refunded in full: relabelled a settled negative (paidAt null again). */
  refunded?: boolean;
}

export interface ControllerEntry extends OcpcState {
  /** CST day of the last update. */
  day: string;
}

export interface OcpcStepState {
  v: 1;
  clicks: StoredClick[];
  paid: PaidCursor | null;
  /** The last confirmed refund read (absent in states saved before refunds: none). */
  refunds?: RefundCursor | null;
  controller: Record<string, ControllerEntry>;
  /** The last fit (refitted every REFIT_MS, warm-started from this one). */
  fit: { at: number; source: PcvrSource; model: DelayedFeedbackModel | null } | null;
}

/** How serving gets its pCVR: the fitted model, the gate's fallback (the mean rate), or the prior (too few pays yet). */
export type PcvrSource = 'model' | 'baseline' | 'prior';

export interface OcpcServing {
  v: 1;
  at: number;
  source: PcvrSource;
  model: DelayedFeedbackModel | null;
  /** Controller factor per oCPC campaign (absent: 1). */
  multipliers: Record<string, number>;
}

export const SERVING_KEY = 'ocpc/serving.json';
export const stateKey = (rev: number): string => `ocpc/state/r${rev}.json`;

const enc = new TextEncoder();
const dec = new TextDecoder();

export const emptyState = (): OcpcStepState => ({
  v: 1,
  clicks: [],
  paid: null,
  refunds: null,
  controller: {},
  fit: null,
});

export function encodeState(s: OcpcStepState): Uint8Array {
  const fit = s.fit && { ...s.fit, model: s.fit.model ? s.fit.model.toJSON() : null };
  return enc.encode(JSON.stringify({ ...s, fit }));
}

export function decodeState(bytes: Uint8Array | null): OcpcStepState {
  if (!bytes) return emptyState();
  const raw = JSON.parse(dec.decode(bytes)) as Omit<Partial<OcpcStepState>, 'fit'> & {
    fit?: { at: number; source: PcvrSource; model: unknown } | null;
  };
  if (raw.v !== 1 || !Array.isArray(raw.clicks)) throw new Error('oCPC state: unknown format');
  const model = raw.fit?.model ? DelayedFeedbackModel.fromJSON(raw.fit.model) : null;
  return {
    v: 1,
    clicks: raw.clicks,
    paid: raw.paid ?? null,
    refunds: raw.refunds ?? null,
    controller: raw.controller ?? {},
    // A fit whose model does not read back is refitted.
    fit: raw.fit && (model || raw.fit.model === null) ? { ...raw.fit, model } : null,
  };
}

export function encodeServing(s: OcpcServing): Uint8Array {
  return enc.encode(JSON.stringify({ ...s, model: s.model ? s.model.toJSON() : null }));
}

/** The serving blob, or null when it is missing or not one (serving then bids with the prior). */
export function decodeServing(bytes: Uint8Array | null): OcpcServing | null {
  if (!bytes) return null;
  try {
    const raw = JSON.parse(dec.decode(bytes)) as {
      v?: unknown;
      at?: unknown;
      source?: unknown;
      model?: unknown;
      multipliers?: unknown;
    };
    if (raw.v !== 1 || typeof raw.at !== 'number') return null;
    const model = raw.model === null ? null : DelayedFeedbackModel.fromJSON(raw.model);
    if (raw.model !== null && !model) return null;
    const source: PcvrSource =
      raw.source === 'model' || raw.source === 'baseline' ? raw.source : 'prior';
    const multipliers: Record<string, number> = {};
    if (raw.multipliers && typeof raw.multipliers === 'object')
      for (const [k, m] of Object.entries(raw.multipliers as Record<string, unknown>))
        if (typeof m === 'number' && m > 0 && isFinite(m)) multipliers[k] = m;
    return { v: 1, at: raw.at, source: model ? source : 'prior', model, multipliers };
  } catch {
    return null;
  }
}

export async function readServing(stores: Pick<Stores, 'blobs'>): Promise<OcpcServing | null> {
  return decodeServing(await stores.blobs.get(SERVING_KEY));
}
