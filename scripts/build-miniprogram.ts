/** Packs the Mini Program's npm dependencies (@vant/weapp's lib/) into miniprogram/miniprogram_npm, offline. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { packNpmManually } from 'miniprogram-ci/dist/index.js';

/** A file that must exist after packing: proves vant's components landed where DevTools looks. */
const PROBE = 'miniprogram_npm/@vant/weapp/button/index.js';

/**
 * Same relation as project.config.json's packNpmRelationList (./package.json → ./miniprogram/):
 * the root package.json's `dependencies` are exactly what the Mini Program packs.
 */
export async function packMiniprogramNpm(root: string): Promise<void> {
  const mpRoot = path.join(root, 'miniprogram');
  // Start clean: a component removed from a dependency must not linger from an older build.
  await fs.rm(path.join(mpRoot, 'miniprogram_npm'), { recursive: true, force: true });
  const result = await packNpmManually({
    packageJsonPath: path.join(root, 'package.json'),
    miniprogramNpmDistDir: mpRoot,
  });
  for (const warn of result.warnList) console.warn(`pack npm: ${warn.msg}`);
  try {
    await fs.access(path.join(mpRoot, PROBE));
  } catch {
    throw new Error(
      `pack npm produced no ${PROBE} (is @vant/weapp in package.json dependencies and installed?)`,
    );
  }
}

// `npm run build:npm`: just the Mini Program's npm packing (npm test runs it before the page tests).
if (require.main === module) {
  packMiniprogramNpm(path.resolve(__dirname, '..')).then(
    () => console.log('build:npm: miniprogram/miniprogram_npm packed'),
    (err: unknown) => {
      console.error(`build:npm failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
