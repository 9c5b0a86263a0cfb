/**
 * The simulator's planted social structure (simulate.ts SocialPlan, docs/simulation.md): friends
 * open each other's shares through `track`, and `train`'s social step, which sees only those
 * events, recovers the planted communities from them.
 */
import { nmi } from '../../../bench/social/protocol';
import { runArm } from '../../../server/host/sim-run';
import type { SimUser } from '../../../server/host/simulate';

jest.setTimeout(120_000); // seconds alone; far longer on a loaded two-core machine

const PLAN = { communities: 4, pIn: 0.35, pOut: 0.01, openProbability: 0.7 };

it('plants communities whose shares and opens go through track, and the social step finds them', async () => {
  let users: SimUser[] = [];
  const planted: number[] = [];
  const found: number[] = [];
  let opens = 0;
  await runArm('learned', {
    seed: 7,
    users: 48,
    impressions: 3000,
    roundMs: 15 * 60_000,
    social: PLAN,
    inspect: async (stores, sim) => {
      users = sim.users;
      for (const u of sim.users) {
        opens += (await stores.personal.eventCounts(u.openid)).share_open ?? 0;
        const record = await stores.social.record(u.openid);
        if (record?.features.community == null) continue;
        planted.push(u.community!);
        found.push(record.features.community);
      }
    },
  });
  // Friends mostly within a community; everyone in one.
  const within = users.flatMap((u) =>
    u.friends!.map((f) => users.find((v) => v.openid === f)!.community === u.community),
  );
  expect(within.filter(Boolean).length / within.length).toBeGreaterThan(0.8);
  expect(opens).toBeGreaterThan(50);
  // Most users are in the graph, and its communities are the planted ones.
  expect(found.length).toBeGreaterThan(users.length * 0.75);
  expect(nmi(planted, found)).toBeGreaterThan(0.8);
});

it('leaves a population without a plan as it was (no friends, no opens)', async () => {
  const seen: SimUser[][] = [];
  const r = await runArm('popular', {
    seed: 9,
    users: 10,
    impressions: 300,
    inspect: async (_stores, sim) => void seen.push(sim.users),
  });
  expect(seen[0].every((u) => u.friends === undefined && u.community === undefined)).toBe(true);
  expect(r.impressions).toBeGreaterThanOrEqual(300);
});
