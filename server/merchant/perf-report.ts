/**
 * The 性能 page's data (platform admins only): the Mini Program performance report built from
 * `train`'s perf rollups alone (server/engine/perf/report.ts), never from the raw event log.
 */
import type { PerfReport } from '../../typings';
import { buildReport } from '../engine/perf/report';
import type { SamplingRates } from '../engine/perf/metrics';
import type { Stores } from '../ports';
import { requireAdmin, type Actor } from './access';

export async function perfReport(
  stores: Pick<Stores, 'rollups'>,
  actor: Actor,
  sampling?: SamplingRates,
): Promise<PerfReport> {
  requireAdmin(actor);
  return buildReport(await stores.rollups.perfCells(), { sampling });
}
