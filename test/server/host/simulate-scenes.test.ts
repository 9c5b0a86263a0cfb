/**
 * The simulator exercises the scenes (issue 19): in the finance scene half the users answer the
 * risk questionnaire and no card above anyone's tolerance is ever served; in the travel scene the
 * users who share a location or a destination get places near it more often than the catalog
 * holds them. The measure itself counts an unsuitable card when one is served.
 */
import type { ApiResult, RecommendResponse } from '../../../typings';
import { runArm } from '../../../server/host/sim-run';
import { Simulation, type CallAs } from '../../../server/host/simulate';

jest.setTimeout(120_000); // seconds alone; far longer on a loaded two-core machine

describe('simulated users in the scenes', () => {
  it('finance: users answer the questionnaire, rated products are served, none unsuitable', async () => {
    const r = await runArm('learned', {
      seed: 3,
      users: 40,
      impressions: 2500,
      scene: 'finance',
    });
    const s = r.scene!;
    expect(s.assessed).toBeGreaterThanOrEqual(10);
    expect(s.rated).toBeGreaterThan(0);
    expect(s.unsuitable).toBe(0);
  });

  it('travel: places near the shared location and at the destination come first', async () => {
    const r = await runArm('learned', {
      seed: 3,
      users: 40,
      impressions: 2500,
      scene: 'travel',
    });
    const s = r.scene!;
    expect(s.locatedCards).toBeGreaterThan(100);
    expect(s.destinationCards).toBeGreaterThan(100);
    expect(s.nearbyShare).toBeGreaterThan(s.nearbyBaseline);
    expect(s.destinationShare).toBeGreaterThan(s.destinationBaseline);
  });

  it('counts a rated card served to a user without a tolerance as unsuitable', async () => {
    const slate: RecommendResponse = {
      slateId: 's.0',
      cursor: null,
      cards: [
        {
          kind: 'content',
          position: 0,
          item: {
            id: 'fund',
            title: '基金',
            summary: '',
            category: '理财',
            tags: [],
            cover: '',
            publishedAt: 0,
          },
        },
      ],
    };
    const call = (async (fn: string) =>
      ({
        ok: true,
        data:
          fn === 'recommend'
            ? slate
            : fn === 'track'
              ? { accepted: [], rejected: [] }
              : { action: 'consent.set' },
      }) as ApiResult<unknown>) as unknown as CallAs;
    const sim = new Simulation(1, ['理财'], {
      users: 3,
      scenes: {
        riskShare: 0,
        locationShare: 0,
        destinationShare: 0,
        places: [],
        riskOf: (card) => (card.kind === 'content' && card.item.id === 'fund' ? 5 : undefined),
      },
    });
    const r = await sim.round(call, 0);
    expect(r.rated).toBe(r.slates);
    expect(r.unsuitable).toBe(r.slates);
    expect(r.slates).toBeGreaterThan(0);
  });
});
