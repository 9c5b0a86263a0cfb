/**
 * A whole simulated run in process, on a simulated clock: a fresh store with the demo world,
 * simulated users browsing round after round through the real functions, and `train` on its
 * timer (every few simulated minutes), until the population has seen enough impressions.
 * `compare` runs the same seeded population three times: against the learned ranking, with
 * personalisation off and no model (the feed's popularity-led path), and against the oracle that
 * knows every user's true click probabilities (oracle.ts); it reports the CTR lift over popularity
 * and the oracle share (learned CTR ÷ oracle CTR).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { openSqliteStoresAt } from '../adapters/sqlite';
import { ALL, SPEND, STATS } from '../engine/ads/counter-keys';
import { BUDGET_SHARE, runRound, TRAIN_TIMEOUT_SECONDS } from '../learning/round';
import type { TrainOptions } from '../learning/training-run';
import type { Stores } from '../ports';
import type { Deps, Logger } from '../runtime/function';
import type { AppSceneName, TrainResponse } from '../../typings';
import { distanceKm, DEFAULT_NEARBY } from '../engine/ranking/candidates/nearby';
import { sceneOf } from '../scenes';
import {
  CATEGORIES,
  FINANCE_PRODUCTS,
  generateDemoWorld,
  MERCHANTS,
  seedDemoWorld,
  TRAVEL_PLACES,
  type DemoWorld,
} from './demo-world';
import { inProcessCaller } from './learning-loop';
import { oracleFeed } from './oracle';
import {
  DEFAULT_REFUND_SHARE,
  SimBuyers,
  withOcpcCampaigns,
  withSimOffers,
  type OcpcFigure,
  type SimPayCounts,
} from './sim-ocpc';
import {
  Simulation,
  type RoundReport,
  type SceneExercise,
  type SimulationOptions,
} from './simulate';

export type Arm = 'learned' | 'popular' | 'oracle';

export interface SimRunOptions {
  seed: number;
  users: number;
  /** Stop after the round in which content impressions reach this many. */
  impressions: number;
  /** Simulated time between rounds (each user opens the feed once per round). */
  roundMs: number;
  /** `train` runs after every this many rounds (its timer), learned arm only. */
  trainEveryRounds: number;
  /** Demo catalog size. */
  itemCount: number;
  /** Cards per page. */
  pageSize: number;
  /** Overrides of train's options (e.g. the item model), for comparisons. */
  train?: Partial<TrainOptions>;
  /** Called after each round. */
  onRound?: (line: RoundLine) => void;
  /** Configuration overrides of the arm's functions (e.g. the feed's exploration weights). */
  config?: Partial<Config>;
  /** Sees every page served and what the user opened from it (bench:prefetch). */
  observe?: SimulationOptions['observe'];
  /** A planted social graph among the users (simulate.ts SocialPlan; default none). */
  social?: SimulationOptions['social'];
  /** Looks at the arm's store and population once the run is over, before the store is removed. */
  inspect?: (stores: Stores, sim: Simulation) => Promise<void>;
  /**
   * Runs the system as this scene (SCENE): its shelves seeded, its rules served, and users who
   * answer the risk questionnaire and share places (sceneSimulation). Absent: the core world only,
   * as before scenes, which the CTR figures of docs/simulation.md are measured on.
   */
  scene?: AppSceneName;
  /** Share of users who complete first-launch onboarding (simulate.ts `onboarding`; ONBOARDING_COMPLETION). */
  onboarding: number;
  /** Share of paid simulated orders refunded in full later (sim-ocpc.ts DEFAULT_REFUND_SHARE). */
  refundShare: number;
}

/**
 * Half the users pick interests at first launch, half skip: a conservative assumption, not a
 * measured rate (docs/simulation.md, "Onboarding"). The choice is user behaviour: the policy
 * sees only what `account` stored, as in the product.
 */
export const ONBOARDING_COMPLETION = 0.5;

export const DEFAULT_SIM_RUN: SimRunOptions = {
  seed: 20261128,
  users: 200,
  impressions: 50_000,
  roundMs: 5 * 60_000,
  trainEveryRounds: 1,
  itemCount: 320,
  pageSize: 10,
  onboarding: ONBOARDING_COMPLETION,
  refundShare: DEFAULT_REFUND_SHARE,
};

export interface RoundLine {
  arm: Arm;
  round: number;
  /** Simulated minutes since the start. */
  minutes: number;
  impressions: number;
  clicks: number;
  /** This round's content CTR. */
  ctr: number;
  /** Events stored by `track` so far (both content and ads). */
  stored: number;
  adImpressions: number;
  adClicks: number;
  /** The train run after this round (null: none ran). */
  train: Pick<
    TrainResponse,
    'status' | 'version' | 'serving' | 'auc' | 'examples' | 'elapsedMs'
  > | null;
}

