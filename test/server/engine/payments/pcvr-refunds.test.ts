/**
 * pCVR with refunds: a click whose order was refunded in full is a settled negative (a
 * retraction), so the delayed-feedback model learns the rate of conversions kept, and the
 * controller's expected conversions count neither the refunded pay nor any pay still to come.
 */
import { mulberry32 } from '../../../../server/engine/models/rng';
import { expectedConversions, fitDelayedFeedback } from '../../../../server/engine/payments/pcvr';
import { DAY_MS, HOUR_MS } from '../../../../server/engine/payments/records';
import type { ClickRecord } from '../../../../server/engine/payments/records';

const START = Date.UTC(2026, 10, 1);

/** Two days of clicks converting 20 % after a mean 4 h; a quarter of the pays refunded in full. */
function stream(seed: number): ClickRecord[] {
  const rng = mulberry32(seed);
  const out: ClickRecord[] = [];
  for (let i = 0; i < 6000; i++) {
    const clickedAt = START + Math.floor(rng() * 2 * DAY_MS);
    const converts = rng() < 0.2;
    const paidAt = clickedAt + -Math.log(1 - rng()) * 4 * HOUR_MS;
    const refunded = rng() < 0.25;
    const seen = converts && paidAt < START + 2 * DAY_MS;
    out.push(
      seen && refunded
        ? { x: [1], clickedAt, paidAt: null, refunded: true }
        : { x: [1], clickedAt, paidAt: seen ? paidAt : null },
    );
  }
  return out;
}

describe('pCVR with refunded conversions', () => {
  const now = START + 2 * DAY_MS;
  const clicks = stream(11);
  // P(pay within 24 h) × P(kept) for the stream above.
  const keptRate = 0.2 * (1 - Math.exp(-24 / 4)) * 0.75;

  it('learns the rate of conversions kept: refunded clicks are settled negatives, not pending ones', () => {
    const model = fitDelayedFeedback(clicks, now, { iterations: 300 });
    expect(Math.abs(model.predict([1]) - keptRate) / keptRate).toBeLessThan(0.1);
    // Left as conversions (no retraction), the refunded pays would make it a third higher.
    const gross = fitDelayedFeedback(
      clicks.map((c, i) =>
        c.refunded ? { ...c, refunded: false, paidAt: c.clickedAt + (i % 7) * HOUR_MS } : c,
      ),
      now,
      { iterations: 300 },
    );
    expect(gross.predict([1])).toBeGreaterThan(model.predict([1]) * 1.25);
  });

  it('counts a refunded click as neither observed nor pending in the controller’s conversions', () => {
    const model = fitDelayedFeedback(clicks, now, { iterations: 100 });
    const recent: ClickRecord = { x: [1], clickedAt: now - HOUR_MS, paidAt: null };
    const pending = expectedConversions(model, [recent], now);
    expect(pending.pending).toBeGreaterThan(0);
    expect(expectedConversions(model, [{ ...recent, refunded: true }], now)).toEqual({
      observed: 0,
      pending: 0,
      expected: 0,
    });
  });
});
