/**
 * `npm run simulate`: simulated users against the whole system in process, on a fast simulated
 * clock, printing round by round events stored, model version, progressive AUC and the users'
 * CTR. `--compare` runs the same population against the popularity-led feed too; `--json`
 * prints one object instead ({"learnedCtr", "popularCtr", "lift"} with --compare). `--ope` checks
 * off-policy evaluation against an online run of the candidate (sim-ope.ts): {"online", "ips",
 * "snips", "dr", "drLow", "drHigh", …}.
 * Options: --users N, --impressions N, --seed N, --train-every ROUNDS, --scene
 * general|finance|travel|support (the scene's world and rules; its users answer the risk
 * questionnaire and share places, and the run reports suitability and places: docs/simulation.md).
 * `--social` plants a social graph among the users (SIM_SOCIAL_PLAN: 8 communities, docs/simulation.md);
 * `--graph-features on|off` and `--social-weight W` set SOCIAL_GRAPH_FEATURES and
 * SOCIAL_SOURCE_WEIGHT for the run (issue 16's measurements). `--round-minutes M` sets the simulated
 * time between rounds (default 5) and `--ad-slots 1,3,5` the feed positions of ads (AD_SLOTS): a
 * denser, longer run for the oCPC figures, whose orders are few at the default settings (issue 17,
 * docs/simulation.md). With `--compare --json` the output's `ocpc` lists each oCPC campaign's
 * realised CPA against its target (sim-ocpc.ts). `--onboarding P` sets the share of users who
 * complete first-launch onboarding (default ONBOARDING_COMPLETION, 0.5; 0: nobody, as before).
 * Simulated buyers pay through `pay` and `payNotify` with the local WeChat Pay stand-in;
 * `--refund-share S` sets the share of paid orders their merchants refund in full later (default
 * DEFAULT_REFUND_SHARE, 0.05; 0: none), and `pays` in the output counts both.
 */
import {
  compare,
  DEFAULT_SIM_RUN,
  runArm,
  type RoundLine,
  type SimRunOptions,
  type SimRunResult,
} from './sim-run';
import type { SocialPlan } from './simulate';

/**
 * The social world of `--social`: 8 communities (25 users each of the default 200), a friend
 * in one's community with probability 0.3 (about 7 friends), across with 0.005 (about 1), and
 * a friend opening a share with probability 0.7 (simulate-social.test.ts checks a smaller plan of
 * the same kind: 48 users, 4 communities).
 */
export const SIM_SOCIAL_PLAN: SocialPlan = {
  communities: 8,
  pIn: 0.3,
  pOut: 0.005,
  openProbability: 0.7,
};
import { checkOpe } from './sim-ope';
import { SCENE_NAMES } from '../scenes';
import type { AppSceneName } from '../../typings';

function sceneArg(argv: string[]): AppSceneName | undefined {
  const at = argv.indexOf('--scene');
  if (at < 0) return undefined;
  const v = argv[at + 1] as AppSceneName;
  if (!SCENE_NAMES.includes(v)) throw new Error(`--scene must be one of ${SCENE_NAMES.join(', ')}`);
  return v;
}

function describeScene(r: SimRunResult): string {
  const s = r.scene;
  if (!s) return '';
  const pc = (x: number) => `${(100 * x).toFixed(1)} %`;
  return (
    `\n[scene ${s.scene}] ${s.assessed} users assessed; rated cards served ${s.rated}, unsuitable ${s.unsuitable}; ` +
    `within 200 km ${pc(s.nearbyShare)} of ${s.locatedCards} located cards (catalog ${pc(s.nearbyBaseline)}); ` +
    `at the destination ${pc(s.destinationShare)} of ${s.destinationCards} cards (catalog ${pc(s.destinationBaseline)})`
  );
}

