/**
 * Loads the @vant/weapp components a page's json names, from vant's CommonJS lib/, into
 * miniprogram-simulate, and returns the usingComponents map to load the page with. Without
 * this map simulate cannot resolve "@vant/weapp/..." and renders <van-x> as an empty tag.
 *
 * Each load runs in its own jest module registry: simulate runs a component's JS with require()
 * and then deletes it from require.cache, which jest ignores. Without isolation a component that
 * an earlier one already pulled in (van-image loads van-loading) never calls Component() again,
 * and its second registration renders as an empty tag.
 */
import * as simulate from 'miniprogram-simulate';

/**
 * Every wcc compile keeps its templates' constant tables in one global, `__WXML_GLOBAL__.ops_cached`,
 * keyed by the file's index in that compile ("$gwx_7"). Two compiles in one test (vant's lib/ and the
 * Mini Program root) therefore share keys: whichever template with index 7 renders first supplies the
 * constants for the other, which then renders with the wrong strings (a vant component showing a page's
 * attribute values). Which pairs collide depends on how many files each root holds, so any new file can
 * break an unrelated page test. Each compile of the Mini Program root here gets its own private global.
 * (vant's own compiles run in isolated module registries with the unpatched compiler; they share the real
 * global only among themselves, where one root means one index per file.)
 */
/** Own template caches; `wxs_nf_init` stays shared: it marks WXS built-ins installed once per process. */
const PRIVATE_GLOBAL = `var __WXML_GLOBAL__ = (function (shared) {
  var own = {};
  Object.defineProperty(own, 'wxs_nf_init', { get: function () { return shared.wxs_nf_init; }, set: function (v) { shared.wxs_nf_init = v; } });
  return own;
})(typeof globalThis.__WXML_GLOBAL__ === 'object' ? globalThis.__WXML_GLOBAL__ : (globalThis.__WXML_GLOBAL__ = {}));`;
type WxmlCompiler = {
  wxmlToJs(rootPath: string, options?: object): string;
  __privateGlobal?: true;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wcc = require('miniprogram-compiler') as WxmlCompiler;
if (!wcc.__privateGlobal) {
  const compile = wcc.wxmlToJs.bind(wcc);
  wcc.wxmlToJs = (rootPath, options) => `${PRIVATE_GLOBAL}\n${compile(rootPath, options)}`;
  wcc.__privateGlobal = true;
}

const VANT_LIB = require.resolve('@vant/weapp/package.json').replace(/package\.json$/, 'lib');
const VANT_PATH = /^@vant\/weapp\/(.+)$/;

/** Component ids by file path, as miniprogram-simulate registers them with j-component. */
const registeredIds = new Map<string, string>();
type Definition = { id?: string; path?: string; methods?: Record<string, unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jComponent = require('j-component') as {
  register(def: Definition): unknown;
  __recordsIds?: true;
};
if (!jComponent.__recordsIds) {
  const register = jComponent.register.bind(jComponent);
  jComponent.register = (def) => {
    if (def.id && def.path) registeredIds.set(def.path, def.id);
    // The base library's groupSetData (batches the setData calls in its callback; vant's tabs use it
    // once relations link) is missing from j-component: run the callback, unbatched.
    def.methods = { groupSetData: (cb: () => void) => cb(), ...def.methods };
    return register(def);
  };
  jComponent.__recordsIds = true;
}

/**
 * The page stack the base library keeps: simulate has none. One page object stands in for the
 * page under test, so vant's page-scroll mixin (van-sticky inside van-tabs) can hang its handler on it.
 */
const g = globalThis as { getCurrentPages?: () => object[] };
if (!g.getCurrentPages) {
  const currentPage = {};
  g.getCurrentPages = () => [currentPage];
}

/**
 * All the vant components a page names are loaded in ONE simulate.load, so that vant's relations
 * (van-tab ↔ van-tabs, van-radio ↔ van-radio-group, …) link: simulate resolves a relation's path
 * only against the components registered in the same load. The first component is the load's root;
 * the others join it through `usingComponents` (sibling paths "../<name>/index", the same from every
 * vant directory, so vant's own entries for the same tags are unchanged), and their ids are read back
 * from what simulate registers.
 */
export function vantComponents(usingComponents: Record<string, string>): Record<string, string> {
  const wanted = Object.entries(usingComponents).flatMap(([tag, target]) => {
    const m = VANT_PATH.exec(target);
    return m ? [{ tag, name: m[1].replace(/\/index$/, '') }] : [];
  });
  if (!wanted.length) return {};
  const siblings = Object.fromEntries(wanted.map(({ tag, name }) => [tag, `../${name}/index`]));
  const map: Record<string, string> = {};
  jest.isolateModules(() => {
    const [root] = wanted;
    map[root.tag] = simulate.load(`${VANT_LIB}/${root.name}/index`, root.tag, {
      rootPath: VANT_LIB,
      usingComponents: siblings,
    });
  });
  for (const { tag, name } of wanted.slice(1)) {
    const id = registeredIds.get(`${VANT_LIB}/${name}/index`);
    if (!id) throw new Error(`vant component ${name} was not registered with ${wanted[0].name}`);
    map[tag] = id;
  }
  return map;
}

/** The Mini Program root the page tests load from. */
export const MP_ROOT = `${__dirname}/../../../miniprogram`;

/** Root-absolute paths of the Mini Program's own shared components ("/components/<name>/index"). */
const OWN_COMPONENT = /^\/(components\/[\w-]+\/index)$/;

/**
 * Ids of the shared components already loaded in this test file, by path: simulate runs a
 * component's JS through require, which jest caches, so a second load would register nothing.
 */
const ownIds = new Map<string, string>();

/** The Mini Program's own components a json names, each loaded once (with its vant components). */
function ownComponents(usingComponents: Record<string, string>): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [tag, target] of Object.entries(usingComponents)) {
    const m = OWN_COMPONENT.exec(target);
    if (!m) continue;
    let id = ownIds.get(m[1]);
    if (!id) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const json = require(`${MP_ROOT}/${m[1]}.json`) as {
        usingComponents?: Record<string, string>;
      };
      id = loadWithVant(m[1], tag, json.usingComponents ?? {});
      ownIds.set(m[1], id);
    }
    map[tag] = id;
  }
  return map;
}

/**
 * Loads a page or component of the Mini Program (`path` under its root, as `tag`) with the vant
 * components and the shared components (`/components/…`) its json names, plus `extra` tags (the
 * project's other components, already loaded).
 */
export function loadWithVant(
  path: string,
  tag: string,
  usingComponents: Record<string, string>,
  extra: Record<string, string> = {},
): string {
  return simulate.load(`${MP_ROOT}/${path}`, tag, {
    rootPath: MP_ROOT,
    usingComponents: {
      ...vantComponents(usingComponents),
      ...ownComponents(usingComponents),
      ...extra,
    },
  });
}
