/**
 * `--transactions FILE`: a whitespace-separated log (customer id, yyyymmdd, quantity, amount; the
 * CDNOW layout) as paid orders, the RFM propensity examples at the calibration end, and the test
 * split (customers whose numeric id % 5 == 0).
 */
import { DAY_MS } from '../../server/engine/payments/records';
import type { PaidOrder } from '../../server/engine/payments/records';
import { propensityExamples } from '../../server/engine/payments/propensity';
import type { PropensityExamples } from '../../server/engine/payments/propensity';

/** yyyymmdd as UTC midnight (ms), or NaN. */
export function parseYmd(s: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s.trim());
  if (!m) return NaN;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1 ? t : NaN;
}

export interface TransactionLog {
  orders: PaidOrder[];
  skipped: number;
}

/** Parses the log; lines that do not read as four fields with a valid date and amount are skipped and counted. */
export function parseTransactions(text: string): TransactionLog {
  const orders: PaidOrder[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length === 1 && f[0] === '') continue;
    const at = f.length >= 4 ? parseYmd(f[1]) : NaN;
    const amount = Number(f[3]);
    if (!Number.isFinite(at) || !Number.isFinite(amount) || amount < 0) {
      skipped++;
      continue;
    }
    // Noon, so that a purchase on the calibration end's day falls after it, never on it.
    orders.push({
      user: f[0],
      amountFen: Math.round(amount * 100),
      paidAt: at + DAY_MS / 2,
      method: 'unknown',
      refundedFen: 0,
    });
  }
  return { orders, skipped };
}

export interface TransactionSplit {
  train: PropensityExamples;
  test: PropensityExamples;
}

/**
 * Customers with a purchase before the calibration end; features as of it, label = a purchase
 * from it until the horizon end (exclusive); test customers are those with id % 5 == 0.
 */
export function transactionSplit(
  orders: readonly PaidOrder[],
  calibrationEnd: number,
  horizonEnd: number,
): TransactionSplit {
  if (!(horizonEnd > calibrationEnd))
    throw new RangeError('the horizon must end after the calibration');
  const before = orders.filter((o) => o.paidAt < calibrationEnd);
  const customers = [...new Set(before.map((o) => o.user))];
  const isTest = (u: string): boolean => {
    const n = Number(u);
    return Number.isInteger(n) && n % 5 === 0;
  };
  const horizonDays = (horizonEnd - calibrationEnd) / DAY_MS;
  const ex = (users: string[]) => propensityExamples(users, orders, calibrationEnd, horizonDays);
  return {
    train: ex(customers.filter((u) => !isTest(u))),
    test: ex(customers.filter(isTest)),
  };
}
