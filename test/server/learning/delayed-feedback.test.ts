/**
 * The delayed-feedback correction: the label join's early mode (a positive if the click is known
 * at the first flush, else a provisional negative and a positive when a late click comes) with
 * the provisional negatives' importance weight (1 − p̂) ÷ (1 − p̂·a) learns the true click
 * probability; the same stream learned unweighted under-predicts.
 */
import { FeatureVector } from '../../../server/engine/features/vector';
import { CLICK_WINDOW_MS, LabelJoin } from '../../../server/engine/labels/join';
import { ProgressiveValidation } from '../../../server/engine/metrics/progressive';
import { mulberry32 } from '../../../server/engine/models/rng';
import { FieldAwareFM } from '../../../server/engine/models/ffm';
import type { Learner } from '../../../server/engine/models/learner';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import { provisionalWeight } from '../../../server/learning/training-run';
import type { ServedSlate, StoredEvent } from '../../../server/ports';

const T = 1_700_000_000_000;
const MIN = 60_000;
const LIN = { alpha: 0.05, beta: 1, l1: 0, l2: 1 };
const FFM = {
  k: 4,
  fields: 2,
  eta: 0.05,
  l2: 2e-5,
  initScale: 0.1,
  seed: 3,
  minCount: 3,
  maxBytes: 2 ** 20,
};
/** Two kinds of item with true click probabilities 0.3 and 0.05; 40 % of clicks reach the trainer with their impression, the rest 2–20 minutes later. */
const TRUE_P = [0.3, 0.05];
const PROMPT = 0.4;

const vector = (kind: number): FeatureVector =>
  new FeatureVector().push(1 + kind, 0, 1).push(9, 1, 1);

/** Runs five-minute rounds of traffic through an early-mode join and learns what each flush gives. */
function learnStream(
  model: Learner,
  weighted: boolean,
): { join: LabelJoin; validation: ProgressiveValidation } {
  const rand = mulberry32(7);
  const join = new LabelJoin(undefined, {
    windowMs: CLICK_WINDOW_MS,
    maxPending: 100_000,
    maxDone: 400_000,
    rememberMs: 4 * CLICK_WINDOW_MS,
    early: true,
  });
  const validation = new ProgressiveValidation();
  const slates = new Map<string, ServedSlate>();
  const later: StoredEvent[] = [];
  let n = 0;
  const ev = (type: 'impression' | 'click', slateId: string, at: number): StoredEvent => ({
    openid: 'u',
    eventId: `e${++n}`,
    type,
    serverTime: at,
    clientTime: at,
    clockSkewed: false,
    sessionId: 's',
    page: 'pages/feed/index',
    slateId,
    position: 0,
    props: {},
  });
  for (let round = 0; round < 120; round++) {
    const at = T + round * 5 * MIN;
    const events: StoredEvent[] = later.filter((e) => e.serverTime < at);
    later.splice(0, later.length, ...later.filter((e) => e.serverTime >= at));
    for (let k = 0; k < 200; k++) {
      const kind = k % 2;
      const slateId = `s${round}-${k}`;
      slates.set(slateId, {
        slateId,
        openid: 'u',
        servedAt: at,
        modelVersion: null,
        variant: null,
        personalised: true,
        scene: null,
        cards: [{ position: 0, itemId: `kind-${kind}`, score: null, propensity: 1 }],
      });
      events.push(ev('impression', slateId, at));
      if (rand() < TRUE_P[kind]) {
        if (rand() < PROMPT) events.push(ev('click', slateId, at));
        else later.push(ev('click', slateId, at + (2 + 18 * rand()) * MIN));
      }
    }
    join.ingest(
      events.sort((a, b) => a.serverTime - b.serverTime),
      slates,
    );
    const a = join.flush(at + MIN);
    const share = join.promptShare;
    for (const ex of a) {
      const x = vector(ex.itemId === 'kind-0' ? 0 : 1);
      const w = ex.provisional && weighted ? provisionalWeight(model.predict(x), share) : 1;
      const p = model.learn(x, ex.clicked, w);
      if (p !== null) validation.add(ex.clicked, p, w);
    }
  }
  return { join, validation };
}

describe.each([
  ['LogisticRegression', () => LogisticRegression.create(12, LIN)],
  ['FieldAwareFM', () => FieldAwareFM.create(12, LIN, FFM)],
])('delayed-feedback correction (%s)', (_name, make) => {
  it('learns the true click probabilities from clicks learned as they arrive; unweighted, the stream under-predicts', () => {
    const weighted = make();
    const { join, validation } = learnStream(weighted, true);
    expect(join.promptShare).toBeCloseTo(PROMPT, 1);
    expect(weighted.predict(vector(0))).toBeCloseTo(TRUE_P[0], 1);
    expect(Math.abs(weighted.predict(vector(0)) - TRUE_P[0])).toBeLessThan(0.02);
    expect(Math.abs(weighted.predict(vector(1)) - TRUE_P[1])).toBeLessThan(0.01);
    // The weighted validation judges the true labels: calibrated overall.
    expect(validation.calibrationRatio).toBeGreaterThan(0.93);
    expect(validation.calibrationRatio).toBeLessThan(1.07);

    const plain = make();
    learnStream(plain, false);
    // Without weights a late click's impression counts as a negative too: p / (1 + p·(1 − a)) = 0.254 for 0.3.
    expect(plain.predict(vector(0))).toBeLessThan(TRUE_P[0] - 0.03);
  });
});

describe('provisionalWeight', () => {
  it('is the probability that a provisional negative stays negative', () => {
    expect(provisionalWeight(0.2, 0)).toBeCloseTo(0.8); // every click late: FNW's 1 − p
    expect(provisionalWeight(0.2, 1)).toBeCloseTo(1); // every click prompt: provisional negatives are final
    expect(provisionalWeight(0.3, 0.4)).toBeCloseTo(0.7 / 0.88);
  });
});
