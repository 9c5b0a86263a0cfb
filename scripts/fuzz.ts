/**
 * `npm run fuzz [-- --json] [--runs N] [--seed S] [--only fn] [--adapter sqlite|cloud] [--scene S]`:
 * the long fuzz run of every function through its real handler on both adapters, the deployment
 * in scene S (SCENE's names; default general: travel and finance restrict campaigns) (the short one is in
 * `npm test`, test/server/reliability/fuzz.test.ts). Exits 1 on any crash, write from a refused
 * call, cross-tenant write or leak.
 */
import { parseArgs } from 'node:util';
import type { AppSceneName, FunctionName } from '../typings';
import { SCENE_NAMES } from '../server/scenes';
import { functionNames } from '../server/functions';
import { bothAdapters } from '../test/helpers/adapters';
import { buildFuzzWorld } from '../test/helpers/fuzz/world';
import { emptyReport, fuzzFunction, type FuzzReport } from '../test/helpers/fuzz/run';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      runs: { type: 'string', default: '10000' },
      seed: { type: 'string', default: String(Date.UTC(2026, 11, 5) / 1000) },
      only: { type: 'string', multiple: true },
      adapter: { type: 'string', multiple: true },
      scene: { type: 'string', default: 'general' },
    },
  });
  const scene = values.scene as AppSceneName;
  if (!SCENE_NAMES.includes(scene))
    throw new Error(`--scene: one of ${SCENE_NAMES.join(', ')}, not ${values.scene}`);
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  const fns = (values.only ?? functionNames) as FunctionName[];
  const adapters = bothAdapters.filter(([n]) => !values.adapter || values.adapter.includes(n));
  const perFunction: Record<string, Omit<FuzzReport, 'failures'> & { seconds: number }> = {};
  const total = emptyReport();
  for (const [adapter, open] of adapters) {
    for (const fn of fns) {
      // A fresh world per function, so one function's writes do not shape another's inputs.
      const opened = await open();
      const started = Date.now();
      try {
        const world = await buildFuzzWorld(opened, { scene });
        const r = await fuzzFunction(fn, world, { seed, count: runs });
        const { failures, ...counts } = r;
        perFunction[`${adapter}:${fn}`] = { ...counts, seconds: (Date.now() - started) / 1000 };
        for (const k of [
          'inputs',
          'crashes',
          'writesFromInvalid',
          'crossTenantWrites',
          'leaks',
        ] as const)
          total[k] += r[k];
        total.failures.push(...failures.slice(0, 3));
        // Progress on stderr, so `--json` keeps stdout to the one JSON document.
        (values.json ? console.error : console.log)(
          `${adapter}:${fn}: ${r.inputs} inputs, ${r.crashes} crashes, ${r.writesFromInvalid} writes from refused calls, ${r.crossTenantWrites} cross-tenant writes, ${r.leaks} leaks (${perFunction[`${adapter}:${fn}`]!.seconds.toFixed(1)} s) ${JSON.stringify(r.codes)}`,
        );
      } finally {
        await opened.cleanup();
      }
    }
  }
  const summary = {
    inputs: total.inputs,
    crashes: total.crashes,
    writesFromInvalid: total.writesFromInvalid,
    crossTenantWrites: total.crossTenantWrites,
    leaks: total.leaks,
    seed,
    scene,
    runsPerFunction: runs,
    perFunction,
    failures: total.failures,
  };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else if (total.failures.length) console.log(JSON.stringify(total.failures, null, 2));
  const bad = total.crashes + total.writesFromInvalid + total.crossTenantWrites + total.leaks;
  process.exitCode = bad > 0 ? 1 : 0;
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
