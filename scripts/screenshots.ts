/**
 * `npm run screenshots`: each page and its main states rendered as the page tests render them
 * (test/miniprogram/screenshots/render.shots.ts: miniprogram-simulate, real vant), their WXSS and
 * vant's converted to CSS (scripts/screenshots/wxss.ts), photographed by Debian's headless Chromium
 * at 375 × 812 (device scale 2) into docs/screenshots/<page>-<state>.png. A tool, not a test:
 * without Chromium it says how to install it and exits 0.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BASE_CSS,
  componentsOf,
  localIconFont,
  withoutRemoteFonts,
  wxssToCss,
} from './screenshots/wxss';

/**
 * The slice of puppeteer-core used here. Its own typings need the DOM lib, which the server's
 * tsconfig leaves out (Node code must not see browser globals), so it is required untyped.
 */
interface Shooter {
  launch(o: { executablePath: string; headless: boolean; args: string[] }): Promise<{
    newPage(): Promise<{
      setViewport(v: { width: number; height: number; deviceScaleFactor: number }): Promise<void>;
      setRequestInterception(on: boolean): Promise<void>;
      on(
        event: 'request',
        cb: (r: { url(): string; continue(): Promise<void>; abort(): Promise<void> }) => void,
      ): void;
      setContent(html: string, o: { waitUntil: 'load' }): Promise<void>;
      evaluate(js: string): Promise<unknown>;
      screenshot(o: { path: string; type: 'png' }): Promise<unknown>;
    }>;
    close(): Promise<void>;
  }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const puppeteer = require('puppeteer-core') as Shooter;

const repoRoot = path.resolve(__dirname, '..');
const MP_ROOT = path.join(repoRoot, 'miniprogram');
const VANT_LIB = path.join(path.dirname(require.resolve('@vant/weapp/package.json')), 'lib');
const OUT_DIR = path.join(repoRoot, 'docs/screenshots');

/** Chromium from $CHROMIUM_PATH when set (and only there), else the usual Debian/Ubuntu places. */
function findChromium(): string | null {
  const set = process.env.CHROMIUM_PATH;
  const candidates = set
    ? [set]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

// simulate's own WXSS reader (inlines @import) and compiler (adds its per-tag class prefixes),
// so the CSS names match the rendered DOM's classes exactly.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simWxss = require('miniprogram-simulate/src/wxss') as {
  getContent(file: string): string;
  compile(wxss: string, options: { prefix: string }): string;
};

/** The CSS of one rendered page: app.wxss and the page's WXSS under its tag, every component's under its own. */
function pageCss(pagePath: string, tag: string, iconFont: string | null): string {
  const parts = [BASE_CSS, iconFont ?? ''];
  const app = simWxss.getContent(path.join(MP_ROOT, 'app.wxss'));
  parts.push(wxssToCss(simWxss.compile(app, { prefix: tag }), tag));
  for (const c of componentsOf(MP_ROOT, VANT_LIB, pagePath, tag)) {
    const wxss = simWxss.getContent(`${c.file}.wxss`);
    if (wxss)
      parts.push(wxssToCss(withoutRemoteFonts(simWxss.compile(wxss, { prefix: c.tag })), c.tag));
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const chromium = findChromium();
  if (!chromium) {
    console.log(
      'screenshots: Chromium not found. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`)\n' +
        'or point CHROMIUM_PATH at a Chrome/Chromium binary, then run `npm run screenshots` again.',
    );
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shots-'));
  const run = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '-c', 'scripts/screenshots/jest.config.js'],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, SHOTS_OUT: work } },
  );
  if (run.status !== 0) throw new Error('rendering the pages failed (see the jest output above)');

  const iconFont = localIconFont(repoRoot);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 375, height: 812, deviceScaleFactor: 2 });
    // Nothing leaves the machine: the page is self-contained, any other request is refused.
    await page.setRequestInterception(true);
    page.on('request', (r) => void (r.url().startsWith('data:') ? r.continue() : r.abort()));
    for (const file of fs
      .readdirSync(work)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const shot = JSON.parse(fs.readFileSync(path.join(work, file), 'utf8')) as {
        name: string;
        pagePath: string;
        tag: string;
        html: string;
      };
      const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${pageCss(
        shot.pagePath,
        shot.tag,
        iconFont,
      )}</style></head><body>${shot.html}</body></html>`;
      await page.setContent(html, { waitUntil: 'load' });
      await page.evaluate('document.fonts.ready');
      const out = path.join(OUT_DIR, `${shot.name}.png`);
      await page.screenshot({ path: out, type: 'png' });
      console.log(
        `${path.relative(repoRoot, out)}  ${Math.round(fs.statSync(out).size / 1024)} KB`,
      );
    }
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (!iconFont)
    console.log(
      'vant icon font not found (npm install @vant/icons): icons are missing in the pictures.',
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
