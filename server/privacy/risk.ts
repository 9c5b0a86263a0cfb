/**
 * The `account` actions risk.* (金融理财): the risk questionnaire, the user's answers and the
 * tolerance C1–C5 they give (server/engine/risk-assessment.ts), kept in the account settings
 * beside the shared demographics — so they are exported and erased with them, and `recommend`
 * reads them in its one settings read. Answering needs a granted consent to the privacy notice:
 * the answers are personal information processed to decide which products may be offered.
 */
import type { RiskAssessmentView, RiskQuestionnaire } from '../../typings';
import {
  MAX_SCORE,
  QUESTIONNAIRE_VERSION,
  RISK_QUESTIONS,
  TOLERANCE_LABELS,
  answersProblem,
  assess,
  statedTolerance,
  type RiskAssessment,
} from '../engine/risk-assessment';
import type { ProfilePayments } from '../engine/profiles/profile';
import { TOLERANCE_REASON_LABELS } from '../engine/payments/tolerance';
import { badRequest, forbidden } from '../errors';
import type { Stores } from '../ports';
import { paymentAdjustedTolerance } from './demographics';

export function questionnaire(): RiskQuestionnaire {
  return {
    version: QUESTIONNAIRE_VERSION,
    questions: RISK_QUESTIONS.map((q) => ({ id: q.id, text: q.text, options: [...q.options] })),
  };
}

export function viewOf(
  a: RiskAssessment | null | undefined,
  now: number,
  payments: ProfilePayments | null = null,
): RiskAssessmentView | null {
  if (!a) return null;
  const valid = statedTolerance(a, now);
  const tolerance = paymentAdjustedTolerance(valid, payments);
  // A suggestion at or above the stated level caps nothing: shown as none.
  const caps = (payments?.suggestedTolerance ?? 5) < a.tolerance;
  return {
    stated: a.tolerance,
    tolerance,
    suggested: caps ? payments!.suggestedTolerance! : null,
    suggestedLabel: caps ? TOLERANCE_LABELS[payments!.suggestedTolerance!] : null,
    suggestedReason:
      caps && payments?.toleranceReason ? TOLERANCE_REASON_LABELS[payments.toleranceReason] : null,
    label: TOLERANCE_LABELS[a.tolerance],
    score: a.score,
    maxScore: MAX_SCORE,
    answers: [...a.answers],
    version: a.version,
    at: a.at,
    expiresAt: a.expiresAt,
    expired: tolerance === null,
  };
}

export async function riskOf(
  stores: Stores,
  openid: string,
  now: number,
): Promise<RiskAssessmentView | null> {
  const [settings, profiles] = await Promise.all([
    stores.privacy.getSettings(openid),
    stores.profiles.get([openid]),
  ]);
  return viewOf(settings?.risk, now, profiles[0]?.payments ?? null);
}

export async function answerQuestionnaire(
  stores: Stores,
  openid: string,
  version: string,
  answers: number[],
  now: number,
): Promise<RiskAssessmentView | null> {
  const problem = answersProblem(version, answers);
  if (problem === 'version')
    throw badRequest('问卷已更新，请重新打开风险测评后作答 (questionnaire version changed)');
  if (problem === 'count')
    throw badRequest(`请回答全部 ${RISK_QUESTIONS.length} 道题 (one answer per question)`);
  if (problem !== null) {
    const i = Number(problem.split(':')[1]);
    throw badRequest(`第 ${i + 1} 题的选项无效，请重新选择 (answer out of range)`);
  }
  const settings = await stores.privacy.getSettings(openid);
  if (!settings?.consent?.granted)
    throw forbidden('请先同意隐私保护指引，再进行风险测评 (consent to the privacy notice first)');
  await stores.privacy.setRiskAssessment(openid, assess(answers, now), now);
  return riskOf(stores, openid, now);
}

export async function clearRisk(stores: Stores, openid: string, now: number): Promise<null> {
  // Nothing to withdraw: no write (and no settings document created for a stranger).
  if ((await stores.privacy.getSettings(openid))?.risk) {
    await stores.privacy.setRiskAssessment(openid, null, now);
  }
  return null;
}
