/**
 * `npm run gen:preload [-- --check]`: app.json's `preloadRule` generated from measured page
 * transitions (issue 18), never written by hand. Learns the transition model from the local
 * store (DATA_DIR): the `route` moves train's perf step keeps in the perf rollups (routeMoves),
 * added to the moves implied by the stored events (server/learning/transitions.ts), and writes,
 * for each main-package page whose measured next page lies in a
 * subpackage often enough, a rule preloading it (server/engine/prefetch/preload.ts). Pages with
 * too few measured moves get none; with no moves measured at all app.json is left as it is.
 * `--check` writes nothing and exits 1 when app.json differs from what the store says.
 * `--simulated` learns instead from a seeded run of the simulator's navigation (SIMULATED: its
 * users' route entries, server/host/simulate.ts), deterministic: the committed app.json holds
 * its rules until measured moves replace them, and a test checks it (test/server/tools/preload-rule.test.ts).
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
import { foldEvents, routeMoves } from '../server/engine/perf/rollup';
import type { StoredEvent } from '../server/engine/records';
import { Simulation, type CallAs } from '../server/host/simulate';
import type { SimFeed } from '../server/host/oracle';
import type { ContentCard, FeedCard } from '../typings';
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

/** The seeded simulator run `--simulated` learns from: its population browsing a fixed feed for a few rounds. */
export const SIMULATED = { seed: 7, users: 200, rounds: 5 };

/** The transition model of the simulator's route entries (SIMULATED): the same every run. */
export async function simulatedModel(o = SIMULATED): Promise<TransitionModel> {
  const categories = ['美食', '旅行', '科技', '运动', '音乐'];
  const items: ContentCard['item'][] = categories.flatMap((category, i) =>
    Array.from({ length: 20 }, (_, j) => ({
      id: `sim-${i}-${j}`,
      title: category,
      summary: '',
      category,
      tags: [],
      cover: '',
      publishedAt: 0,
    })),
  );
  // A fixed page order: the navigation, not the ranking, is what is measured here.
  const feed: SimFeed = (_user, _channel, cursor, limit) => {
    const start = cursor ? Number(cursor) : 0;
    const cards: FeedCard[] = items
      .slice(start, start + limit)
      .map((item, k) => ({ kind: 'content', position: start + k, item }));
    const next = start + limit;
    return { slateId: `sim-${start}`, cursor: next < items.length ? String(next) : null, cards };
  };
  const routes: StoredEvent[] = [];
  const sim = new Simulation(o.seed, categories, {
    users: o.users,
    feed,
    onEvents: (user, events) => {
      for (const e of events)
        if (e.type === 'page_perf') {
          const { eventId, type, clientTime, sessionId, page, ...props } = e;
          routes.push({
            openid: user.openid,
            eventId,
            type,
            serverTime: clientTime,
            clientTime,
            clockSkewed: false,
            sessionId,
            page,
            props,
          });
        }
    },
  });
  const noCall: CallAs = () => Promise.reject(new Error('the simulated feed calls nothing'));
  for (let r = 0; r < o.rounds; r++) await sim.round(noCall, r * 3_600_000);
  return fitTransitions(routeMoves(foldEvents(routes)));
}

/** The measured model of the store: the clients' route moves, or the moves the events imply when none were stored. */
async function storeModel(): Promise<TransitionModel> {
  const stores = openSqliteStores(loadConfig());
  try {
    const routes = routeMoves(await stores.rollups.perfCells());
    return routes.length ? fitTransitions(routes) : await learnTransitions(stores);
  } finally {
    await stores.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  {
    const model = process.argv.includes('--simulated')
      ? await simulatedModel()
      : await storeModel();
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
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
