/**
 * The local host's learning loop: every interval, optionally a round of simulated users, then a
 * training run, with one printed line per round so a newcomer watches the system learn.
 */
import type { Deps } from '../runtime/function';
import { toHandler } from '../runtime/function';
import { functions } from '../functions';
import { describeMaintenance, runRound } from '../learning/round';
import type { CallAs, Simulation } from './simulate';

export interface LearningLoopOptions {
  deps: Deps;
  intervalMs: number;
  /** Simulated users to drive before each training run (null: train on real traffic only). */
  simulation: Simulation | null;
  print: (line: string) => void;
}

/** The functions called in-process with `deps`, each as the openid named: how simulated users reach them. */
export function inProcessCaller(deps: Deps): CallAs {
  return (fn, openid, payload) => toHandler(functions[fn])({ payload, openid }, deps);
}

/** Starts the loop; the returned function stops it (waiting for a round in progress). */
export function startLearningLoop(o: LearningLoopOptions): () => Promise<void> {
  const callAs = inProcessCaller(o.deps);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let round = 0;
  const tick = async (): Promise<void> => {
    round++;
    let sim = '';
    if (o.simulation) {
      const r = await o.simulation.round(callAs, o.deps.now());
      sim = `simulated ${r.impressions} impressions, ${r.clicks} clicks (CTR ${(r.clicks / Math.max(1, r.impressions)).toFixed(3)}); `;
    }
    // The same round as the cloud timer: retention and resuming erasures, then training.
    const { maintenance, training: t } = await runRound(
      o.deps,
      Math.min(o.intervalMs * 0.8, 48_000),
    );
    const m = describeMaintenance(maintenance);
    if (m) o.print(`learning round ${round}: ${m}`);
    const auc = t.auc === null ? '–' : t.auc.toFixed(3);
    o.print(
      `learning round ${round}: ${sim}train ${t.status}: ${t.events} events, ${t.examples} examples, ${t.pending} pending, ` +
        `version ${t.version ?? '–'}${t.version ? (t.promoted ? ' promoted' : ' candidate') : ''}, serving ${t.serving ?? 'none'}, progressive AUC ${auc}`,
    );
  };
  const timer = setInterval(() => {
    if (stopped) return;
    running = running
      .then(tick)
      .catch((err) => o.deps.log.error('learning round failed', { error: String(err) }));
  }, o.intervalMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
