/** Pacing over a simulated day: spend follows the even schedule instead of burning out in the morning. */
import type { Campaign } from '../../../../typings';
import { passProbability } from '../../../../server/engine/ads/pacing';
import { DEFAULT_AD_PARAMS } from '../../../../server/engine/ads/params';
import { elapsedServingShare } from '../../../../server/engine/ads/schedule';
import { mulberry32 } from '../../../../server/engine/models/rng';
import { makeCampaign } from '../../../helpers/fixtures';

const rules = {
  tolerance: DEFAULT_AD_PARAMS.pacingTolerance,
  floor: DEFAULT_AD_PARAMS.pacingFloor,
};
// 2026-11-28 00:00 CST.
const DAY_START = Date.UTC(2026, 10, 27, 16, 0, 0);
const MINUTE = 60_000;

describe('pass probability', () => {
  it('is 1 on or behind schedule, falls linearly while ahead, and is 0 without a budget', () => {
    expect(passProbability(400, 1000, 0.5, rules)).toBe(1);
    expect(passProbability(500, 1000, 0.5, rules)).toBe(1);
    expect(passProbability(525, 1000, 0.5, rules)).toBeCloseTo(0.5, 9);
    expect(passProbability(600, 1000, 0.5, rules)).toBe(0);
    expect(passProbability(0, 0, 0.5, rules)).toBe(0);
    expect(passProbability(600, 1000, 0.5, { tolerance: 0.05, floor: 0.1 })).toBe(0.1);
  });
});

/** Requests per minute by CST hour: a heavy morning and midday, a quiet night. */
const trafficAt = (hour: number): number => (hour < 7 ? 4 : hour < 13 ? 40 : hour < 22 ? 20 : 8);

/** One simulated day, minute by minute: spend after each CST hour. */
function simulateDay(campaign: Campaign, paced: boolean, seed: number): number[] {
  const rng = mulberry32(seed);
  const priceFen = 50;
  const ctr = 0.05;
  let spent = 0;
  const byHour: number[] = [];
  for (let m = 0; m < 24 * 60; m++) {
    const now = DAY_START + m * MINUTE;
    for (let r = 0; r < trafficAt(Math.floor(m / 60)); r++) {
      if (campaign.dailyBudgetFen - spent < campaign.bidFen) break; // eligibility: a full-bid click must fit
      const pass = paced
        ? passProbability(spent, campaign.dailyBudgetFen, elapsedServingShare(campaign, now), rules)
        : 1;
      if (rng() >= pass) continue;
      if (rng() < ctr) spent += priceFen;
    }
    if (m % 60 === 59) byHour.push(spent);
  }
  return byHour;
}

describe('pacing over a simulated day', () => {
  const campaign = makeCampaign('paced', {
    bidFen: 60,
    dailyBudgetFen: 10_000,
    totalBudgetFen: 1_000_000,
    startAt: 0,
    endAt: DAY_START * 2,
    hours: [],
  });

  it('without pacing the same demand burns the budget in the morning', () => {
    const spend = simulateDay(campaign, false, 7);
    // Spent out (less than one bid left) by 10:00.
    expect(campaign.dailyBudgetFen - spend[9]).toBeLessThan(campaign.bidFen);
  });

  it('with pacing spend tracks the elapsed day within the tolerance and still spends the budget', () => {
    for (const seed of [7, 8, 9]) {
      const spend = simulateDay(campaign, true, seed);
      spend.forEach((fen, h) => {
        const target = ((h + 1) / 24) * campaign.dailyBudgetFen;
        // Never ahead by more than the tolerance plus one minute's clicks.
        expect(fen).toBeLessThanOrEqual(
          target + rules.tolerance * campaign.dailyBudgetFen + 5 * 50,
        );
      });
      // Midday: about half, not all of it.
      expect(spend[11]).toBeGreaterThan(0.4 * campaign.dailyBudgetFen);
      expect(spend[11]).toBeLessThan(0.6 * campaign.dailyBudgetFen);
      // Still serving in the evening, and the day's budget is used.
      expect(spend[23] - spend[17]).toBeGreaterThan(0.15 * campaign.dailyBudgetFen);
      expect(spend[23]).toBeGreaterThanOrEqual(0.9 * campaign.dailyBudgetFen);
    }
  });

  it("paces over the campaign's own hours when it serves only part of the day", () => {
    const daytime = { ...campaign, hours: Array.from({ length: 12 }, (_, h) => h + 8) }; // 08:00–20:00
    const share = (h: number, min = 0) =>
      elapsedServingShare(daytime, DAY_START + h * 60 * MINUTE + min * MINUTE);
    expect(share(7)).toBe(0);
    expect(share(14)).toBeCloseTo(0.5, 9);
    expect(share(20)).toBe(1);
  });
});
