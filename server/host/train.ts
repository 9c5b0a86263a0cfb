/**
 * `npm run train`: one training run against the local SQLite data (DATA_DIR), printing what it
 * did (after the same maintenance as the cloud timer: retention, resuming erasures);
 * `npm run train -- --rollback <version>` serves an earlier version again. Rollback lives
 * here, not in a cloud function, until admin roles exist.
 */
import { loadConfig } from '../config';
import { openSqliteStores } from '../adapters/sqlite';
import { rollback } from '../learning/rollback';
import {
  BUDGET_SHARE,
  describeMaintenance,
  runRound,
  TRAIN_TIMEOUT_SECONDS,
} from '../learning/round';
import type { TrainResponse } from '../../typings';
import type { Stores } from '../ports';
import { consoleLogger } from './logger';

export function describeRun(r: TrainResponse): string {
  const n = (x: number | null) => (x === null ? '–' : x.toFixed(4));
  const skipped =
    Object.entries(r.skipped)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'none';
  return [
    `train: ${r.status} in ${r.elapsedMs} ms — ${r.events} events read, ${r.examples} examples (${r.positives} clicks), ${r.pending} impressions pending`,
    `  version: ${r.version ?? 'none issued'}${r.version ? (r.promoted ? ' (promoted)' : ' (kept as candidate)') : ''}; serving: ${r.serving ?? 'none'}`,
    `  progressive AUC ${n(r.auc)} (serving ${n(r.servingAuc)}), log-loss ${n(r.logLoss)}; ${r.reason}`,
    `  profiles updated ${r.profiles}, neighbour lists ${r.neighbours}; skipped: ${skipped}${r.more ? '; more to read: run again' : ''}`,
  ].join('\n');
}

async function listVersions(stores: Stores): Promise<string> {
  const serving = (await stores.models.serving())?.version;
  const rows = (await stores.models.list(10)).map(
    (v) =>
      `  ${v.version === serving ? '*' : ' '} ${v.version} ${v.status.padEnd(9)} AUC ${v.metrics.auc?.toFixed(4) ?? '–'} on ${v.metrics.examples} (parent ${v.parent ?? '–'}) ${v.reason}`,
  );
  return rows.length
    ? `versions (newest first, * serving):\n${rows.join('\n')}`
    : 'no model versions yet';
}

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const stores = openSqliteStores(config);
  const log = consoleLogger({ quiet: true });
  try {
    const at = argv.indexOf('--rollback');
    if (at >= 0) {
      const version = argv[at + 1];
      if (!version) throw new Error('usage: npm run train -- --rollback <version>');
      const r = await rollback(stores, version, Date.now(), log);
      console.log(`rollback: serving ${r.to} (was ${r.from ?? 'none'})`);
    } else {
      // The same round as the cloud timer: retention and resuming erasures, then training.
      const { maintenance, training } = await runRound(
        { config, stores, now: () => Date.now(), log },
        TRAIN_TIMEOUT_SECONDS * 1000 * BUDGET_SHARE,
      );
      const m = describeMaintenance(maintenance);
      if (m) console.log(m);
      console.log(describeRun(training));
    }
    console.log(await listVersions(stores));
  } finally {
    await stores.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`train: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
