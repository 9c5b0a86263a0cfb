/** What the risk section shows of an assessment, as pure functions (unit-testable without a page). */
import type { RiskAssessmentView } from '../../../../typings';

/** "C3 平衡型" of an assessment; empty when there is none. */
export function levelText(a: RiskAssessmentView | null): string {
  return a ? `C${a.stated} ${a.label}` : '';
}

/** Validity note: until when it holds, or that it expired and must be answered again. */
export function levelNote(a: RiskAssessmentView | null): string {
  if (!a) return '';
  if (a.expired) return '测评已过期，暂不推荐理财产品，请重新测评';
  const d = new Date(a.expiresAt + 8 * 3600_000); // CST, whatever the device's zone
  return `有效期至 ${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The folded cell's title. */
export function summaryOf(a: RiskAssessmentView | null): string {
  if (!a) return '尚未测评';
  return a.expired ? `${levelText(a)}（已过期）` : `我的等级：${levelText(a)}`;
}

/** The answers to show: the stored ones when they answer this questionnaire, else none chosen. */
export function answersFor(
  a: RiskAssessmentView | null,
  version: string,
  questions: number,
): (number | null)[] {
  if (a && a.version === version && a.answers.length === questions) return [...a.answers];
  return Array.from({ length: questions }, () => null);
}

/**
 * The payment cap, when it lowers the stated level: "根据你的付款记录（付款记录较少），理财产品按
 * C3 平衡型推荐，不高于你测评的等级". Empty when payments cap nothing.
 */
export function suggestionNote(a: RiskAssessmentView | null): string {
  if (!a || a.suggested === null || a.expired) return '';
  const why = a.suggestedReason ? `（${a.suggestedReason}）` : '';
  return `根据你的付款记录${why}，理财产品暂按 C${a.suggested} ${a.suggestedLabel ?? ''}推荐，不高于你测评的等级`;
}
