/**
 * The experiment rollup keeps each exposed user's predicted purchase propensity on the unit it
 * creates (the profile's, through the callback), null for an unscored user, and none on the
 * payments' units; a later page does not replace it.
 */
import type { Experiment } from '../../../typings';
import { ExperimentRollup, PAID } from '../../../server/learning/experiment-rollup';
import type { Order, ServedSlate } from '../../../server/ports';
import { makeEvent } from '../../helpers/fixtures';

const T = Date.UTC(2026, 11, 1);
const exp = { id: 'e1', startedAt: T - 1, stoppedAt: null } as unknown as Experiment;
const slate = (openid: string): ServedSlate => ({
  slateId: `s-${openid}`,
  openid,
  servedAt: T,
  modelVersion: null,
  variant: 'e1:a',
  personalised: true,
  scene: null,
  cards: [],
});

describe('experiment rollup: predicted propensity at exposure', () => {
  it('keeps the propensity of the first page a unit is made in, null when unscored', () => {
    const r = new ExperimentRollup([exp]);
    const slates = new Map(['u1', 'u2'].map((u) => [`s-${u}`, slate(u)]));
    const scores = new Map([['u1', 0.2]]);
    const impression = (openid: string, position: number) =>
      makeEvent({
        openid,
        type: 'impression',
        slateId: `s-${openid}`,
        position,
        serverTime: T + position,
      });
    r.ingest([impression('u1', 0), impression('u2', 0)], slates, (u) => scores.get(u) ?? null);
    scores.set('u1', 0.9);
    scores.set('u2', 0.5);
    r.ingest([impression('u1', 1), impression('u2', 1)], slates, (u) => scores.get(u) ?? null);
    r.paid([{ openid: 'u1', paidAt: T + 5, totalFen: 990 } as Order]);
    const units = r.snapshot();
    expect(units.find((u) => u.openid === 'u1' && u.variant === 'a')).toMatchObject({
      impressions: 2,
      propensity: 0.2,
    });
    expect(units.find((u) => u.openid === 'u2' && u.variant === 'a')).toMatchObject({
      impressions: 2,
      propensity: null,
    });
    expect(units.find((u) => u.variant === PAID)).not.toHaveProperty('propensity');
  });
});
