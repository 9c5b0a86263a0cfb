/** Simulated onboarding: about the configured share of users pick interests through `account`, and their first page leans to them. */
import { generateDemoWorld, seedDemoWorld } from '../../../server/host/demo-world';
import { inProcessCaller } from '../../../server/host/learning-loop';
import { demoSimulation } from '../../../server/host/sim-run';
import type { CallAs } from '../../../server/host/simulate';
import type { FeedCard } from '../../../typings';
import { testDeps } from '../../helpers/deps';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

jest.setTimeout(90_000); // one round of 120 users: seconds alone, far longer on a loaded two-core machine

const USERS = 120;
const t0 = Date.UTC(2026, 10, 28, 2, 0, 0);

/** One cold round through the real functions, with what each user asked and was answered. */
async function firstRound(completion: number, opened: OpenedStores) {
  const deps = testDeps(opened.stores, t0);
  await seedDemoWorld(opened.stores, generateDemoWorld({ seed: 7, now: t0 - 24 * 3_600_000 }));
  const real = inProcessCaller(deps);
  const chosen = new Map<string, string[]>();
  const firstPage = new Map<string, { channel: string; cards: FeedCard[] }>();
  const call: CallAs = async (fn, openid, payload) => {
    const res = await real(fn, openid, payload);
    const p = payload as { action?: string; categories?: string[]; channel?: string };
    if (fn === 'account' && p.action === 'interests.set' && res.ok)
      chosen.set(openid, p.categories!);
    if (fn === 'recommend' && res.ok && !firstPage.has(openid))
      firstPage.set(openid, {
        channel: p.channel!,
        cards: (res.data as { cards: FeedCard[] }).cards,
      });
    return res;
  };
  const sim = demoSimulation(3, { users: USERS, onboarding: completion });
  await sim.round(call, t0);
  return { sim, chosen, firstPage, deps };
}

/** Share of a page's content cards in the given categories. */
const shareIn = (cards: FeedCard[], cats: readonly string[]): number => {
  const content = cards.filter((c) => c.kind === 'content');
  return content.filter((c) => cats.includes(c.item.category)).length / content.length;
};

describe('simulated onboarding (选择你感兴趣的内容)', () => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await openTempSqliteStores();
  });
  afterEach(async () => opened.cleanup());

  it('about half complete it through account interests.set, picking 1–3 categories they like, and their first page leans to them', async () => {
    const { sim, chosen, firstPage, deps } = await firstRound(0.5, opened);
    // The rate: 120 users at ½ (binomial sd ≈ 5.5): well inside 60 ± 20.
    expect(chosen.size).toBeGreaterThan(40);
    expect(chosen.size).toBeLessThan(80);
    const loved = (openid: string, c: string) =>
      (sim.users.find((u) => u.openid === openid)!.affinity[c] ?? 0) >= 0.5;
    let lovedPicks = 0;
    let picks = 0;
    for (const user of sim.users) {
      // Exactly the users marked as completing called it, with their own choice; the store has it.
      expect(chosen.get(user.openid)).toEqual(user.onboarding);
      if (!user.onboarding) continue;
      expect(user.onboarding.length).toBeGreaterThanOrEqual(1);
      expect(user.onboarding.length).toBeLessThanOrEqual(3);
      const stored = await opened.stores.privacy.getSettings(user.openid);
      expect(stored?.interests?.categories).toEqual(user.onboarding);
      picks += user.onboarding.length;
      lovedPicks += user.onboarding.filter((c) => loved(user.openid, c)).length;
    }
    // Mostly what they love, with noise (a third pick often has to be something else).
    expect(lovedPicks / picks).toBeGreaterThan(0.6);
    expect(lovedPicks).toBeLessThan(picks);
    expect(deps.errors).toEqual([]);

    // The first "for you" page: chosen categories' share for those who chose, against the share
    // the same categories get on the first "for you" pages of those who skipped (seed 3: 0.81 against 0.19).
    const onForYou = [...firstPage].filter(([, p]) => p.channel === 'foryou');
    const completers = onForYou.filter(([id]) => chosen.has(id));
    const skippers = onForYou.filter(([id]) => !chosen.has(id));
    expect(completers.length).toBeGreaterThan(10);
    expect(skippers.length).toBeGreaterThan(10);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const own = mean(completers.map(([id, p]) => shareIn(p.cards, chosen.get(id)!)));
    const baseline = mean(
      completers.map(([id]) => mean(skippers.map(([, p]) => shareIn(p.cards, chosen.get(id)!)))),
    );
    expect(own).toBeGreaterThan(baseline + 0.3);
  });

  it('nobody calls it at completion 0, and the population is the same as with it', async () => {
    const { sim, chosen } = await firstRound(0, opened);
    expect(chosen.size).toBe(0);
    expect(sim.users.every((u) => u.onboarding === undefined)).toBe(true);
    // Onboarding draws from a stream of its own: the users' hidden tastes do not move.
    const other = demoSimulation(3, { users: USERS, onboarding: 0.5 });
    expect(other.users.map((u) => u.affinity)).toEqual(sim.users.map((u) => u.affinity));
  });
});
