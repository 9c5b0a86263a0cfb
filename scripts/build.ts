/** `npm run build`: everything WeChat DevTools needs — miniprogram_npm and one deployable folder per cloud function. */
import path from 'node:path';
import { buildFunctions } from './build-functions';
import { packMiniprogramNpm } from './build-miniprogram';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const t0 = Date.now();
  await packMiniprogramNpm(root);
  const fns = await buildFunctions(root);
  console.log(
    `build: miniprogram_npm and ${fns.length} cloud functions (${fns.join(', ')}) in ${Date.now() - t0} ms`,
  );
}

main().catch((err) => {
  console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
