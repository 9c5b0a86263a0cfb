/** The held-order review list's rows, shaped for the template (pure: tested without a page). */
import type { HeldOrderView } from '../../../../typings';
import { dateTime, yuan } from '../../../services/format';

export interface HeldRow {
  outTradeNo: string;
  title: string;
  /** "¥59.80 · 2 件". */
  amount: string;
  /** The risk score's reasons as the server worded them, strongest first. */
  reasons: string[];
  /** "风险分 0.72". */
  scoreText: string;
  /** "2026年11月28日 10:00 下单". */
  createdText: string;
}

export function heldRow(o: HeldOrderView): HeldRow {
  return {
    outTradeNo: o.outTradeNo,
    title: o.title,
    amount: `${yuan(o.totalFen)} · ${o.quantity} 件`,
    reasons: o.risk.reasons.map((r) => r.message),
    scoreText: `风险分 ${o.risk.score.toFixed(2)}`,
    createdText: `${dateTime(o.createdAt)} 下单`,
  };
}
