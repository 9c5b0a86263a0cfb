/** Off-policy evaluation from the slate log alone (npm run ope), on both adapters: joins, weights and the greedy candidate's estimates by hand. */
import { evaluateGreedy } from '../../../server/learning/off-policy';
import type { ServedSlate } from '../../../server/ports';
import { bothAdapters } from '../../helpers/adapters';
import { makeEvent } from '../../helpers/fixtures';

const T = Date.UTC(2026, 10, 28, 2, 0, 0);

describe.each(bothAdapters)('evaluateGreedy on %s', (_name, open) => {
  it('weights the exploration slot by the candidate over the logged propensity, and leaves other cards at 1', async () => {
    const opened = await open();
    try {
      const s = opened.stores;
      const slate = (id: string, openid: string, cards: ServedSlate['cards']): ServedSlate => ({
        slateId: id,
        openid,
        servedAt: T,
        modelVersion: null,
        variant: null,
        personalised: false,
        scene: null,
        cards,
      });
      await s.slates.append(
        slate('s1.0', 'u1', [
          { position: 0, itemId: 'a', score: null, propensity: 1 },
          { position: 1, itemId: 'b', score: null, propensity: 0.7 }, // ranked, could have been replaced (ε 0.3)
        ]),
      );
      await s.slates.append(
        slate('s2.0', 'u2', [
          { position: 0, itemId: 'c', score: null, propensity: 1 },
          { position: 1, itemId: 'd', score: null, propensity: 0.03, explored: true }, // ε 0.3 ÷ 10 items
          {
            position: 2,
            adId: 'camp',
            score: 0.02,
            propensity: 0.5,
            propensitySamples: 63,
            priceFen: 9,
          },
        ]),
      );
      let n = 0;
      const ev = (
        openid: string,
        slateId: string,
        position: number,
        itemId: string | undefined,
        type: 'impression' | 'click',
      ) =>
        makeEvent({
          openid,
          eventId: `e${n++}`,
          type,
          slateId,
          position,
          serverTime: T + n,
          clientTime: T + n,
          ...(itemId ? { itemId } : { adId: 'camp' }),
        });
      await s.events.append([
        ev('u1', 's1.0', 0, 'a', 'impression'),
        ev('u1', 's1.0', 1, 'b', 'impression'),
        ev('u1', 's1.0', 1, 'b', 'click'),
        ev('u2', 's2.0', 0, 'c', 'impression'),
        ev('u2', 's2.0', 1, 'd', 'impression'),
        ev('u2', 's2.0', 1, 'd', 'click'),
        ev('u2', 's2.0', 2, undefined, 'impression'),
        ev('u2', 's2.0', 2, undefined, 'click'),
        // A click without a viewable impression of an unlogged slate is no sample.
        ev('u1', 'zz.0', 0, 'a', 'click'),
      ]);
      const e = await evaluateGreedy(s);
      expect([e.impressions, e.clusters, e.explored]).toEqual([4, 2, 1]);
      expect(e.loggedCtr).toBeCloseTo(0.5, 12);
      // IPS: (0 + 1/0.7 + 0 + 0 × 1/0.03) / 4; SNIPS: (1/0.7) / (1 + 1/0.7 + 1 + 0).
      expect(e.ips.value).toBeCloseTo(1 / 0.7 / 4, 9);
      expect(e.snips.value).toBeCloseTo(1 / 0.7 / (2 + 1 / 0.7), 9);
      expect(e.dr.low).toBeLessThan(e.dr.value);
      expect(e.dr.high).toBeGreaterThan(e.dr.value);
    } finally {
      await opened.cleanup();
    }
  });
});
