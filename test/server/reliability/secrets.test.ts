/**
 * Secrets only from the environment (issue 22): no key, secret or private key is written in the
 * code that ships (server, cloud functions, Mini Program), and configuration is read from the
 * environment in the entry points only (server/config.ts validates it; cloud-main and the host pass it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers/host-process';

function files(dir: string, ext: RegExp): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .filter(
      (f) =>
        !f.startsWith('miniprogram/miniprogram_npm') &&
        !/cloudfunctions\/[^/]+\/index\.js$/.test(f),
    );
}

const SHIPPED = [
  ...files('server', /\.ts$/),
  ...files('miniprogram', /\.(ts|json)$/),
  ...files('cloudfunctions', /\.json$/),
  'project.config.json',
];

const SECRET_PATTERNS: [string, RegExp][] = [
  ['a 32-byte key in base64', /['"`][A-Za-z0-9+/]{43}=['"`]/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a cloud API secret', /secret(Id|Key)\s*[:=]\s*['"`][^'"`]+['"`]/i],
  ['an AppSecret', /app_?secret\s*[:=]\s*['"`][0-9a-f]{32}['"`]/i],
];

it('ships no secret in code or configuration files', () => {
  expect(SHIPPED.length).toBeGreaterThan(50);
  const found: string[] = [];
  for (const f of SHIPPED) {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const [what, re] of SECRET_PATTERNS) if (re.test(text)) found.push(`${f}: ${what}`);
  }
  expect(found).toEqual([]);
});

it('reads the environment only in the entry points', () => {
  const readers = SHIPPED.filter(
    (f) => f.endsWith('.ts') && /process\.env/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
  ).sort();
  expect(readers).toEqual([
    'server/config.ts',
    'server/host/main.ts',
    'server/runtime/cloud-main.ts',
  ]);
});
