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

const VANT_LIB = require.resolve('@vant/weapp/package.json').replace(/package\.json$/, 'lib');
const VANT_PATH = /^@vant\/weapp\/(.+)$/;

export function vantComponents(usingComponents: Record<string, string>): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [tag, target] of Object.entries(usingComponents)) {
    const m = VANT_PATH.exec(target);
    if (!m) continue;
    jest.isolateModules(() => {
      map[tag] = simulate.load(`${VANT_LIB}/${m[1]}`, tag, { rootPath: VANT_LIB });
    });
  }
  return map;
}
