/** The promotion gate: serve a new version only if its AUC is at most 0.005 below the serving one's. */
import { promotionGate } from '../../../server/engine/training/gate';

const base = { examples: 500, minExamples: 50, servingVersion: 'v000001' };

describe('promotion gate', () => {
  it('promotes at or above serving − 0.005 and keeps a candidate below, saying why', () => {
    expect(promotionGate({ ...base, candidateAuc: 0.7, servingAuc: 0.7049 }).promote).toBe(true);
    expect(promotionGate({ ...base, candidateAuc: 0.7, servingAuc: 0.705 }).promote).toBe(true);
    const worse = promotionGate({ ...base, candidateAuc: 0.7, servingAuc: 0.7051 });
    expect(worse).toEqual({
      promote: false,
      reason: 'AUC 0.7000 is more than 0.005 below 0.7051 of v000001 on 500 examples',
    });
  });

  it('promotes the first version, but never on too few examples or one class only', () => {
    expect(
      promotionGate({ ...base, servingVersion: null, servingAuc: null, candidateAuc: 0.6 }),
    ).toMatchObject({ promote: true, reason: expect.stringMatching(/first servable/) });
    expect(
      promotionGate({ ...base, examples: 49, candidateAuc: 0.9, servingAuc: 0.5 }),
    ).toMatchObject({ promote: false, reason: expect.stringMatching(/only 49/) });
    expect(promotionGate({ ...base, candidateAuc: Number.NaN, servingAuc: 0.5 })).toMatchObject({
      promote: false,
      reason: expect.stringMatching(/one class/),
    });
  });
});
