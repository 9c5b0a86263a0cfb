/**
 * The promotion gate: a newly trained version serves only if its progressive-validation AUC on
 * this run's window is not more than `tolerance` below the serving version's AUC on the same
 * window; otherwise it stays a candidate, with the reason said in words.
 */

export const AUC_TOLERANCE = 0.005;

export interface GateInput {
  /** The new version's progressive-validation AUC on the window (NaN: undefined). */
  candidateAuc: number;
  /** The serving version's AUC on the same window; null when nothing serves (or it could not load). */
  servingAuc: number | null;
  servingVersion: string | null;
  examples: number;
  /** Fewer labelled examples than this cannot promote (too noisy to judge). */
  minExamples: number;
  tolerance?: number;
}

export interface GateVerdict {
  promote: boolean;
  reason: string;
}

const f = (x: number): string => x.toFixed(4);

export function promotionGate(g: GateInput): GateVerdict {
  const tol = g.tolerance ?? AUC_TOLERANCE;
  if (g.examples < g.minExamples) {
    return {
      promote: false,
      reason: `only ${g.examples} labelled examples in the window (need ${g.minExamples})`,
    };
  }
  if (!Number.isFinite(g.candidateAuc))
    return { promote: false, reason: 'AUC undefined: the window holds one class only' };
  if (g.servingVersion === null || g.servingAuc === null) {
    return {
      promote: true,
      reason: `first servable version: AUC ${f(g.candidateAuc)} on ${g.examples} examples`,
    };
  }
  if (!Number.isFinite(g.servingAuc))
    return { promote: false, reason: 'serving AUC undefined on the window' };
  if (g.candidateAuc >= g.servingAuc - tol) {
    return {
      promote: true,
      reason: `AUC ${f(g.candidateAuc)} vs ${f(g.servingAuc)} of ${g.servingVersion} (within ${tol}) on ${g.examples} examples`,
    };
  }
  return {
    promote: false,
    reason: `AUC ${f(g.candidateAuc)} is more than ${tol} below ${f(g.servingAuc)} of ${g.servingVersion} on ${g.examples} examples`,
  };
}
