/**
 * Rollups over the cloud database: one document per experiment, variant and user (a hash of the
 * three as _id), stamped with the training run that last added to it. An add is a conditional
 * `_.inc` (only while the stamp is older), else an insert with the fixed _id; an insert that finds
 * the document (a run applied again, or a race) retries the conditional update once.
 */
import type { ExperimentUnit, Rollups } from '../../ports/rollups';
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
}