function numberArg(argv: string[], name: string): number | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const v = Number(argv[at + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive whole number`);
  return v;
}

function describeRound(l: RoundLine): string {
  const t = l.train;
  const train = !t
    ? ''
    : ` | train ${t.status}: ${t.examples} examples, version ${t.version ?? '–'}, serving ${t.serving ?? 'none'}, progressive AUC ${t.auc === null ? '–' : t.auc.toFixed(3)}, ${t.elapsedMs} ms`;
  return (
    `[${l.arm}] round ${String(l.round).padStart(3)} (+${l.minutes} min): ${l.impressions} impressions, ${l.stored} events stored, ` +
    `CTR ${l.ctr.toFixed(3)}, ads ${l.adClicks}/${l.adImpressions}${train}`
  );
}

function describeRun(r: SimRunResult): string {
  return (
    `[${r.arm}] ${r.rounds} rounds, ${r.impressions} impressions: CTR ${r.ctr.toFixed(4)} (last quarter ${r.finalCtr.toFixed(4)}), ` +
    `ads ${r.adClicks} clicks / ${r.adImpressions} impressions, ${r.billedClicks} billed (${(r.spentFen / 100).toFixed(2)} yuan), ` +
    `serving ${r.serving ?? 'none'}, AUC ${r.auc?.toFixed(3) ?? '–'}, ${r.seconds.toFixed(1)} s`
  );
}

/** The oCPC campaigns' lines (empty without any). */
function describeOcpc(r: SimRunResult): string {
  return (r.ocpc ?? [])
    .map(
      (f) =>
        `\n  oCPC ${f.campaign}: target ${f.targetCpa} fen, realised ${f.realisedCpa ?? '–'} fen (×${f.ratio ?? '–'}) over ${f.orders} orders, ${f.refunded} refunded ` +
        `(${f.ordersAtEnd} by the end of the run), ${f.billedClicks} billed clicks, factor ${f.multiplier}`,
    )
    .join('');
}

/** The simulated buyers' trips through `pay` (empty outside the learned arm). */
function describePays(r: SimRunResult): string {
  const p = r.pays;
  if (!p) return '';
  return (
    `\n  pays through pay/payNotify: ${p.created} orders created (${p.held} held and approved), ` +
    `${p.paid} paid, ${p.refused} refused, ${p.unsettled} unsettled, ${p.refunded} refunded`
  );
}

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const options: Partial<SimRunOptions> = {
    users: numberArg(argv, '--users') ?? DEFAULT_SIM_RUN.users,
    impressions: numberArg(argv, '--impressions') ?? DEFAULT_SIM_RUN.impressions,
    seed: numberArg(argv, '--seed') ?? DEFAULT_SIM_RUN.seed,
    trainEveryRounds: numberArg(argv, '--train-every') ?? DEFAULT_SIM_RUN.trainEveryRounds,
    scene: sceneArg(argv),
    onRound: json ? undefined : (l) => console.log(describeRound(l)),
  };
  if (argv.includes('--social')) options.social = SIM_SOCIAL_PLAN;
  const onboarding = argv.indexOf('--onboarding');
  if (onboarding >= 0) {
    const v = Number(argv[onboarding + 1] ?? 'x');
    if (!(v >= 0 && v <= 1)) throw new Error('--onboarding needs a share in 0..1, such as 0.5');
    options.onboarding = v;
  }
  const refundShare = argv.indexOf('--refund-share');
  if (refundShare >= 0) {
    const v = Number(argv[refundShare + 1] ?? 'x');
    if (!(v >= 0 && v <= 1)) throw new Error('--refund-share needs a share in 0..1, such as 0.05');
    options.refundShare = v;
  }
  const roundMinutes = numberArg(argv, '--round-minutes');
  if (roundMinutes !== undefined) options.roundMs = roundMinutes * 60_000;
  const config: NonNullable<SimRunOptions['config']> = {};
  const slots = argv.indexOf('--ad-slots');
  if (slots >= 0) {
    const v = (argv[slots + 1] ?? '').split(',').map(Number);
    if (!v.length || v.some((x) => !Number.isInteger(x) || x < 0 || x > 10_000))
      throw new Error('--ad-slots needs feed positions such as 1,3,5');
    config.adSlots = v;
  }
  const graph = argv.indexOf('--graph-features');
  if (graph >= 0) {
    const v = argv[graph + 1];
    if (v !== 'on' && v !== 'off') throw new Error('--graph-features needs on or off');
    config.socialGraphFeatures = v === 'on';
  }
  const weight = argv.indexOf('--social-weight');
  if (weight >= 0) {
    const w = Number(argv[weight + 1]);
    if (!Number.isFinite(w) || w < 0 || w > 10)
      throw new Error('--social-weight needs a number in [0, 10]');
    config.socialSourceWeight = w;
  }
  if (Object.keys(config).length) options.config = config;
  const started = performance.now();
  if (argv.includes('--ope')) {
    const r = await checkOpe({ ...options, onRound: undefined });
    const f = (x: number) => x.toFixed(4);
    console.log(
      json
        ? JSON.stringify(r)
        : `greedy candidate online CTR ${f(r.online)} (expected ${f(r.onlineExpected)}); from the log of the exploring feed (CTR ${f(r.logged)}, ${r.impressions} impressions, ${r.explored} explored, ${r.users} users): ` +
            `IPS ${f(r.ips)} [${f(r.ipsLow)}, ${f(r.ipsHigh)}], SNIPS ${f(r.snips)} [${f(r.snipsLow)}, ${f(r.snipsHigh)}], DR ${f(r.dr)} [${f(r.drLow)}, ${f(r.drHigh)}], ${r.seconds.toFixed(1)} s`,
    );
    return;
  }
  if (argv.includes('--compare')) {
    const c = await compare(options);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    if (json) {
      console.log(
        JSON.stringify({
          learnedCtr: c.learnedCtr,
          popularCtr: c.popularCtr,
          lift: c.lift,
          oracleCtr: c.oracleCtr,
          oracleShare: c.oracleShare,
          oracleFinalCtr: c.oracle.finalCtr,
          learnedFinalCtr: c.learned.finalCtr,
          popularFinalCtr: c.popular.finalCtr,
          impressions: c.learned.impressions,
          auc: c.learned.auc,
          // oCPC merchants of the learned arm: realised CPA against target (sim-ocpc.ts).
          ocpc: c.learned.ocpc ?? [],
          pays: c.learned.pays ?? null,
          seconds,
        }),
      );
    } else {
      console.log(describeRun(c.learned));
      console.log(describeOcpc(c.learned) + describePays(c.learned));
      console.log(describeRun(c.popular));
      console.log(describeRun(c.oracle));
      console.log(
        `lift ${c.lift.toFixed(3)} (learned CTR ${c.learnedCtr.toFixed(4)} / popular CTR ${c.popularCtr.toFixed(4)}), ` +
          `oracle share ${c.oracleShare.toFixed(3)} (oracle CTR ${c.oracleCtr.toFixed(4)}), ${seconds} s`,
      );
    }
    return;
  }
  const r = await runArm('learned', options);
  console.log(
    json
      ? JSON.stringify(r)
      : describeRun(r) + describeScene(r) + describeOcpc(r) + describePays(r),
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`simulate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
