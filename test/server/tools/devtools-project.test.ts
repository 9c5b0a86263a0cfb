/** What WeChat DevTools needs to import the repository: project.config.json and app.json agree with the files on disk. */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '../../..');
const readJson = (rel: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));

describe('DevTools project', () => {
  const project = readJson('project.config.json') as {
    miniprogramRoot: string;
    cloudfunctionRoot: string;
    appid: string;
    setting: {
      useCompilerPlugins: string[];
      packNpmManually: boolean;
      packNpmRelationList: Array<{ packageJsonPath: string; miniprogramNpmDistDir: string }>;
    };
  };

  it('points at the Mini Program and cloud function roots, TypeScript plugin, manual npm packing', () => {
    expect(project.miniprogramRoot).toBe('miniprogram/');
    expect(project.cloudfunctionRoot).toBe('cloudfunctions/');
    expect(project.appid).toBe('touristappid'); // the real one lives in the git-ignored project.private.config.json
    expect(project.setting.useCompilerPlugins).toEqual(['typescript']);
    expect(project.setting.packNpmManually).toBe(true);
    expect(project.setting.packNpmRelationList).toEqual([
      { packageJsonPath: './package.json', miniprogramNpmDistDir: './miniprogram/' },
    ]);
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(
      /^project\.private\.config\.json$/m,
    );
  });

  it('packs only Mini Program packages: root dependencies are what miniprogram_npm is built from', () => {
    const pkg = readJson('package.json') as { dependencies?: Record<string, string> };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['@vant/weapp']);
  });

  it('lists pages that exist, with every file a page needs, and a merchant subpackage', () => {
    const app = readJson('miniprogram/app.json') as {
      pages: string[];
      subPackages: Array<{ root: string; pages: string[] }>;
      lazyCodeLoading: string;
    };
    expect(app.pages[0]).toBe('pages/feed/index');
    expect(app.lazyCodeLoading).toBe('requiredComponents');
    expect(app.subPackages.map((s) => s.root)).toContain('merchant');
    const all = [
      ...app.pages,
      ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`)),
    ];
    for (const page of all) {
      for (const ext of ['ts', 'json', 'wxml', 'wxss']) {
        expect(
          fs.existsSync(path.join(ROOT, 'miniprogram', `${page}.${ext}`))
            ? `${page}.${ext}`
            : `missing ${page}.${ext}`,
        ).toBe(`${page}.${ext}`);
      }
    }
  });

  it('maps every vant tag a page uses to a component @vant/weapp ships in lib/, and ours to miniprogram/', () => {
    const lib = path.join(path.dirname(require.resolve('@vant/weapp/package.json')), 'lib');
    const pages = ['pages/feed/index', 'merchant/pages/home/index'];
    for (const page of pages) {
      const json = readJson(`miniprogram/${page}.json`) as {
        usingComponents: Record<string, string>;
      };
      for (const target of Object.values(json.usingComponents)) {
        // "/components/…" is root-absolute in the Mini Program; "@vant/weapp/…" is packed from lib/.
        const file = target.startsWith('/')
          ? path.join(ROOT, 'miniprogram', `${target}.json`)
          : path.join(lib, `${target.replace(/^@vant\/weapp\//, '')}.json`);
        expect(fs.existsSync(file) ? target : `${page}: no ${target}`).toBe(target);
      }
    }
  });
});