export interface SimRunResult {
  arm: Arm;
  rounds: number;
  impressions: number;
  clicks: number;
  ctr: number;
  /** CTR over the last quarter of impressions (after the loop has had time to learn). */
  finalCtr: number;
  stored: number;
  adImpressions: number;
  adClicks: number;
  /** Ad impressions of campaigns that target a gender, an age band or a city (only users who shared one can see them). */
  demographicAdImpressions: number;
  /** Ad clicks billed against budgets, and what they cost, from the spend counters. */
  billedClicks: number;
  spentFen: number;
  serving: string | null;
  /** Most impressions one user had of one ad (the frequency cap bounds it per day). */
  maxAdViews: number;
  /** Progressive AUC of the last train run that issued a version. */
  auc: number | null;
  seconds: number;
  /** With a scene: what the scenes' users were served (SceneFigures). */
  scene?: SceneFigures;
  /** Learned arm: each oCPC campaign's realised CPA against its target (sim-ocpc.ts). */
  ocpc?: OcpcFigure[];
  /** Learned arm: the simulated buyers' orders through `pay` and the notifies, and refunds. */
  pays?: SimPayCounts;
}

/** The scenes' measures over a run (docs/simulation.md). */
export interface SceneFigures {
  scene: AppSceneName;
  /** Users who answered the risk questionnaire. */
  assessed: number;
  /** Rated cards served, and those above the user's tolerance (the suitability rule: must be 0). */
  rated: number;
  unsuitable: number;
  /** Share of located users' content cards within 200 km, and that share in the served catalog (the uniform baseline). */
  nearbyShare: number;
  nearbyBaseline: number;
  locatedCards: number;
  /** Share of destination users' content cards in their destination city, and its catalog baseline. */
  destinationShare: number;
  destinationBaseline: number;
  destinationCards: number;
}

/** Shares of the scene exercise: half answer the questionnaire, 30 % share a location, 20 % pick a destination. */
export const SCENE_EXERCISE = {
  riskShare: 0.5,
  locationShare: 0.3,
  destinationShare: 0.2,
} as const;

/** The categories a scene's users browse: its served ones, or every category of its world. */
export function sceneCategories(scene: AppSceneName): string[] {
  const spec = sceneOf(scene);
  if (spec.categories) return [...spec.categories];
  return [...Object.keys(CATEGORIES), ...(spec.world.finance ? ['理财'] : [])];
}

/** A population that exercises the scene over its world (`npm run simulate -- --scene x`, `npm start -- --simulate`). */
export function sceneSimulation(
  seed: number,
  scene: AppSceneName,
  world: Pick<DemoWorld, 'items' | 'campaigns'> | null,
  options: Omit<SimulationOptions, 'tags' | 'cities' | 'scenes'> = {},
): Simulation {
  const spec = sceneOf(scene);
  const tags: Record<string, readonly string[]> = Object.fromEntries(
    Object.entries(CATEGORIES).map(([c, s]) => [c, s.tags]),
  );
  tags['理财'] = [...new Set(FINANCE_PRODUCTS.flatMap((p) => p.tags))];
  const rated = new Map<string, number>();
  for (const it of world?.items ?? []) if (it.riskLevel) rated.set(it.id, it.riskLevel);
  for (const c of world?.campaigns ?? []) if (c.riskLevel) rated.set(`ad:${c.id}`, c.riskLevel);
  const scenes: SceneExercise = {
    ...SCENE_EXERCISE,
    places: spec.nearby ? TRAVEL_PLACES : [],
    riskOf: (card) => rated.get(card.kind === 'ad' ? `ad:${card.adId}` : card.item.id),
  };
  const cities = [...new Set(MERCHANTS.map((m) => m.city))];
  return new Simulation(seed, sceneCategories(scene), {
    sharing: 0.5,
    ...options,
    tags,
    cities,
    scenes,
  });
}

/** A population over the demo world's categories and tags; about half of it shares demographics (its cities: the demo merchants'). */
export function demoSimulation(
  seed: number,
  options: Omit<SimulationOptions, 'tags' | 'cities'> = {},
): Simulation {
  const tags = Object.fromEntries(Object.entries(CATEGORIES).map(([c, spec]) => [c, spec.tags]));
  const cities = [...new Set(MERCHANTS.map((m) => m.city))];
  return new Simulation(seed, Object.keys(CATEGORIES), { sharing: 0.5, ...options, tags, cities });
}

const quietLog: Logger = { info: () => undefined, error: () => undefined };

