/**
 * The layering rules of eslint.config.mjs fail on a deliberate violation: each case lints a
 * one-line module as if it stood at the given path, through ESLint's own API and our config.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/**
 * ESLint loads its flat config with a dynamic import, which jest's module sandbox refuses: the
 * cases are linted in one plain Node process with ESLint's API instead, all at once.
 */
const LINT_CASES = `
const { ESLint } = require('eslint');
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const [filePath, source] of cases) {
    const [result] = await eslint.lintText(source + '\\nexport {};\\n', { filePath });
    out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

const cases: Array<[string, string]> = [];
const results = new Map<string, string[]>();

/** Registers a case now; its messages are read after the one lint run in beforeAll. */
function restricted(filePath: string, source: string): () => string[] {
  cases.push([filePath, source]);
  return () => results.get(`${filePath}\u0000${source}`)!;
}

beforeAll(() => {
  const run = spawnSync(process.execPath, ['-e', LINT_CASES], {
    cwd: root,
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  const out = JSON.parse(run.stdout) as string[][];
  cases.forEach(([f, s], i) => results.set(`${f}\u0000${s}`, out[i]));
}, 60_000);

describe('layering lint rules', () => {
  it.each(
    [
      ['server/serving/feed-x.ts', "import { x } from '../functions/recommend';"],
      ['server/privacy/scrub-x.ts', "import { x } from '../functions/train/index';"],
      ['server/adapters/sqlite/x.ts', "import { x } from '../../functions';"],
    ].map(([f, s]) => [f, restricted(f, s)] as const),
  )('a use case, port or adapter may not import a function (%s)', (_file, messages) => {
    expect(messages()).toEqual([
      expect.stringContaining('Only server/host, server/runtime and the build'),
    ]);
  });

  const sibling = restricted(
    'server/functions/content/x.ts',
    "import { x } from '../track/schema';",
  );
  it('a function may not import another function’s folder', () => {
    expect(sibling()).toEqual([expect.stringContaining("another function's folder")]);
  });

  it.each(
    [
      ['server/engine/records-x.ts', "import type { x } from '../ports';"],
      ['server/engine/ranking/x.ts', "import type { x } from '../../ports/events';"],
      ['server/engine/ranking/candidates/x.ts', "import { x } from '../../../serving/feed';"],
      ['server/engine/labels/x.ts', "import { x } from '../../learning/round';"],
    ].map(([f, s]) => [f, restricted(f, s)] as const),
  )('the engine may not import the rest of the server (%s)', (_file, messages) => {
    expect(messages()).toEqual([
      expect.stringContaining('The engine imports nothing of the server'),
    ]);
  });

  const io = restricted('server/engine/models/x.ts', "import { readFileSync } from 'node:fs';");
  it('the engine does no I/O', () => {
    expect(io()).toEqual([expect.stringContaining('The engine does no I/O.')]);
  });

  it.each(
    [
      ['server/functions/recommend/x.ts', "import { x } from '../../serving/recommend';"],
      ['server/functions/index.ts', "import x from './recommend';"],
      ['server/host/x.ts', "import { x } from '../functions/train';"],
      ['server/runtime/x.ts', "import { x } from '../functions';"],
      ['server/engine/ranking/x.ts', "import type { x } from '../records';"],
      ['server/engine/ranking/candidates/x.ts', "import type { x } from '../../../../typings';"],
      ['server/engine/privacy/x.ts', "import { x } from '../profiles/profile';"],
      ['server/privacy/x.ts', "import { x } from '../learning/trainer-state';"],
    ].map(([f, s]) => [f, restricted(f, s)] as const),
  )('allows what the layers permit (%s)', (_file, messages) => {
    expect(messages()).toEqual([]);
  });
});
