/**
 * Feature use (issue 18): every tappable element of every page and component of the Mini Program
 * names a stable feature (`data-feature`, services/features.ts's FEATURE_NAME), one name per
 * action, and its code counts named taps (the `tappable` behavior, directly or through
 * `measured` / `measuredPart` / `loadable`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../../../miniprogram');
/** services/features.ts's FEATURE_NAME (that module needs the Mini Program's globals). */
const FEATURE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){1,2}$/;

function wxmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'miniprogram_npm') return [];
    if (statSync(path).isDirectory()) return wxmlFiles(path);
    return name.endsWith('.wxml') ? [path] : [];
  });
}

/** Opening tags with their attributes (quoted values may hold `>`). */
const TAG = /<([a-z][a-z0-9-]*)\b((?:[^<>"]|"[^"]*")*)>/g;
/** A tap on any element, a click on a vant button or cell, a switch or a tab: what a person taps. */
const TAPPED =
  /\b(?:bind|catch):?(?:tap|click)="(\w+)"|<van-(?:switch|tabs|tabbar)\b[^>]*\bbind:?change="(\w+)"/;
/** Handlers that only stop a tap from reaching the element below: nothing to count. */
const NOT_A_FEATURE = new Set(['noop']);

describe('every tappable element names its feature', () => {
  const files = wxmlFiles(ROOT);

  it('finds the pages and components', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files.map((f) => [relative(ROOT, f)]))('%s', (file) => {
    const wxml = readFileSync(join(ROOT, file), 'utf8');
    const unnamed: string[] = [];
    const names = new Map<string, string>(); // feature → handler
    let tapped = 0;
    for (const [tag, name, attrs] of wxml.matchAll(TAG)) {
      const m = TAPPED.exec(`<${name}${attrs}`);
      const handler = m?.[1] ?? m?.[2];
      if (!handler || NOT_A_FEATURE.has(handler)) continue;
      tapped++;
      const feature = /\bdata-feature="([^"]*)"/.exec(attrs)?.[1];
      if (!feature || !FEATURE_NAME.test(feature)) unnamed.push(tag.slice(0, 80));
      // One name, one handler: two different actions never share a name.
      else if ((names.get(feature) ?? handler) !== handler) unnamed.push(`${feature} twice`);
      else names.set(feature, handler);
    }
    expect(unnamed).toEqual([]);
    if (tapped > 0) {
      // Its code counts the named taps.
      const ts = readFileSync(join(ROOT, file.replace(/\.wxml$/, '.ts')), 'utf8');
      expect(ts).toMatch(/behaviors: \[(?:tappable|measured|measuredPart|loadable)[\],]/);
    }
  });
});
