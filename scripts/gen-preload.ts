/**
 * `npm run gen:preload [-- --check]`: app.json's `preloadRule` generated from measured page
 * transitions (issue 18), never written by hand. Learns the transition model from the local
 * store (DATA_DIR): the `route` moves train's perf step keeps in the perf rollups (routeMoves),
 * added to the moves implied by the stored events (server/learning/transitions.ts), and writes,
 * for each main-package page whose measured next page lies in a
 * subpackage often enough, a rule preloading it (server/engine/prefetch/preload.ts). Pages with
 * too few measured moves get none; with no moves measured at all app.json is left as it is.
 * `--check` writes nothing and exits 1 when app.json differs from what the store says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteStores } from '../server/adapters/sqlite';
import { loadConfig } from '../server/config';
import {
  preloadRules,
  type AppPackages,
  type PreloadRule,
} from '../server/engine/prefetch/preload';
import { routeMoves } from '../server/engine/perf/rollup';
import { fitTransitions, type TransitionModel } from '../server/engine/prefetch/transitions';
import { learnTransitions } from '../server/learning/transitions';

export const APP_JSON = path.resolve(__dirname, '../miniprogram/app.json');

type AppJson = AppPackages & { preloadRule?: Record<string, PreloadRule> } & Record<
    string,
    unknown
  >;

/** app.json with its preloadRule replaced by the model's (removed when the model gives none), keys otherwise in place. */
export function withPreload(app: AppJson, model: TransitionModel): AppJson {
  const rules = preloadRules(model, app);
  const { preloadRule: _old, ...rest } = app;
  void _old;
  if (!Object.keys(rules).length) return rest as AppJson;
  // After subPackages, where a reader looks for it.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    out[k] = v;
    if (k === 'subPackages') out.preloadRule = rules;
  }
  if (!('preloadRule' in out)) out.preloadRule = rules;
  return out as AppJson;
}

/** app.json as prettier writes it (npm run lint checks it). Loaded here only: prettier's loader needs real ESM. */
export async function renderAppJson(app: AppJson): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(APP_JSON)) ?? {};
  return prettier.format(JSON.stringify(app, null, 2), { ...options, filepath: APP_JSON });
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stores = openSqliteStores(loadConfig());
  try {
    const model = fitTransitions(
      routeMoves(await stores.rollups.perfCells()),
      await learnTransitions(stores),
    );
    const moves = Object.values(model.counts).reduce(
      (s, row) => s + Object.values(row).reduce((a, c) => a + c, 0),
      0,
    );
    if (moves === 0) {
      console.log('gen:preload: no page moves measured in the store; app.json left as it is');
      return;
    }
    const before = fs.readFileSync(APP_JSON, 'utf8');
    const next = await renderAppJson(withPreload(JSON.parse(before) as AppJson, model));
    if (next === before)
      console.log(`gen:preload: app.json is up to date (${moves} moves measured)`);
    else if (check) {
      console.error('gen:preload: app.json preloadRule differs from the measured transitions');
      process.exitCode = 1;
    } else {
      fs.writeFileSync(APP_JSON, next);
      console.log(`gen:preload: app.json preloadRule rewritten from ${moves} measured moves`);
    }
  } finally {
    await stores.close();
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
