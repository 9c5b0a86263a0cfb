/**
 * oCPC (optimised cost per click): the merchant sets a target cost per order; the auction bids
 * target × pCVR × a multiplier, still charged per click by second price, and a bounded PI
 * controller on the log of target / realised CPA moves the multiplier so the day's realised CPA
 * stays near the target (a feedback loop of the kind in Zhu et al. 2017, "Optimized cost per
 * click in Taobao display advertising", KDD, and the PID bid control of Zhang et al. 2016,
 * "Feedback control of real-time display advertising", WSDM).
 */

export interface OcpcParams {
  /** Proportional and integral gains on e = ln(target / realised CPA). */
  kp: number;
  ki: number;
  /** The multiplier's bounds: pCVR errors beyond these are the model's to fix, not the controller's. */
  minMultiplier: number;
  maxMultiplier: number;
  /**
   * Pseudo-conversions at the target CPA added to the day's sums, so that the first clicks of a
   * day (spend and no order yet) do not read as an infinite CPA.
   */
  priorConversions: number;
}

export const OCPC_DEFAULTS: OcpcParams = {
  kp: 0.3,
  ki: 0.1,
  minMultiplier: 0.3,
  maxMultiplier: 3,
  priorConversions: 2,
};

export interface OcpcState {
  /** Sum of past errors (anti-windup: frozen while the multiplier sits at a bound). */
  integral: number;
  multiplier: number;
}

export const initialOcpcState = (): OcpcState => ({ integral: 0, multiplier: 1 });

/** The bid per click (same unit as the target, e.g. fen) for a click with this pCVR. */
export function ocpcBid(
  targetCpa: number,
  pCvr: number,
  state: OcpcState,
  maxBid = Infinity,
): number {
  if (!(targetCpa > 0) || !(pCvr >= 0)) return 0;
  return Math.min(targetCpa * pCvr * state.multiplier, maxBid);
}

/**
 * One control step from the day's sums so far: spend and conversions (attributed pays, plus the
 * delayed-feedback model's expectation for recent clicks if the caller has it).
 */
export function ocpcUpdate(
  state: OcpcState,
  targetCpa: number,
  daySpend: number,
  dayConversions: number,
  params: Partial<OcpcParams> = {},
): OcpcState {
  const p = { ...OCPC_DEFAULTS, ...params };
  if (!(targetCpa > 0) || !(daySpend >= 0) || !(dayConversions >= 0)) return state;
  const realised =
    (daySpend + p.priorConversions * targetCpa) / (dayConversions + p.priorConversions);
  const e = Math.log(targetCpa / realised);
  const raw = (integral: number) => Math.exp(p.kp * e + p.ki * integral);
  let integral = state.integral + e;
  let m = raw(integral);
  if (m > p.maxMultiplier || m < p.minMultiplier) {
    // Saturated: keep the integral where it was so it does not wind up past the bound.
    integral = state.integral;
    m = Math.min(Math.max(raw(integral), p.minMultiplier), p.maxMultiplier);
  }
  return { integral, multiplier: m };
}

/**
 * The auction's bid for one oCPC click, whole fen: target × pCVR × multiplier rounded down and
 * capped at the campaign's own bid per click (`capFen`), so an over-confident pCVR or a high
 * multiplier never bids past what the merchant allowed for a click. Below the reserve the
 * campaign simply does not enter the auction (runAuction's rule).
 */
export function ocpcBidFen(
  targetCpaFen: number,
  pCvr: number,
  multiplier: number,
  capFen: number,
): number {
  const m = Number.isFinite(multiplier) && multiplier > 0 ? multiplier : 1;
  const bid = ocpcBid(targetCpaFen, pCvr, { integral: 0, multiplier: m }, capFen);
  return Number.isFinite(bid) ? Math.max(0, Math.floor(bid + 1e-9)) : 0;
}
