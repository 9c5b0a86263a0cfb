import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  MAIN_LIMIT_BYTES,
  SUBPACKAGE_LIMIT_BYTES,
  compiledTypeScript,
  overLimit,
  packageSizes,
} from '../../../scripts/check-size';

describe('check:size', () => {
  it('puts files under a subpackage root in that subpackage and everything else in the main package', () => {
    const sizes = packageSizes(
      [
        { path: 'app.json', size: 100 },
        { path: 'pages/feed/index.js', size: 1000 },
        { path: 'miniprogram_npm/@vant/weapp/button/index.js', size: 500 },
        { path: 'merchant/pages/home/index.js', size: 300 },
        { path: 'merchant/pages/home/index.wxml', size: 20 },
        { path: 'merchantx/other.js', size: 7 },
      ],
      ['merchant/'],
    );
    expect(sizes).toEqual([
      { name: 'main', bytes: 1607, files: 4, limit: MAIN_LIMIT_BYTES },
      { name: 'merchant', bytes: 320, files: 2, limit: SUBPACKAGE_LIMIT_BYTES },
    ]);
    expect(overLimit(sizes)).toEqual([]);
  });

  it('names every package over its limit', () => {
    const sizes = packageSizes(
      [
        { path: 'pages/a.js', size: MAIN_LIMIT_BYTES + 1 },
        { path: 'merchant/b.js', size: SUBPACKAGE_LIMIT_BYTES },
        { path: 'shop/c.js', size: SUBPACKAGE_LIMIT_BYTES + 1 },
      ],
      ['merchant', 'shop'],
    );
    const problems = overLimit(sizes);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^主包 1536\.0 KB 超过上限 1536\.0 KB/);
    expect(problems[1]).toMatch(/^分包 shop /);
  });

  it('counts TypeScript at its compiled, minified size, skipping declarations and miniprogram_npm', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'size-'));
    try {
      fs.mkdirSync(path.join(root, 'pages'), { recursive: true });
      fs.mkdirSync(path.join(root, 'miniprogram_npm/x'), { recursive: true });
      const source =
        'interface Wide { a: number }\n/** a long comment that minification drops */\nexport function f(x: Wide): number {\n  return x.a + 1;\n}\n';
      fs.writeFileSync(path.join(root, 'pages/a.ts'), source);
      fs.writeFileSync(
        path.join(root, 'pages/b.ts'),
        source
          .replace(/\/\*\*.*\*\/\n/, '')
          .replace('interface Wide { a: number }', 'type Wide = { a: number; b: string }'),
      );
      fs.writeFileSync(path.join(root, 'pages/types.d.ts'), 'declare const x: number;');
      fs.writeFileSync(path.join(root, 'miniprogram_npm/x/index.ts'), source);
      const files = compiledTypeScript(root);
      expect(files.map((f) => f.path).sort()).toEqual(['pages/a.js', 'pages/b.js']);
      // Comments and types are not uploaded: the two files differ only in those.
      expect(files[0].size).toBeGreaterThan(0);
      expect(files[0].size).toBe(files[1].size);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
