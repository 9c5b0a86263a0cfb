/**
 * oCPC at serving: the bid of an oCPC campaign for this request, target × pCVR × the campaign's
 * controller factor, capped at its bid per click (server/engine/payments/ocpc.ts `ocpcBidFen`).
 * pCVR comes from the model train's oCPC step last wrote (server/learning/ocpc-state.ts), re-read
 * per warm instance at most every TTL; before any model (too few pays so far) it is PRIOR_PCVR,
 * and the controller corrects the level from the realised CPA.
 */
import type { Campaign } from '../../typings';
import { ocpcBidFen } from '../engine/payments/ocpc';
import { pcvrFeatures } from '../engine/payments/pcvr-features';
import { readServing, type OcpcServing } from '../learning/ocpc-state';
import type { Stores } from '../ports';
import type { Logger } from '../runtime/function';

/** pCVR before a model exists: a typical click-to-order rate of e-commerce landing pages. */
export const PRIOR_PCVR = 0.03;
/** How long a warm instance keeps the serving blob before reading it again. */
export const OCPC_TTL_MS = 60_000;

export class OcpcCache {
  private value: OcpcServing | null = null;
  private loadedAt = -Infinity;
  private inflight: Promise<void> | null = null;

  constructor(private readonly ttlMs = OCPC_TTL_MS) {}

  async get(stores: Pick<Stores, 'blobs'>, now: number, log: Logger): Promise<OcpcServing | null> {
    if (now - this.loadedAt >= this.ttlMs) {
      this.inflight ??= (async () => {
        try {
          this.value = await readServing(stores);
          this.loadedAt = now;
        } catch (err) {
          // Keep the last one; try again shortly.
          this.loadedAt = now - this.ttlMs + 5_000;
          log.error('oCPC model not refreshed', {
            error: err instanceof Error ? err.message : String(err),
          });
        }
      })().finally(() => (this.inflight = null));
      await this.inflight;
    }
    return this.value;
  }
}

/** The request's pCVR of a campaign's click at `position`. */
export function pcvrOf(
  serving: OcpcServing | null,
  campaignId: string,
  userOrders: number,
  position: number,
): number {
  if (!serving?.model) return PRIOR_PCVR;
  return serving.model.predict(pcvrFeatures({ campaignId, userOrders, position }));
}

/** Whole-fen bids per click: oCPC campaigns by their target, the others their bidFen. */
export function bidderFor(
  serving: OcpcServing | null,
  userOrders: number,
): (c: Campaign, position: number) => number {
  return (c, position) => {
    if (c.bidding?.mode !== 'ocpc') return c.bidFen;
    const m = serving?.multipliers[c.id] ?? 1;
    return ocpcBidFen(
      c.bidding.targetCpaFen,
      pcvrOf(serving, c.id, userOrders, position),
      m,
      c.bidFen,
    );
  };
}
