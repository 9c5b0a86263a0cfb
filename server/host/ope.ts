/**
 * `npm run ope`: off-policy evaluation from the local slate log (DATA_DIR): the click rate per
 * content impression the feed would get without exploration, estimated by IPS, self-normalised
 * IPS and doubly robust, with cluster-robust 95 % intervals (server/learning/off-policy.ts).
 * `--json` prints one object.
 */
import { openSqliteStores } from '../adapters/sqlite';
import { loadConfig } from '../config';
import { evaluateGreedy, evaluationFigures } from '../learning/off-policy';

async function main(argv: string[]): Promise<void> {
  const stores = openSqliteStores(loadConfig());
  try {
    const e = await evaluateGreedy(stores);
    const row = evaluationFigures(e);
    if (argv.includes('--json')) {
      console.log(JSON.stringify(row));
      return;
    }
    const f = (x: number) => x.toFixed(4);
    console.log(
      `ope: ${e.impressions} content impressions of ${e.clusters} users (${e.explored} explored), logged CTR ${f(e.loggedCtr)}, mean weight ${f(e.meanWeight)}`,
    );
    console.log('  greedy candidate (no exploration), CTR per content impression, 95 % intervals:');
    for (const [name, v] of [
      ['IPS', e.ips],
      ['SNIPS', e.snips],
      ['DR', e.dr],
    ] as const)
      console.log(`  ${name.padEnd(5)} ${f(v.value)} [${f(v.low)}, ${f(v.high)}]`);
  } finally {
    await stores.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`ope: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
