/**
 * The per-function cloud build: every registered function becomes a folder whose index.js loads
 * under plain Node with wx-server-sdk installed and exports `main`, whose package.json and
 * config.json match the committed ones, and whose stale folders (only its own) are removed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BUNDLE_TARGET,
  CLOUD_NODE_VERSION,
  CLOUD_RUNTIME,
  GENERATED_MARK,
  buildFunctions,
  cloudConfig,
  installedTreeTooNew,
  packagesTooNew,
  runtimeNodeVersion,
} from '../../scripts/build-functions';
import { functions } from '../../server/functions';

const ROOT = path.resolve(__dirname, '../..');

describe('buildFunctions', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-build-'));
  let built: string[];
  const warnings: string[] = [];

  beforeAll(async () => {
    // A folder an earlier build made for a function since removed, and one a person made.
    fs.mkdirSync(path.join(out, 'gone'));
    fs.writeFileSync(
      path.join(out, 'gone', 'package.json'),
      JSON.stringify({ description: `${GENERATED_MARK}gone` }),
    );
    fs.mkdirSync(path.join(out, 'mine'));
    fs.writeFileSync(path.join(out, 'mine', 'package.json'), JSON.stringify({ name: 'mine' }));
    built = await buildFunctions(ROOT, { outDir: out, warn: (m) => warnings.push(m) });
  }, 60_000);

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("builds one folder per registered function, with the segmenter's wasm beside the bundle that uses it", () => {
    expect(built).toEqual(Object.keys(functions).sort());
    for (const name of built) {
      const files = ['config.json', 'index.js', 'package.json'];
      // `support`, `csmessage` and `content` (search) segment Chinese text with jieba-wasm, which reads
      // its wasm from __dirname when the segmenter loads (so the load test below fails without it).
      if (['support', 'csmessage', 'content'].includes(name)) files.push('jieba_rs_wasm_bg.wasm');
      expect(fs.readdirSync(path.join(out, name)).sort()).toEqual(files.sort());
    }
  });

  it('produces bundles that load under plain Node and export main, with wx-server-sdk external', () => {
    const files = built.map((name) => path.join(out, name, 'index.js'));
    // A fresh Node process, not jest's module system: what the cloud runtime does, with the SDK resolvable.
    const report = execFileSync(
      process.execPath,
      [
        '-e',
        'console.log(JSON.stringify(process.argv.slice(1).map((f) => typeof require(f).main)))',
        ...files,
      ],
      {
        env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(JSON.parse(report.trim().split('\n').pop()!)).toEqual(built.map(() => 'function'));
    for (const file of files) {
      const code = fs.readFileSync(file, 'utf8');
      expect(code).toMatch(/require\("wx-server-sdk"\)/);
      expect(code).not.toMatch(/better-sqlite3|fastify/);
    }
  });

  it('writes package.json and config.json that match the committed cloudfunctions/ folders', () => {
    const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const name of built) {
      const pkg = JSON.parse(fs.readFileSync(path.join(out, name, 'package.json'), 'utf8'));
      expect(pkg).toMatchObject({
        name,
        main: 'index.js',
        dependencies: {
          'wx-server-sdk':
            rootPkg.devDependencies['wx-server-sdk'] ?? rootPkg.dependencies['wx-server-sdk'],
        },
      });
      for (const file of ['package.json', 'config.json']) {
        const committed = path.join(ROOT, 'cloudfunctions', name, file);
        expect(fs.existsSync(committed) && fs.readFileSync(committed, 'utf8')).toBe(
          fs.readFileSync(path.join(out, name, file), 'utf8'),
        );
      }
    }
  });

  it('removes folders it made for functions that are gone, and leaves other folders alone', () => {
    expect(fs.existsSync(path.join(out, 'gone'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'mine', 'package.json'))).toBe(true);
    expect(warnings).toEqual([expect.stringMatching(/leaving .*mine alone/)]);
  });

  it('holds the bundles, and the wx-server-sdk the cloud installs beside them, to the declared CloudBase runtime', () => {
    // CloudBase names its runtimes NodejsX.Y; the build's Node and esbuild target are that one's.
    expect(runtimeNodeVersion('Nodejs16.13')).toBe('16.13.0');
    expect(runtimeNodeVersion('Nodejs18.15')).toBe('18.15.0');
    for (const bad of ['nodejs16.13', 'Nodejs16', 'Node.js 16.13', 'Python3.9'])
      expect(() => runtimeNodeVersion(bad)).toThrow(/not a CloudBase Node.js runtime/);
    expect(CLOUD_NODE_VERSION).toBe(runtimeNodeVersion(CLOUD_RUNTIME));
    expect(BUNDLE_TARGET).toBe(`node${CLOUD_NODE_VERSION.split('.')[0]}`);
    // Every function's package.json pins the wx-server-sdk installed here, whose whole tree (what
    // "upload and deploy: install dependencies in the cloud" installs) admits that Node.
    const sdk = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/wx-server-sdk/package.json'), 'utf8'),
    ).version;
    for (const name of built) {
      const pkg = JSON.parse(fs.readFileSync(path.join(out, name, 'package.json'), 'utf8'));
      expect(pkg.dependencies).toEqual({ 'wx-server-sdk': sdk });
    }
    expect(installedTreeTooNew(ROOT, 'wx-server-sdk')).toEqual([]);
  });
});

describe('cloudConfig', () => {
  it('has openapi permissions, a timeout and a timer trigger only when asked', () => {
    expect(cloudConfig('a')).toEqual({ permissions: { openapi: [] } });
    expect(cloudConfig('cs', { openapi: ['customerServiceMessage.send'] })).toEqual({
      permissions: { openapi: ['customerServiceMessage.send'] },
    });
    expect(cloudConfig('train', { timeoutSeconds: 60, timer: '0 */10 * * * * *' })).toEqual({
      permissions: { openapi: [] },
      timeout: 60,
      triggers: [{ name: 'trainTimer', type: 'timer', config: '0 */10 * * * * *' }],
    });
  });

  it.each([
    [{ timeoutSeconds: 0 }],
    [{ timeoutSeconds: 61 }],
    [{ timeoutSeconds: 2.5 }],
    [{ timer: '*/10 * * * *' }],
    [{ openapi: ['customerServiceMessage'] }],
  ])('rejects %j', (cloud) => {
    expect(() => cloudConfig('x', cloud)).toThrow(/x: cloud\./);
  });

  it("refuses packages whose engines leave out the cloud's Node 16 (lru-cache 11 needs Node 20)", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-engines-'));
    const pkg = (dir: string, body: object): void => {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(body));
    };
    pkg('node_modules/lru-cache', {
      name: 'lru-cache',
      version: '11.5.4',
      engines: { node: '20 || >=22' },
    });
    pkg('node_modules/@scope/ok', {
      name: '@scope/ok',
      version: '1.0.0',
      engines: { node: '>=12' },
    });
    pkg('node_modules/plain', { name: 'plain', version: '2.0.0' });
    pkg('node_modules/a/node_modules/nested', {
      name: 'nested',
      version: '3.0.0',
      engines: { node: '>=16.14' },
    });
    try {
      expect(
        packagesTooNew(root, [
          'server/social/proof.ts',
          'node_modules/lru-cache/dist/commonjs/index.js',
          'node_modules/@scope/ok/lib/x.js',
          'node_modules/plain/index.js',
          'node_modules/a/node_modules/nested/index.js',
        ]),
      ).toEqual([
        'lru-cache@11.5.4 (engines.node "20 || >=22")',
        'nested@3.0.0 (engines.node ">=16.14")',
      ]);
      expect(packagesTooNew(root, ['node_modules/lru-cache/x.js'], '20.0.0')).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("finds a package anywhere in an installed tree whose engines leave out the cloud's Node", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-tree-'));
    const pkg = (dir: string, body: object): void => {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(body));
    };
    // sdk → a (fine) → c (nested copy, needs Node 18), sdk → b (no engines) → a (the top copy).
    pkg('node_modules/sdk', { name: 'sdk', version: '1.0.0', dependencies: { a: '*', b: '*' } });
    pkg('node_modules/a', {
      name: 'a',
      version: '2.0.0',
      engines: { node: '>=12' },
      dependencies: { c: '*' },
    });
    pkg('node_modules/a/node_modules/c', {
      name: 'c',
      version: '3.0.0',
      engines: { node: '>=18' },
    });
    pkg('node_modules/b', { name: 'b', version: '4.0.0', dependencies: { a: '*' } });
    // Not in sdk's tree: never read.
    pkg('node_modules/unrelated', {
      name: 'unrelated',
      version: '5.0.0',
      engines: { node: '>=22' },
    });
    try {
      expect(installedTreeTooNew(root, 'sdk')).toEqual(['c@3.0.0 (engines.node ">=18")']);
      expect(installedTreeTooNew(root, 'sdk', '18.15.0')).toEqual([]);
      pkg('node_modules/b', { name: 'b', version: '4.0.0', dependencies: { missing: '*' } });
      expect(() => installedTreeTooNew(root, 'sdk')).toThrow(/missing .* is not installed/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
