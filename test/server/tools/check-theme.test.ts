/**
 * Dark mode stays whole (issue 20): app.json's `@` values all exist in both themes of theme.json,
 * app.wxss defines each --rs-color-* for light and dark, every one a WXSS or WXML uses is defined,
 * and no page or component WXSS writes a colour except as a variable's fallback — so a colour
 * added later without a dark value fails here, not on someone's phone at night.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../../../miniprogram');

function files(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'miniprogram_npm' ? [] : files(p, ext);
    return p.endsWith(ext) ? [p] : [];
  });
}

/** Every string value in a JSON tree. */
const strings = (v: unknown): string[] =>
  typeof v === 'string'
    ? [v]
    : v && typeof v === 'object'
      ? Object.values(v as Record<string, unknown>).flatMap(strings)
      : [];

/** Custom properties a block of CSS declares (name → value). */
function declared(css: string): Map<string, string> {
  return new Map(
    [...css.matchAll(/(--rs-[a-z-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]),
  );
}

const COLOUR =
  /#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|:\s*(?:white|black|red|blue|green|gray|grey)\b/;

/** Colours written outside `var(--rs-…, fallback)` in a WXSS, as "line: text" (comments and custom properties aside). */
function strayColours(wxss: string): string[] {
  const out: string[] = [];
  wxss
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .forEach((line, i) => {
      const bare = line.replace(/var\(--rs-[a-z-]+,\s*[^)]*\)/g, 'var()');
      if (/^\s*--/.test(line)) return;
      if (COLOUR.test(bare)) out.push(`${i + 1}: ${line.trim()}`);
    });
  return out;
}

describe('dark mode', () => {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')) as {
    darkmode?: boolean;
    themeLocation?: string;
  };
  const theme = JSON.parse(
    fs.readFileSync(path.join(ROOT, app.themeLocation ?? 'theme.json'), 'utf8'),
  ) as { light: Record<string, string>; dark: Record<string, string> };

  it('is on, and every @variable app.json uses is defined in both themes, with the same keys', () => {
    expect(app.darkmode).toBe(true);
    const used = strings(app)
      .filter((s) => s.startsWith('@'))
      .map((s) => s.slice(1));
    expect(used.length).toBeGreaterThanOrEqual(7);
    for (const v of used) {
      expect([v, theme.light[v]]).toEqual([v, expect.any(String)]);
      expect([v, theme.dark[v]]).toEqual([v, expect.any(String)]);
    }
    expect(Object.keys(theme.dark).sort()).toEqual(Object.keys(theme.light).sort());
    for (const t of [theme.light, theme.dark])
      for (const [k, v] of Object.entries(t))
        expect([
          k,
          /Color$/.test(k) ? /^#[0-9a-f]{6}$/i.test(v) : /^(black|white|dark|light)$/.test(v),
        ]).toEqual([k, true]);
  });

  it('app.wxss defines each theme colour for light and for dark', () => {
    const css = fs.readFileSync(path.join(ROOT, 'app.wxss'), 'utf8');
    const at = css.indexOf('@media (prefers-color-scheme: dark)');
    expect(at).toBeGreaterThan(0);
    const light = [...declared(css.slice(0, at)).keys()].filter((k) => k.startsWith('--rs-color-'));
    const dark = [...declared(css.slice(at)).keys()];
    expect(light.length).toBeGreaterThan(10);
    expect(dark.sort()).toEqual(light.sort());
  });

  it('every --rs- variable a page or component uses is defined in app.wxss', () => {
    const defined = declared(fs.readFileSync(path.join(ROOT, 'app.wxss'), 'utf8'));
    const used = new Set(
      [...files(ROOT, '.wxss'), ...files(ROOT, '.wxml')].flatMap((f) =>
        [...fs.readFileSync(f, 'utf8').matchAll(/var\((--rs-[a-z-]+)/g)].map((m) => m[1]),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((v) => !defined.has(v))).toEqual([]);
  });

  it('no page or component WXSS writes a colour outside the theme variables', () => {
    const stray = files(ROOT, '.wxss')
      .filter((f) => path.relative(ROOT, f) !== 'app.wxss')
      .flatMap((f) =>
        strayColours(fs.readFileSync(f, 'utf8')).map((s) => `${path.relative(ROOT, f)}:${s}`),
      );
    expect(stray).toEqual([]);
  });

  it('the rule catches colours written directly, and allows variables with fallbacks', () => {
    expect(
      strayColours(
        [
          '.a { color: var(--rs-color-text, #323233); }',
          '/* #ff0000 in a comment */',
          '.b {',
          '  background: #fff;',
          '  border: 1rpx solid rgba(0, 0, 0, 0.1);',
          '  color: white;',
          '}',
        ].join('\n'),
      ),
    ).toEqual([
      '4: background: #fff;',
      '5: border: 1rpx solid rgba(0, 0, 0, 0.1);',
      '6: color: white;',
    ]);
  });
});