/** One arm on its own throwaway store. */
export async function runArm(
  arm: Arm,
  options: Partial<SimRunOptions> = {},
): Promise<SimRunResult> {
  const o = { ...DEFAULT_SIM_RUN, ...options };
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `recsys-sim-${arm}-`));
  const stores = openSqliteStoresAt(path.join(dir, 'db.sqlite'), path.join(dir, 'blobs'));
  try {
    return await drive(arm, stores, o, started);
  } finally {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function drive(
  arm: Arm,
  stores: Stores,
  o: SimRunOptions,
  started: number,
): Promise<SimRunResult> {
  const t0 = Date.UTC(2026, 10, 28, 1, 0, 0);
  let now = t0;
  const deps: Deps = {
    config: loadConfig(
      {},
      { dataDir: '/nonexistent', ...(o.scene ? { scene: o.scene } : {}), ...o.config },
    ),
    stores,
    now: () => now,
    log: quietLog,
  };
  const generated = generateDemoWorld({
    seed: o.seed,
    now: t0,
    itemCount: o.itemCount,
    ...(o.scene ? sceneOf(o.scene).world : {}),
  });
  // Some merchants bid oCPC, and users pay through `pay` after some ad clicks (sim-ocpc.ts), in
  // every arm alike: each campaign sells the simulator's offer, and each merchant has an owner.
  const world: DemoWorld = {
    ...generated,
    campaigns: withSimOffers(withOcpcCampaigns(generated.campaigns)),
  };
  const buyers = new SimBuyers(o.seed, world.campaigns, { refundShare: o.refundShare });
  await seedDemoWorld(stores, world);
  await buyers.prepare(stores, t0);
  // The same seed: both arms get the very same population (their draws diverge once the feeds differ).
  const published = world.items.filter((it) => it.status === 'published');
  const feed =
    arm === 'oracle'
      ? oracleFeed(published, deps.config.adSlots, (u, c, t) => sim.interest(u, c, t))
      : undefined;
  const simOptions: Omit<SimulationOptions, 'tags' | 'cities' | 'scenes'> = {
    users: o.users,
    personalised: arm === 'learned',
    pageSize: o.pageSize,
    feed,
    observe: o.observe,
    social: o.social,
    onboarding: o.onboarding,
    onAdClick: (u, adId, slateId, position, at) =>
      buyers.onAdClick(u.openid, adId, slateId, position, at),
  };
  const sim: Simulation = o.scene
    ? sceneSimulation(o.seed, o.scene, world, simOptions)
    : demoSimulation(o.seed, simOptions);
  const scenes = emptySceneCounts();
  const callAs = inProcessCaller(deps);

  const perRound: Array<{ impressions: number; clicks: number }> = [];
  const total = { impressions: 0, clicks: 0, stored: 0, adImpressions: 0, adClicks: 0 };
  let auc: number | null = null;
  let serving: string | null = null;
  for (let round = 1; total.impressions < o.impressions; round++) {
    const r = await sim.round(callAs, now);
    if (r.impressions === 0)
      throw new Error(`simulation: round ${round} served no content (empty catalog?)`);
    perRound.push({ impressions: r.impressions, clicks: r.clicks });
    total.impressions += r.impressions;
    total.clicks += r.clicks;
    total.stored += r.stored;
    total.adImpressions += r.adImpressions;
    total.adClicks += r.adClicks;
    addSceneCounts(scenes, r);
    now += o.roundMs;
    await buyers.settle(deps, now);
    let t: TrainResponse | null = null;
    if (arm === 'learned' && round % o.trainEveryRounds === 0) {
      // The round the timer-triggered function runs (maintenance, then training), with its budget.
      t = (await runRound(deps, TRAIN_TIMEOUT_SECONDS * 1000 * BUDGET_SHARE, o.train)).training;
      if (t.version && t.auc !== null) auc = t.auc;
      serving = t.serving;
    }
    o.onRound?.({
      arm,
      round,
      minutes: (now - t0) / 60_000,
      impressions: total.impressions,
      clicks: total.clicks,
      ctr: r.clicks / Math.max(1, r.impressions),
      stored: total.stored,
      adImpressions: total.adImpressions,
      adClicks: total.adClicks,
      train: t,
    });
  }

  const spend = await stores.counters.read(
    SPEND,
    world.campaigns.map((c) => c.id),
    ALL,
  );
  const demographic = world.campaigns
    .filter(
      (c) =>
        c.targeting.ageBands.length > 0 ||
        c.targeting.cities.length > 0 ||
        c.targeting.genders.length > 0,
    )
    .map((c) => c.id);
  const stats = await stores.counters.read(STATS, demographic, ALL);
  await o.inspect?.(stores, sim);
  const ocpc = arm === 'learned' ? await buyers.report(deps, now) : undefined;
  const billed = Object.values(spend).reduce(
    (a, v) => ({ clicks: a.clicks + (v.clicks ?? 0), fen: a.fen + (v.spentFen ?? 0) }),
    { clicks: 0, fen: 0 },
  );
  return {
    arm,
    rounds: perRound.length,
    impressions: total.impressions,
    clicks: total.clicks,
    ctr: total.clicks / Math.max(1, total.impressions),
    finalCtr: tailCtr(perRound, 0.25),
    stored: total.stored,
    adImpressions: total.adImpressions,
    adClicks: total.adClicks,
    demographicAdImpressions: demographic.reduce((n, id) => n + (stats[id]?.impressions ?? 0), 0),
    billedClicks: billed.clicks,
    spentFen: billed.fen,
    maxAdViews: Math.max(0, ...sim.adViews.values()),
    serving,
    auc,
    seconds: (performance.now() - started) / 1000,
    ...(o.scene ? { scene: sceneFigures(o.scene, sim, world, scenes) } : {}),
    ...(ocpc ? { ocpc, pays: { ...buyers.counts } } : {}),
  };
}

type SceneCounts = Pick<
  RoundReport,
  'rated' | 'unsuitable' | 'locatedCards' | 'nearbyCards' | 'destinationCards' | 'atDestination'
>;

function emptySceneCounts(): SceneCounts {
  return {
    rated: 0,
    unsuitable: 0,
    locatedCards: 0,
    nearbyCards: 0,
    destinationCards: 0,
    atDestination: 0,
  };
}

function addSceneCounts(into: SceneCounts, r: RoundReport): void {
  for (const k of Object.keys(into) as (keyof SceneCounts)[]) into[k] += r[k];
}

/** The run's scene measures, each beside what a feed blind to places would give (the served catalog's share). */
function sceneFigures(
  scene: AppSceneName,
  sim: Simulation,
  world: DemoWorld,
  c: SceneCounts,
): SceneFigures {
  const served = sceneOf(scene).categories;
  const catalog = world.items.filter(
    (it) => it.status === 'published' && (served === null || served.includes(it.category)),
  );
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const located = sim.users.filter((u) => u.location);
  const nearbyBaseline = mean(
    located.map(
      (u) =>
        catalog.filter(
          (it) => it.place && distanceKm(u.location!, it.place) <= DEFAULT_NEARBY.radiusKm,
        ).length / catalog.length,
    ),
  );
  const heading = sim.users.filter((u) => u.destination);
  const destinationBaseline = mean(
    heading.map(
      (u) => catalog.filter((it) => it.place?.city === u.destination).length / catalog.length,
    ),
  );
  return {
    scene,
    assessed: sim.users.filter((u) => u.risk?.tolerance != null).length,
    rated: c.rated,
    unsuitable: c.unsuitable,
    nearbyShare: c.nearbyCards / Math.max(1, c.locatedCards),
    nearbyBaseline,
    locatedCards: c.locatedCards,
    destinationShare: c.atDestination / Math.max(1, c.destinationCards),
    destinationBaseline,
    destinationCards: c.destinationCards,
  };
}

/** CTR over the last `share` of impressions, whole rounds. */
function tailCtr(
  rounds: ReadonlyArray<{ impressions: number; clicks: number }>,
  share: number,
): number {
  const all = rounds.reduce((s, r) => s + r.impressions, 0);
  let imp = 0;
  let clk = 0;
  for (let i = rounds.length - 1; i >= 0 && imp < all * share; i--) {
    imp += rounds[i].impressions;
    clk += rounds[i].clicks;
  }
  return clk / Math.max(1, imp);
}

export interface Comparison {
  learnedCtr: number;
  popularCtr: number;
  lift: number;
  oracleCtr: number;
  /** learned CTR ÷ oracle CTR. */
  oracleShare: number;
  learned: SimRunResult;
  popular: SimRunResult;
  oracle: SimRunResult;
}

/** The same population against the learned ranking, the popularity-led feed and the oracle; CTR over the whole run. */
export async function compare(options: Partial<SimRunOptions> = {}): Promise<Comparison> {
  const learned = await runArm('learned', options);
  const popular = await runArm('popular', options);
  const oracle = await runArm('oracle', options);
  return {
    learnedCtr: learned.ctr,
    popularCtr: popular.ctr,
    lift: learned.ctr / Math.max(1e-9, popular.ctr),
    oracleCtr: oracle.ctr,
    oracleShare: learned.ctr / Math.max(1e-9, oracle.ctr),
    learned,
    popular,
    oracle,
  };
}
