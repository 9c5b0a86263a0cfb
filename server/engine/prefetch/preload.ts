/**
 * `preloadRule` of app.json from the transition model (issue 18): a page whose measured next
 * page lies in a subpackage with probability ≥ `minProbability` preloads that subpackage — on
 * any network when it is the likelier way on (≥ `allNetworkProbability`), on Wi-Fi otherwise.
 * Pages with fewer than `minMoves` measured moves keep no rule (too little evidence).
 */
import { movesFrom, transitionProbability, type TransitionModel } from './transitions';

export interface PreloadRule {
  network: 'all' | 'wifi';
  packages: string[];
}

export interface PreloadOptions {
  minProbability: number;
  allNetworkProbability: number;
  minMoves: number;
}

export const DEFAULT_PRELOAD: PreloadOptions = {
  minProbability: 0.05,
  allNetworkProbability: 0.5,
  minMoves: 20,
};

export interface AppPackages {
  /** Pages of the main package. */
  pages: readonly string[];
  subPackages: readonly { root: string; name?: string; pages: readonly string[] }[];
}

/** The preloadRule object for app.json, its keys and packages in a stable order. */
export function preloadRules(
  model: TransitionModel,
  app: AppPackages,
  o: PreloadOptions = DEFAULT_PRELOAD,
): Record<string, PreloadRule> {
  const rules: Record<string, PreloadRule> = {};
  for (const from of [...app.pages].sort()) {
    if (movesFrom(model, from) < o.minMoves) continue;
    const wanted: { pkg: string; p: number }[] = [];
    for (const sp of app.subPackages) {
      const root = sp.root.replace(/\/+$/, '');
      const p = sp.pages.reduce(
        (s, page) => s + transitionProbability(model, from, `${root}/${page}`),
        0,
      );
      if (p >= o.minProbability) wanted.push({ pkg: sp.name ?? root, p });
    }
    if (!wanted.length) continue;
    wanted.sort((a, b) => b.p - a.p || a.pkg.localeCompare(b.pkg));
    rules[from] = {
      network: wanted[0].p >= o.allNetworkProbability ? 'all' : 'wifi',
      packages: wanted.map((w) => w.pkg),
    };
  }
  return rules;
}
