/**
 * The risk questionnaire (风险承受能力评估) of the 金融理财 scene: six questions whose answers
 * give a user's risk tolerance C1–C5, which the suitability rule (suitability.ts) compares with a
 * product's risk level R1–R5. A platform rule modelled on the structure of investor
 * suitability questionnaires (experience, horizon, loss capacity, objective, income stability,
 * knowledge), not financial advice. Two answers cap the level whatever the sum, because a high
 * score elsewhere must not outvote them: a user who accepts no loss is C1, and a horizon under
 * a year is at most C3. An assessment is valid for a year; after that the user counts as not
 * assessed and is offered no risk-rated product until they answer again.
 */
import type { RiskLevel } from './suitability';

/** Bumped whenever a question, an option or the scoring changes; answers name the version they answer. */
export const QUESTIONNAIRE_VERSION = 'risk-2026-12';

/** An assessment is valid this long (ms). */
export const ASSESSMENT_VALID_MS = 365 * 24 * 3600 * 1000;

export interface RiskQuestion {
  id: string;
  text: string;
  /** Options in order; an answer is the option's index, its score is the index. */
  options: readonly string[];
}

export const RISK_QUESTIONS: readonly RiskQuestion[] = [
  {
    id: 'experience',
    text: '您投资基金、股票、理财等产品的经验有多久？',
    options: ['没有经验', '1 年以内', '1–3 年', '3–5 年', '5 年以上'],
  },
  {
    id: 'horizon',
    text: '您计划的投资期限是多久？',
    options: ['1 年以内', '1–3 年', '3–5 年', '5 年以上'],
  },
  {
    id: 'loss',
    text: '您最多能接受的投资亏损是多少？',
    options: ['不能接受亏损', '5% 以内', '5%–20%', '20%–50%', '50% 以上'],
  },
  {
    id: 'objective',
    text: '您的投资目标是？',
    options: ['保本，不追求收益', '稳健增值', '较高收益，可承受一定波动', '高收益，可承受较大波动'],
  },
  {
    id: 'income',
    text: '您的收入来源稳定吗？',
    options: ['不稳定', '较稳定', '稳定'],
  },
  {
    id: 'knowledge',
    text: '您对金融产品及其风险的了解程度？',
    options: ['基本不了解', '一般了解', '比较了解', '非常了解'],
  },
];

/** Highest possible sum of option indices. */
export const MAX_SCORE = RISK_QUESTIONS.reduce((s, q) => s + q.options.length - 1, 0);

/** Upper bounds (inclusive) of the score bands C1 … C4; anything above is C5. */
const BANDS = [4, 8, 12, 16] as const;

export const TOLERANCE_LABELS: Record<RiskLevel, string> = {
  1: '保守型',
  2: '稳健型',
  3: '平衡型',
  4: '成长型',
  5: '进取型',
};

export interface RiskAssessment {
  version: string;
  /** Option index per question, in RISK_QUESTIONS order. */
  answers: number[];
  score: number;
  /** C1–C5. */
  tolerance: RiskLevel;
  /** Server time of the answers, epoch ms. */
  at: number;
  expiresAt: number;
}

/** Why a set of answers cannot be scored, or null when they can. */
export function answersProblem(version: string, answers: readonly number[]): string | null {
  if (version !== QUESTIONNAIRE_VERSION) return 'version';
  if (answers.length !== RISK_QUESTIONS.length) return 'count';
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    if (!Number.isInteger(a) || a < 0 || a >= RISK_QUESTIONS[i].options.length)
      return `answer:${i}`;
  }
  return null;
}

/** The tolerance of valid answers (check answersProblem first): score bands, then the caps. */
export function toleranceOf(answers: readonly number[]): { score: number; tolerance: RiskLevel } {
  const score = answers.reduce((s, a) => s + a, 0);
  let level = (BANDS.findIndex((upper) => score <= upper) + 1 || 5) as RiskLevel;
  const at = (id: string) => answers[RISK_QUESTIONS.findIndex((q) => q.id === id)];
  if (at('loss') === 0) level = 1;
  if (at('horizon') === 0) level = Math.min(level, 3) as RiskLevel;
  return { score, tolerance: level };
}

export function assess(answers: readonly number[], now: number): RiskAssessment {
  const { score, tolerance } = toleranceOf(answers);
  return {
    version: QUESTIONNAIRE_VERSION,
    answers: [...answers],
    score,
    tolerance,
    at: now,
    expiresAt: now + ASSESSMENT_VALID_MS,
  };
}

/** The stated tolerance an assessment gives at `now`: null when there is none or it has expired. */
export function statedTolerance(
  a: RiskAssessment | null | undefined,
  now: number,
): RiskLevel | null {
  if (!a || now >= a.expiresAt) return null;
  return a.tolerance;
}
