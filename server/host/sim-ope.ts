/**
 * `npm run simulate -- --ope`: off-policy evaluation checked against the truth. The simulated
 * population browses the non-personalised feed (no model is trained, so the policy is the only
 * thing that differs between arms) under the logging policy, the feed with its exploration
 * mixture; the slate log of that run alone estimates the click rate of the candidate, the same
 * feed without exploration (server/learning/off-policy.ts). Then the candidate runs online on the
 * same population: its click rate (`online`), and its expected click rate from the simulated
 * users' true click probabilities of what it showed (`onlineExpected`, free of the click dice).
 */
import { evaluateGreedy, evaluationFigures, type SlateLogEvaluation } from '../learning/off-policy';
import type { Stores } from '../ports';
import { runArm, type SimRunOptions } from './sim-run';
import type { Simulation } from './simulate';

export interface OpeCheck {
  online: number;
  onlineExpected: number;
  logged: number;
  ips: number;
  ipsLow: number;
  ipsHigh: number;
  snips: number;
  snipsLow: number;
  snipsHigh: number;
  dr: number;
  drLow: number;
  drHigh: number;
  impressions: number;
  explored: number;
  users: number;
  meanWeight: number;
  seconds: number;
}

/** Mean true click probability of the content impressions an arm's users had (what its CTR estimates). */
async function expectedCtr(stores: Stores, sim: Simulation): Promise<number> {
  const users = new Map(sim.users.map((u) => [u.openid, u]));
  const shown = new Map<string, string>();
  let cursor: string | null = null;
  for (;;) {
    const page = await stores.events.readAfter(cursor, Number.MAX_SAFE_INTEGER, 5000);
    for (const e of page.events)
      if (
        e.type === 'impression' &&
        e.slateId &&
        e.itemId !== undefined &&
        e.position !== undefined
      )
        shown.set(`${e.slateId}|${e.position}`, e.openid);
    cursor = page.cursor;
    if (page.events.length < 5000) break;
  }
  const slateIds = [...new Set([...shown.keys()].map((k) => k.slice(0, k.lastIndexOf('|'))))];
  let sum = 0;
  let n = 0;
  for (let i = 0; i < slateIds.length; i += 100) {
    const slates = await stores.slates.get(slateIds.slice(i, i + 100));
    const itemIds = [...new Set(slates.flatMap((s) => s.cards.flatMap((c) => c.itemId ?? [])))];
    const items = new Map((await stores.catalog.get(itemIds)).map((it) => [it.id, it]));
    for (const s of slates) {
      // The simulator's place on the page counts every card, ads included (simulate.ts).
      const cards = [...s.cards].sort((a, b) => a.position - b.position);
      cards.forEach((c, k) => {
        const user = users.get(s.openid);
        const it = c.itemId !== undefined ? items.get(c.itemId) : undefined;
        if (!user || !it || shown.get(`${s.slateId}|${c.position}`) !== s.openid) return;
        sum += sim.clickProbability(user, it.category, k, it.tags);
        n++;
      });
    }
  }
  return sum / Math.max(1, n);
}

export async function checkOpe(options: Partial<SimRunOptions> = {}): Promise<OpeCheck> {
  const started = performance.now();
  let estimate: SlateLogEvaluation | null = null;
  await runArm('popular', {
    ...options,
    inspect: async (stores) => void (estimate = await evaluateGreedy(stores)),
  });
  let expected = 0;
  const candidate = await runArm('popular', {
    ...options,
    config: { exploreEpsilon: 0, coldExploreEpsilon: 0 },
    inspect: async (stores, sim) => void (expected = await expectedCtr(stores, sim)),
  });
  const e = estimate as SlateLogEvaluation | null;
  if (!e) throw new Error('simulate --ope: the logging run was not evaluated');
  return {
    online: candidate.ctr,
    onlineExpected: expected,
    ...evaluationFigures(e),
    seconds: (performance.now() - started) / 1000,
  };
}
