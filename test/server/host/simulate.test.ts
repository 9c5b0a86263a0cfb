/** Simulated users (small population, fast clock): the learned feed beats the popularity-led one; ads are charged and capped. */
import { loadConfig } from '../../../server/config';
import { compare, runArm } from '../../../server/host/sim-run';

jest.setTimeout(90_000); // a few seconds alone; far longer on a loaded two-core machine

describe('simulated users', () => {
  it('click more on the learned ranking than on the popularity-led feed, with ads billed and capped', async () => {
    const c = await compare({ seed: 5, users: 40, impressions: 4000, roundMs: 15 * 60_000 });
    expect(c.learned.impressions).toBeGreaterThanOrEqual(4000);
    expect(c.popular.impressions).toBeGreaterThanOrEqual(4000);
    expect(c.learnedCtr).toBeGreaterThan(c.popularCtr);
    expect(c.lift).toBeGreaterThan(1.15);
    // The learned arm trained and promoted a model with real signal; the baseline ran none.
    expect(c.learned.serving).toMatch(/^v\d+$/);
    expect(c.learned.auc).toBeGreaterThan(0.7);
    expect(c.popular.serving).toBeNull();
    // About half the population shares gender / age band / city, so age- and city-targeted campaigns reach them;
    // the opted-out arm's users share nothing that targeting may use.
    expect(c.learned.demographicAdImpressions).toBeGreaterThan(0);
    expect(c.popular.demographicAdImpressions).toBe(0);
    for (const arm of [c.learned, c.popular]) {
      expect(arm.adImpressions).toBeGreaterThan(0);
      // Every simulated ad click was on a served ad with budget left: each billed exactly once.
      expect(arm.billedClicks).toBe(arm.adClicks);
      expect(arm.spentFen).toBeGreaterThan(0);
      // The cap counts tracked impressions; a session's events arrive after its (up to two) pages, so one can overshoot by one.
      const cap = loadConfig({}, { dataDir: '/nonexistent' }).adFrequencyCap;
      expect(arm.maxAdViews).toBeGreaterThanOrEqual(cap);
      expect(arm.maxAdViews).toBeLessThanOrEqual(cap + 1);
    }
  });

  it('replays exactly from its seed', async () => {
    const a = await runArm('popular', { seed: 9, users: 10, impressions: 300 });
    const b = await runArm('popular', { seed: 9, users: 10, impressions: 300 });
    expect({ ...b, seconds: 0 }).toEqual({ ...a, seconds: 0 });
  });
});
