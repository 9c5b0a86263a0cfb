/** Payment risk on crafted fraud patterns, and benign habits that must not be held. */
import { scorePaymentRisk } from '../../../../server/engine/payments/risk';
import { DAY_MS } from '../../../../server/engine/payments/records';
import type {
  AttemptOutcome,
  PaidOrder,
  PaymentAttempt,
} from '../../../../server/engine/payments/records';

const NOW = Date.UTC(2026, 11, 1, 4);
const MIN = 60_000;
/** A regular: twenty orders of ¥30–¥120 over 100 days, all from one phone. */
const regular: PaidOrder[] = Array.from({ length: 20 }, (_, i) => ({
  user: 'u',
  amountFen: 3000 + ((i * 37) % 10) * 1000,
  paidAt: NOW - (100 - i * 5) * DAY_MS,
  method: 'wechat_balance',
  refundedFen: 0,
  device: 'phone-a',
}));
const paidAttempts: AttemptOutcome[] = regular.map((o) => ({
  at: o.paidAt,
  amountFen: o.amountFen,
  outcome: 'paid',
  device: o.device,
}));
const attempt = (amountFen: number, device = 'phone-a'): PaymentAttempt => ({
  user: 'u',
  amountFen,
  at: NOW,
  method: 'wechat_balance',
  device,
});

describe('payment risk: fraud patterns are held, with their reasons', () => {
  it('holds a card-testing burst: many small attempts in minutes, most failing', () => {
    const burst: AttemptOutcome[] = Array.from({ length: 6 }, (_, i) => ({
      at: NOW - (6 - i) * MIN,
      amountFen: 100,
      outcome: i < 5 ? 'failed' : 'open',
    }));
    const v = scorePaymentRisk(attempt(100, 'phone-x'), [], burst);
    expect(v.hold).toBe(true);
    expect(v.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['velocity', 'repeated_failures']),
    );
    expect(v.reasons[0].message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('holds an amount spike far beyond the user’s own history', () => {
    const v = scorePaymentRisk(attempt(150_000), regular, paidAttempts);
    expect(v.hold).toBe(true);
    expect(v.reasons[0].code).toBe('amount_spike');
  });

  it('holds a new device paying a high amount', () => {
    const v = scorePaymentRisk(attempt(60_000, 'phone-z'), regular, paidAttempts);
    expect(v.hold).toBe(true);
    expect(v.reasons.map((r) => r.code)).toEqual(['new_device', 'amount_spike']);
  });

  it('holds repeated failures over the day even when spread out', () => {
    const failures: AttemptOutcome[] = [1, 3, 6, 9, 12].map((h) => ({
      at: NOW - h * 3_600_000,
      amountFen: 8000,
      outcome: 'failed',
    }));
    const v = scorePaymentRisk(attempt(8000), regular, [...paidAttempts, ...failures]);
    expect(v.hold).toBe(true);
    expect(v.reasons[0].code).toBe('repeated_failures');
  });
});

describe('payment risk: benign habits pass', () => {
  it('passes a regular buying a usual amount', () => {
    const v = scorePaymentRisk(attempt(9000), regular, paidAttempts);
    expect(v).toEqual({ score: 0, hold: false, reasons: [] });
  });

  it('passes a first order of an ordinary amount (no history to compare with)', () => {
    expect(scorePaymentRisk(attempt(15_000, 'phone-n'), [], []).hold).toBe(false);
  });

  it('passes a new phone buying a usual amount, naming the weak signal', () => {
    const v = scorePaymentRisk(attempt(9000, 'phone-b'), regular, paidAttempts);
    expect(v.hold).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['new_device']);
  });

  it('passes one failure and a retry (balance short, then paid by card)', () => {
    const retry: AttemptOutcome[] = [{ at: NOW - 2 * MIN, amountFen: 9000, outcome: 'failed' }];
    expect(scorePaymentRisk(attempt(9000), regular, [...paidAttempts, ...retry]).hold).toBe(false);
  });

  it('passes a big spender’s big-but-usual order and ignores attempts after the one scored', () => {
    const big = regular.map((o) => ({ ...o, amountFen: o.amountFen * 50 }));
    const later: AttemptOutcome[] = Array.from({ length: 10 }, (_, i) => ({
      at: NOW + (i + 1) * MIN,
      amountFen: 100,
      outcome: 'failed',
    }));
    expect(scorePaymentRisk(attempt(500_000), big, later).hold).toBe(false);
  });

  it('holds at a lower threshold when the merchant asks for it', () => {
    const v = scorePaymentRisk(attempt(9000, 'phone-b'), regular, paidAttempts, { holdAt: 0.15 });
    expect(v.hold).toBe(true);
  });
});
