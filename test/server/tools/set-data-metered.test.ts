/**
 * The setData wrapper is used everywhere (issue 18: "a thin wrapper every page uses"): every page
 * of app.json brings the `measured` behavior (directly or through `loadable`), and every other
 * component of ours that calls setData brings `measuredPart`, so its calls count in its page's
 * meter as the experience score counts them. A page or component added without it fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../../../miniprogram');
const app = JSON.parse(readFileSync(join(ROOT, 'app.json'), 'utf8')) as {
  pages: string[];
  subPackages: Array<{ root: string; pages: string[] }>;
};
const PAGES = new Set([
  ...app.pages,
  ...app.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
]);

/** Every page and component script (a .ts beside a .json and a .wxml). */
function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'miniprogram_npm') return [];
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.wxml') ? [path.replace(/\.wxml$/, '.ts')] : [];
  });
}

const BEHAVIORS = /behaviors: \[([^\]]*)\]/;
const files = scripts(ROOT).map((f) => relative(ROOT, f).replace(/\.ts$/, ''));

it('finds every page of app.json among the scripts', () => {
  expect(files.filter((f) => PAGES.has(f)).sort()).toEqual([...PAGES].sort());
  expect(PAGES.size).toBeGreaterThanOrEqual(20);
});

it.each(files.map((f) => [f]))('%s meters its setData', (file) => {
  const ts = readFileSync(join(ROOT, `${file}.ts`), 'utf8');
  const behaviors =
    BEHAVIORS.exec(ts)?.[1]
      .split(',')
      .map((b) => b.trim()) ?? [];
  if (PAGES.has(file))
    expect(behaviors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(measured|loadable)$/)]),
    );
  else if (/\bsetData\(/.test(ts)) expect(behaviors).toContain('measuredPart');
});
