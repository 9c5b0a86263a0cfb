/**
 * `npm run check:size`: the Mini Program's package sizes as DevTools would upload them, against
 * the limits of the Mini Program issue: main package ≤ 1.5 MB, each subpackage ≤ 1 MB.
 *
 * What is counted:
 * - WXML, WXSS, WXS, JSON and npm JS: the files WeChat's own code analysis (miniprogram-ci
 *   `analyseCode`, offline; the same analysis as DevTools' 代码依赖分析) finds reachable from
 *   app.json. project.config.json sets `ignoreUploadUnusedFiles`, so unreachable files (most of
 *   vant's 72 components) are not uploaded and not counted.
 * - Our TypeScript: that analysis does not run the TypeScript compiler plugin, so every .ts file
 *   of ours is compiled here the way DevTools uploads it (types stripped, `minified: true`) with
 *   esbuild, and all of them are counted, reachable or not (an upper bound).
 * A file belongs to the subpackage whose root contains it; everything else (app files, pages,
 * services, miniprogram_npm) is the main package.
 * Needs miniprogram/miniprogram_npm (`npm run build:npm`). Exits non-zero over a limit.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { ownFiles } from './mp-files';

export const MAIN_LIMIT_BYTES = 1.5 * 1024 * 1024;
export const SUBPACKAGE_LIMIT_BYTES = 1024 * 1024;

/** One file DevTools would upload, relative to the Mini Program root. */
export interface UploadFile {
  path: string;
  size: number;
}

export interface PackageSize {
  /** "main" or the subpackage root as in app.json ("merchant"). */
  name: string;
  bytes: number;
  files: number;
  limit: number;
}

/** Groups files into the main package and the subpackages of `roots` (app.json `subPackages[].root`). */
export function packageSizes(files: UploadFile[], roots: string[]): PackageSize[] {
  const norm = roots.map((r) => r.replace(/^\/+|\/+$/g, ''));
  const sizes = new Map<string, PackageSize>([
    ['main', { name: 'main', bytes: 0, files: 0, limit: MAIN_LIMIT_BYTES }],
  ]);
  for (const root of norm)
    sizes.set(root, { name: root, bytes: 0, files: 0, limit: SUBPACKAGE_LIMIT_BYTES });
  for (const file of files) {
    const root = norm.find((r) => file.path === r || file.path.startsWith(`${r}/`));
    const entry = sizes.get(root ?? 'main')!;
    entry.bytes += file.size;
    entry.files += 1;
  }
  return [...sizes.values()];
}

/** Packages over their limit, as messages a person can act on; empty when all fit. */
export function overLimit(sizes: PackageSize[]): string[] {
  return sizes
    .filter((s) => s.bytes > s.limit)
    .map(
      (s) =>
        `${s.name === 'main' ? '主包' : `分包 ${s.name}`} ${kb(s.bytes)} 超过上限 ${kb(s.limit)}: move pages into a subpackage or drop unused components`,
    );
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

interface AnalysedFile {
  path: string;
  size: number;
  moduleId: string | null;
}

/** Files WeChat's code analysis finds reachable (non-TypeScript: it does not list .ts files). */
async function analysedFiles(projectRoot: string): Promise<UploadFile[]> {
  // miniprogram-ci insists on an upload key even for offline analysis: a throwaway one, never used for anything.
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-size-'));
  const keyPath = path.join(keyDir, 'private.key');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  fs.writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  try {
    // Loaded lazily: miniprogram-ci is large and only this command needs it.
    const ci = (await import('miniprogram-ci/dist/index.js')) as unknown as {
      Project: new (opts: Record<string, unknown>) => unknown;
      analyseCode: (
        project: unknown,
        opts: { silent: boolean },
      ) => Promise<{ files: AnalysedFile[] } | undefined>;
    };
    const project = new ci.Project({
      appid: 'touristappid',
      type: 'miniProgram',
      projectPath: projectRoot,
      privateKeyPath: keyPath,
      ignores: ['node_modules/**/*'],
    });
    const result = await ci.analyseCode(project, { silent: true });
    if (!result) throw new Error('miniprogram-ci analyseCode returned nothing');
    return result.files
      .filter((f) => f.moduleId !== null && !f.path.endsWith('.ts'))
      .map((f) => ({ path: f.path, size: f.size }));
  } finally {
    fs.rmSync(keyDir, { recursive: true, force: true });
  }
}

/** Every .ts of ours under the Mini Program root, at its uploaded (compiled, minified) size. */
export function compiledTypeScript(mpRoot: string): UploadFile[] {
  return ownFiles(mpRoot, /(?<!\.d)\.ts$/).map((rel) => {
    const source = fs.readFileSync(path.join(mpRoot, rel), 'utf8');
    const js = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'es2017',
      minify: true,
    }).code;
    return { path: rel.replace(/\.ts$/, '.js'), size: Buffer.byteLength(js) };
  });
}

export async function measure(projectRoot: string): Promise<PackageSize[]> {
  const mpRoot = path.join(projectRoot, 'miniprogram');
  if (!fs.existsSync(path.join(mpRoot, 'miniprogram_npm')))
    throw new Error('miniprogram/miniprogram_npm is missing: run `npm run build:npm` first');
  const appJson = JSON.parse(fs.readFileSync(path.join(mpRoot, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[];
    subpackages?: { root: string }[];
  };
  const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((s) => s.root);
  const files = [...(await analysedFiles(projectRoot)), ...compiledTypeScript(mpRoot)];
  return packageSizes(files, roots);
}

if (require.main === module) {
  measure(path.resolve(__dirname, '..')).then(
    (sizes) => {
      for (const s of sizes)
        console.log(
          `check:size: ${s.name.padEnd(10)} ${kb(s.bytes).padStart(10)} of ${kb(s.limit)} (${s.files} files)`,
        );
      const problems = overLimit(sizes);
      for (const p of problems) console.error(`check:size: ${p}`);
      process.exit(problems.length ? 1 : 0);
    },
    (err: unknown) => {
      console.error(`check:size failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
