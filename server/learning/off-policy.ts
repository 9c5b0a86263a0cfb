/**
 * Off-policy evaluation from the slate log alone (`npm run ope`, `npm run simulate -- --ope`):
 * turns logged content slates, their viewable impressions and clicks into samples for
 * server/engine/metrics/ope.ts, for the candidate policy "the same ranking without
 * exploration" (greedy: ε = 0). The feed's exploration is an explicit mixture with logged exact
 * propensities (server/engine/ranking/pipeline.ts): at a page's exploration slot the logging
 * policy showed the ranked card with probability 1 − ε and an explored one (flagged) with ε ÷
 * pool size; the candidate shows the ranked card with probability 1. Elsewhere both policies
 * agree (propensity 1, weight 1). The reward model of the doubly robust estimate is the click
 * rate by place on the page and kind (ranked / explored), cross-fitted over two halves of the
 * users so no sample's own click fits the model it is corrected with.
 */
import { offPolicyEstimates, type OpeEstimates, type OpeSample } from '../engine/metrics/ope';
import type { ServedSlate, Stores } from '../ports';

/** Events per read, and slates per lookup. */
const PAGE = 5000;
const LOOKUP = 100;

export interface SlateLogEvaluation extends OpeEstimates {
  /** Content impressions with a logged slate card, and their click rate under the logging policy. */
  impressions: number;
  loggedCtr: number;
  /** Impressions of explored cards (the candidate never shows them). */
  explored: number;
}

interface Shown {
  openid: string;
  /** Content card index on its page. */
  k: number;
  explored: boolean;
  propensity: number;
  clicked: boolean;
}

const key = (slateId: string, position: number): string => `${slateId}|${position}`;

/** Every content card that had a viewable impression, joined with its slate card and whether it was clicked. */
async function shownCards(stores: Pick<Stores, 'events' | 'slates'>): Promise<Shown[]> {
  const seen = new Map<string, string>();
  const clicked = new Set<string>();
  let cursor: string | null = null;
  for (;;) {
    const page = await stores.events.readAfter(cursor, Number.MAX_SAFE_INTEGER, PAGE);
    for (const e of page.events) {
      if (e.slateId === undefined || e.position === undefined || e.itemId === undefined) continue;
      if (e.type === 'impression') seen.set(key(e.slateId, e.position), e.openid);
      else if (e.type === 'click') clicked.add(key(e.slateId, e.position));
    }
    cursor = page.cursor;
    if (page.events.length < PAGE) break;
  }
  const ids = [...new Set([...seen.keys()].map((k) => k.slice(0, k.lastIndexOf('|'))))];
  const out: Shown[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP) {
    const slates: ServedSlate[] = await stores.slates.get(ids.slice(i, i + LOOKUP));
    for (const s of slates) {
      const content = s.cards
        .filter((c) => c.itemId !== undefined)
        .sort((a, b) => a.position - b.position);
      content.forEach((c, k) => {
        const at = key(s.slateId, c.position);
        if (seen.get(at) !== s.openid) return;
        out.push({
          openid: s.openid,
          k,
          explored: c.explored === true,
          propensity: c.propensity,
          clicked: clicked.has(at),
        });
      });
    }
  }
  return out;
}

/** FNV-1a of the user: which half of the cross-fitting a user's samples fall in. */
function fold(openid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < openid.length; i++) h = Math.imul(h ^ openid.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 1;
}

/** Click rate by (fold, kind, place on the page), with one pseudo-click in 10 towards the overall rate. */
function rewardModel(cards: readonly Shown[]): (f: number, explored: boolean, k: number) => number {
  const all = cards.filter((c) => c.clicked).length / Math.max(1, cards.length);
  const sums = new Map<string, [number, number]>();
  for (const c of cards) {
    const id = `${fold(c.openid)}|${c.explored}|${c.k}`;
    const s = sums.get(id) ?? [0, 0];
    s[0] += c.clicked ? 1 : 0;
    s[1] += 1;
    sums.set(id, s);
  }
  return (f, explored, k) => {
    const [clicks, n] = sums.get(`${f}|${explored}|${k}`) ?? [0, 0];
    return (clicks + 10 * all) / (n + 10);
  };
}

/** An evaluation as one flat record of figures (what `npm run ope` and `simulate --ope` print). */
export function evaluationFigures(e: SlateLogEvaluation) {
  return {
    logged: e.loggedCtr,
    ips: e.ips.value,
    ipsLow: e.ips.low,
    ipsHigh: e.ips.high,
    snips: e.snips.value,
    snipsLow: e.snips.low,
    snipsHigh: e.snips.high,
    dr: e.dr.value,
    drLow: e.dr.low,
    drHigh: e.dr.high,
    impressions: e.impressions,
    explored: e.explored,
    users: e.clusters,
    meanWeight: e.meanWeight,
  };
}

/** The greedy candidate's click rate per content impression, estimated from the slate log. */
export async function evaluateGreedy(
  stores: Pick<Stores, 'events' | 'slates'>,
): Promise<SlateLogEvaluation> {
  const cards = await shownCards(stores);
  const q = rewardModel(cards);
  const samples: OpeSample[] = cards.map((c) => {
    // Fit on the other half of the users (cross-fitting).
    const other = 1 - fold(c.openid);
    return {
      cluster: c.openid,
      reward: c.clicked ? 1 : 0,
      logged: c.propensity,
      // Greedy shows the ranked card wherever the logging policy could have, never an explored one.
      target: c.explored ? 0 : 1,
      qLogged: q(other, c.explored, c.k),
      qTarget: q(other, false, c.k),
    };
  });
  const clicks = cards.filter((c) => c.clicked).length;
  return {
    ...offPolicyEstimates(samples),
    impressions: cards.length,
    loggedCtr: clicks / Math.max(1, cards.length),
    explored: cards.filter((c) => c.explored).length,
  };
}
