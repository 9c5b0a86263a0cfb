/**
 * `npm run bench:prefetch`: learned prefetch against the position baseline in the simulator
 * (issue 18). The seeded population of `npm run simulate` browses the learned feed through the
 * real functions (train on its timer); every page served after the first model serves is kept
 * with the cards the simulated users opened (their own tap model: interest × position bias,
 * docs/simulation.md). Each policy then plans every page with the serving code at the same
 * per-screen budget (2 detail payloads = 4 calls, 96 KB): `learned` by the cards' pCTR (the
 * transition model's feed → detail share for an unscored card), `position` the top positions.
 * Hits are opens whose payload was fetched before the tap under the latency model
 * (bench/prefetch/latency.ts). Also printed: position-based click models learned online from the
 * logged pages (server/engine/prefetch/examination.ts), per-screen planning, a budget of one
 * payload, and the oracle (the simulator's true tap probabilities) under every rule. Target: learned hit rate ≥ 1.3 × position's, wasted ≤ 1.5 per open.
 *
 * Usage: npm run bench:prefetch [-- --json | --seed N | --users N | --impressions N | --sweep]
 * --json prints {"learnedHitRate", "positionHitRate", "wastedPerOpen", "medianSavedMs"};
 * --sweep prints the learned policy's figures for several minimum probabilities (choose on a
 * seed other than the default, the validation run; docs/benchmarks.md).
 */
import { fitTransitions, transitionProbability } from '../server/engine/prefetch/transitions';
import { DEFAULT_PREFETCH_BUDGET } from '../server/engine/prefetch/policy';
import {
  DEFAULT_EXAMINATION_FIT,
  examinationAdjusted,
  fitExamination,
  fitRegressionExamination,
  predictOpen,
  type ExaminationModel,
  type RegressionExaminationModel,
  type ScoredObservation,
  type SlateObservation,
} from '../server/engine/prefetch/examination';
import { DEFAULT_SIM_RUN, demoSimulation, runArm } from '../server/host/sim-run';
import type { RecommendResponse } from '../typings';
import { scorePolicy, type ObservedPage, type PolicyScore } from './prefetch/evaluate';

const FEED = 'pages/feed/index';
const DETAIL = 'pages/detail/index';
/** A page view that ended without opening anything: the chain's exit. */
const EXIT = '(exit)';

