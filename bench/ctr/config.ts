/** The configuration a bench:ctr run measures: the default, with --config's top-level overrides. */
import { DEFAULT_CTR_CONFIG, defaultCandidates } from '../../server/engine/models/defaults';
import type { CtrModelConfig } from '../../server/engine/models/defaults';

/**
 * Overrides that name a `model` measure that model alone (the default's selection is dropped)
 * unless they give a `select` of their own; any other override applies to every candidate too.
 */
export function benchConfig(json?: string): CtrModelConfig {
  if (!json) return DEFAULT_CTR_CONFIG;
  const o = JSON.parse(json) as Partial<CtrModelConfig>;
  const alone = 'model' in o && !('select' in o);
  const { select, ...base } = DEFAULT_CTR_CONFIG;
  const merged = { ...base, ...o };
  if (alone || o.select === null) return { ...merged, select: undefined };
  if (o.select) return merged;
  // The default's candidates rebuilt from the overridden base, so that e.g. {"bits":18} reaches all of them.
  return {
    ...merged,
    select: { ...select!, candidates: defaultCandidates({ ...merged, select: undefined }) },
  };
}
