/**
 * Rollups over the cloud database: one document per experiment, variant and user (a hash of the
 * three as _id), stamped with the training run that last added to it. An add is a conditional
 * `_.inc` (only while the stamp is older), else an insert with the fixed _id; an insert that finds
 * the document (a run applied again, or a race) retries the conditional update once.
 */
import { mergeCells } from '../../engine/perf/rollup';
import type { ExperimentUnit, PerfCell, Rollups } from '../../ports/rollups';
import { COLLECTIONS } from './collections';
import {
  docId,
  isDuplicateKey,
  mapLimit,
  MAX_GET,
  MAX_IN_FLIGHT,
  scalar,
  settle,
  type Database,
} from './sdk';

export const EXPERIMENT_ROLLUPS = COLLECTIONS.experimentRollups.name;
export const PERF_ROLLUPS = COLLECTIONS.perfRollups.name;

type PerfDoc = PerfCell & { _id: string; rev: number };

type UnitDoc = ExperimentUnit & { _id: string; rev: number };

export class CloudRollups implements Rollups {
  constructor(private readonly db: Database) {}

  async addExperimentUnits(rev: number, units: readonly ExperimentUnit[]): Promise<void> {
    const _ = this.db.command;
    const col = this.db.collection(EXPERIMENT_ROLLUPS);
    await mapLimit([...units], MAX_IN_FLIGHT, async (u) => {
      const _id = docId(
        scalar(u.experimentId, 'experiment id'),
        scalar(u.variant, 'variant'),
        scalar(u.openid, 'openid'),
      );
      const update = async (): Promise<number> =>
        (
          await settle(
            col.where({ _id, rev: _.lt(rev) }).update({
              data: {
                impressions: _.inc(u.impressions),
                clicks: _.inc(u.clicks),
                likes: _.inc(u.likes),
                paidFen: _.inc(u.paidFen),
                rev,
              },
            }),
          )
        ).stats.updated;
      if ((await update()) > 0) return;
      try {
        const doc: UnitDoc = { ...u, _id, rev };
        await settle(col.add({ data: doc }));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await update(); // stamped already (nothing to add) or created by a racing add
      }
    });
  }

  async experimentUnits(experimentId: string): Promise<ExperimentUnit[]> {
    const _ = this.db.command;
    const out: ExperimentUnit[] = [];
    let after = '';
    for (;;) {
      const res = await settle(
        this.db
          .collection(EXPERIMENT_ROLLUPS)
          .where({ experimentId: scalar(experimentId, 'experiment id'), _id: _.gt(after) })
          .orderBy('_id', 'asc')
          .limit(MAX_GET)
          .get(),
      );
      const docs = res.data as UnitDoc[];
      for (const d of docs)
        out.push({
          experimentId: d.experimentId,
          variant: d.variant,
          openid: d.openid,
          impressions: d.impressions,
          clicks: d.clicks,
          likes: d.likes,
          paidFen: d.paidFen,
        });
      if (docs.length < MAX_GET) return out;
      after = docs[docs.length - 1]._id;
    }
  }

  /**
   * One writer (the perf step's lease): the stored cells are read once, each cell merged in
   * memory and written whole by _id (`set`), unless it took this revision already.
   */
  async addPerfCells(rev: number, cells: readonly PerfCell[]): Promise<void> {
    const stored = new Map((await this.perfDocs()).map((d) => [d._id, d]));
    const col = this.db.collection(PERF_ROLLUPS);
    await mapLimit([...cells], MAX_IN_FLIGHT, async (c) => {
      const _id = docId(
        scalar(c.metric, 'metric'),
        scalar(c.page, 'page'),
        scalar(c.version, 'version'),
        scalar(c.platform, 'platform'),
      );
      const had = stored.get(_id);
      if (had && had.rev >= rev) return;
      const merged = had ? mergeCells(had, c) : c;
      const data: Omit<PerfDoc, '_id'> = {
        page: merged.page,
        version: merged.version,
        platform: merged.platform,
        metric: merged.metric,
        count: merged.count,
        sum: merged.sum,
        sketch: merged.sketch,
        rev,
      };
      await settle(col.doc(_id).set({ data }));
    });
  }

  async perfCells(): Promise<PerfCell[]> {
    return (await this.perfDocs()).map((d) => ({
      page: d.page,
      version: d.version,
      platform: d.platform,
      metric: d.metric,
      count: d.count,
      sum: d.sum,
      sketch: d.sketch ?? null,
    }));
  }

  private async perfDocs(): Promise<PerfDoc[]> {
    const _ = this.db.command;
    const out: PerfDoc[] = [];
    let after = '';
    for (;;) {
      const res = await settle(
        this.db
          .collection(PERF_ROLLUPS)
          .where({ _id: _.gt(after) })
          .orderBy('_id', 'asc')
          .limit(MAX_GET)
          .get(),
      );
      const docs = res.data as PerfDoc[];
      out.push(...docs);
      if (docs.length < MAX_GET) return out;
      after = docs[docs.length - 1]._id;
    }
  }
}