function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const v = Number(process.argv[at + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive whole number`);
  return v;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const seed = numberArg('--seed', DEFAULT_SIM_RUN.seed);
  const users = numberArg('--users', DEFAULT_SIM_RUN.users);
  const impressions = numberArg('--impressions', DEFAULT_SIM_RUN.impressions);
  const started = performance.now();
  const pages: ObservedPage[] = [];
  // The oracle: the same pages with each card's true tap probability (the simulator's own), an upper bound for any learned policy.
  const truthPages: ObservedPage[] = [];
  const truth = demoSimulation(seed, { users: 1 });
  let modelServing = false;
  let model = fitTransitions([]);
  // Position-based click model (PBM), learned online from the logged pages before the one planned:
  // `pbmPages` re-weights the click model's pCTR with the logs' examination curve, `pbmItemPages`
  // uses the PBM alone (examination × the item's EM attractiveness).
  const pbmPages: ObservedPage[] = [];
  const pbmItemPages: ObservedPage[] = [];
  const logs: SlateObservation[] = [];
  const pctrSum = new Array<number>(DEFAULT_EXAMINATION_FIT.places).fill(0);
  const pctrCount = new Array<number>(DEFAULT_EXAMINATION_FIT.places).fill(0);
  let pbm = null as ExaminationModel | null;
  // Regression EM: examination per place × attractiveness from the click model's pCTR.
  const rpbmPages: ObservedPage[] = [];
  const scoredLogs: ScoredObservation[] = [];
  let rpbm = null as RegressionExaminationModel | null;
  let rFittedAt = 0;
  let fittedAt = 0;
  await runArm('learned', {
    seed,
    users,
    impressions,
    onRound: (l) => {
      if (l.train?.serving) modelServing = true;
    },
    observe: (_user, slate, opened) => {
      if (modelServing) {
        const p = transitionProbability(model, FEED, DETAIL);
        pages.push({ slate, opened, pDetailFromFeed: p > 0 ? p : null });
        const first = slate.cards[0]?.position ?? 0;
        const cards: RecommendResponse['cards'] = slate.cards.map((c) =>
          c.kind === 'content'
            ? {
                ...c,
                pctr: truth.clickProbability(
                  _user,
                  c.item.category,
                  c.position - first,
                  c.item.tags,
                ),
              }
            : c,
        );
        truthPages.push({ slate: { ...slate, cards }, opened, pDetailFromFeed: null });
        // Refit the PBM every REFIT new pages of logs (EM over all logs so far).
        if (!pbm || logs.length - fittedAt >= REFIT_OBSERVATIONS) {
          pbm = fitExamination(logs);
          fittedAt = logs.length;
        }
        const meanPctr = pctrSum.map((x, k) => (pctrCount[k] ? x / pctrCount[k] : 0));
        const fitted = pbm;
        const adjusted = (
          f: (
            c: Extract<RecommendResponse['cards'][number], { kind: 'content' }>,
            k: number,
          ) => number | undefined,
        ) =>
          slate.cards.map((c) =>
            c.kind === 'content' ? { ...c, pctr: f(c, c.position - first) } : c,
          );
        pbmPages.push({
          slate: {
            ...slate,
            cards: adjusted((c, k) =>
              c.pctr === undefined ? undefined : examinationAdjusted(c.pctr, k, fitted, meanPctr),
            ),
          },
          opened,
          pDetailFromFeed: p > 0 ? p : null,
        });
        if (!rpbm || scoredLogs.length - rFittedAt >= REFIT_REGRESSION_OBSERVATIONS) {
          rpbm = fitRegressionExamination(scoredLogs);
          rFittedAt = scoredLogs.length;
        }
        const rfitted = rpbm;
        rpbmPages.push({
          slate: {
            ...slate,
            cards: adjusted((c, k) =>
              c.pctr === undefined ? undefined : predictOpen(rfitted, k, c.pctr),
            ),
          },
          opened,
          pDetailFromFeed: p > 0 ? p : null,
        });
        pbmItemPages.push({
          slate: {
            ...slate,
            cards: adjusted(
              (c, k) =>
                (fitted.examination[k] ?? 0) *
                (fitted.attractiveness.get(c.item.id) ?? DEFAULT_ATTRACTIVENESS),
            ),
          },
          opened,
          pDetailFromFeed: null,
        });
      }
      // The PBM's logs and the click model's position curve grow after planning (no peeking).
      const top = slate.cards[0]?.position ?? 0;
      const openedSet = new Set(opened);
      for (const c of slate.cards) {
        if (c.kind !== 'content') continue;
        const k = c.position - top;
        logs.push({ itemId: c.item.id, k, clicked: openedSet.has(c.item.id) });
        if (c.pctr !== undefined)
          scoredLogs.push({ k, pctr: c.pctr, clicked: openedSet.has(c.item.id) });
        if (c.pctr !== undefined && k < pctrSum.length) {
          pctrSum[k] += c.pctr;
          pctrCount[k]++;
        }
      }
      // The transition model learns from every page, after planning it (no peeking).
      model = fitTransitions(
        opened.length
          ? [{ from: FEED, to: DETAIL, count: opened.length }]
          : [{ from: FEED, to: EXIT, count: 1 }],
        model,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;

  if (process.argv.includes('--sweep')) {
    const position = scorePolicy('position', pages);
    console.log(
      `position: hit rate ${position.hitRate.toFixed(4)}, wasted/open ${position.wastedPerOpen.toFixed(3)}`,
    );
    for (const minProbability of [0, 0.05, 0.1, 0.15, 0.2, 0.3]) {
      const budget = { ...DEFAULT_PREFETCH_BUDGET, minProbability };
      for (const [name, ps] of [
        ['learned', pages],
        ['oracle', truthPages],
      ] as const) {
        const s = scorePolicy('learned', ps, budget);
        console.log(
          `${name} minProbability ${minProbability.toFixed(2)}: hit rate ${s.hitRate.toFixed(4)} (${(s.hitRate / position.hitRate).toFixed(2)}× position), wasted/open ${s.wastedPerOpen.toFixed(3)}, calls/page ${s.callsPerPage.toFixed(2)}`,
        );
      }
    }
    return;
  }
  const learned = scorePolicy('learned', pages);
  const position = scorePolicy('position', pages);
  // Rows per planning rule: one plan per page at render (the product), or per screen of S places.
  const rules = RULES.map(({ screen, payloads }) => {
    const budget = {
      ...DEFAULT_PREFETCH_BUDGET,
      calls: payloads * DEFAULT_PREFETCH_BUDGET.callsPerItem,
      bytes: (payloads * DEFAULT_PREFETCH_BUDGET.bytes) / 2,
    };
    const score = (
      name: string,
      policy: 'learned' | 'position',
      ps: ObservedPage[],
    ): PolicyScore => ({
      ...scorePolicy(policy, ps, budget, undefined, undefined, screen),
      policy: name,
    });
    return {
      screen,
      payloads,
      rows: [
        score('learned (click model pCTR)', 'learned', pages),
        score('learned PBM (pCTR × logged examination)', 'learned', pbmPages),
        score('learned regression-EM PBM (examination × σ(pCTR))', 'learned', rpbmPages),
        score('PBM alone (examination × item attractiveness)', 'learned', pbmItemPages),
        score('position', 'position', pages),
        score('oracle (true tap probabilities)', 'learned', truthPages),
      ],
    };
  });
  const figures = JSON.stringify({
    learnedHitRate: round(learned.hitRate),
    positionHitRate: round(position.hitRate),
    wastedPerOpen: round(learned.wastedPerOpen),
    medianSavedMs: Math.round(learned.medianSavedMs),
  });
  if (json) {
    console.log(figures);
    return;
  }
  console.log(
    `bench:prefetch — seed ${seed}, ${users} users, ${pages.length} pages after the first model, ${learned.opens} opens, ${seconds.toFixed(0)} s`,
  );
  const lastPbm = pbm as ExaminationModel | null;
  const lastRpbm = rpbm as RegressionExaminationModel | null;
  if (lastRpbm)
    console.log(
      `regression-EM PBM examination (${lastRpbm.observations} scored cards; attractiveness σ(${lastRpbm.weights.map((w) => w.toFixed(3)).join(' + ')} × logit pCTR)): ${lastRpbm.examination.map((e) => e.toFixed(3)).join(' ')}`,
    );
  if (lastPbm)
    console.log(
      `PBM examination (relative to the first place, ${lastPbm.observations} logged cards): ${lastPbm.examination.map((e) => e.toFixed(3)).join(' ')}`,
    );
  for (const { screen, payloads, rows } of rules) {
    console.log(
      `rule: ${screen === 0 ? 'one plan per page at render' : `per screen of ${screen} places`}, ${payloads} detail payload(s) per ${screen === 0 ? 'page' : 'screen'}`,
    );
    console.log(
      '| policy | hit rate | × position | late | wasted / open | calls / page | KB / page | median saved ms (hits) | mean saved ms / open |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    const base = rows.find((r) => r.policy === 'position')!.hitRate;
    for (const s of rows) console.log(row(s, base));
  }
  console.log(
    `learned ÷ position hit rate: ${(learned.hitRate / Math.max(1e-9, position.hitRate)).toFixed(2)} (target ≥ 1.3); wasted per open ${learned.wastedPerOpen.toFixed(2)} (target ≤ 1.5)`,
  );
  console.log(`--json: ${figures}`);
}

/** Refit the PBM after this many new logged cards (about 50 pages). */
const REFIT_OBSERVATIONS = 500;
/** Regression EM is slower per fit: refit after this many new scored cards (about 200 pages). */
const REFIT_REGRESSION_OBSERVATIONS = 2000;
/** An item the PBM has not seen: the prior mean of its attractiveness (DEFAULT_EXAMINATION_FIT.prior). */
const DEFAULT_ATTRACTIVENESS =
  DEFAULT_EXAMINATION_FIT.prior.clicks / DEFAULT_EXAMINATION_FIT.prior.views;
/**
 * The planning rules measured (learned, position and oracle under each): one plan per page at
 * render (the product), or per-screen planning with screens of 4 places (a feed card is about
 * 260 rpx tall and a phone shows about 1,100 rpx of feed between the navigation and tab bars,
 * 750 rpx wide, so about 4 cards), with 2 or 1 detail payloads per page or screen.
 */
const RULES = [
  { screen: 0, payloads: 2 }, // the product's default (DEFAULT_PREFETCH_BUDGET)
  { screen: 4, payloads: 2 },
  { screen: 0, payloads: 1 },
  { screen: 4, payloads: 1 },
];

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

function row(s: PolicyScore, base: number): string {
  return `| ${s.policy} | ${s.hitRate.toFixed(4)} | ${(s.hitRate / Math.max(1e-9, base)).toFixed(2)} | ${s.late} | ${s.wastedPerOpen.toFixed(3)} | ${s.callsPerPage.toFixed(2)} | ${(s.bytesPerPage / 1024).toFixed(1)} | ${Math.round(s.medianSavedMs)} | ${Math.round(s.meanSavedPerOpenMs)} |`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
