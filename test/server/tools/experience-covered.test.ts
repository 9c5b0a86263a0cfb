/**
 * Every page's first screen is checked against the experience-score rules (issue 18): for each page
 * of app.json, some Mini Program test loads that page (its index.json) and checks it, either with
 * `expectExperience` (test/miniprogram/helpers/experience.ts), or through the merchant tests' shared
 * `open`, which calls it, or through a page's own test fixture (a helper module under test/miniprogram
 * that loads the page and calls it, e.g. merchant/campaign-editor.ts). A page added without such a
 * test fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MP = join(__dirname, '../../../miniprogram');
const TESTS = join(__dirname, '../../miniprogram');
const app = JSON.parse(readFileSync(join(MP, 'app.json'), 'utf8')) as {
  pages: string[];
  subPackages: Array<{ root: string; pages: string[] }>;
};
const PAGES = [
  ...app.pages,
  ...app.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
];

/** The tests and their helper modules (a page's fixture may load and check it for its suites). */
function tests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tests(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}
const sources = tests(TESTS).map((f) => readFileSync(f, 'utf8'));

/** The test checks the pages it opens: directly, or through page-helpers' open (which does). */
const checks = (src: string): boolean =>
  /\bexpectExperience\(/.test(src) ||
  (/import \{[^}]*\bopen\b[^}]*\} from '\.\.\/merchant\/page-helpers'/.test(src) &&
    /\bopen\(/.test(src));

it('the shared merchant open checks every page it opens', () => {
  const helpers = readFileSync(join(TESTS, 'merchant/page-helpers.ts'), 'utf8');
  expect(helpers).toMatch(/export async function open\([^]*?expectExperience\(page/);
});

it.each(PAGES.map((p) => [p]))('%s: its first screen is checked', (page) => {
  const loads = sources.filter((src) => src.includes(`miniprogram/${page}.json'`));
  expect(loads.length).toBeGreaterThan(0);
  expect(loads.some(checks)).toBe(true);
});
