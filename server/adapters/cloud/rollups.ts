/**
 * Rollups over the cloud database: one document per experiment, variant and user (a hash of the
 * three as _id), and one per campaign, dim, day, key and user (likewise), stamped with the
 * training run that last added to it. An add is a conditional
 * `_.inc` (only while the stamp is older), else an insert with the fixed _id; an insert that finds
 * the document (a run applied again, or a race) retries the conditional update once.
 */
import { mergeCells } from '../../engine/perf/rollup';
import type {
  AdReportDim,
  AdReportUnit,
  ExperimentUnit,
  PerfCell,
  Rollups,
} from '../../ports/rollups';
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
export const AD_REPORT_ROLLUPS = COLLECTIONS.adReportRollups.name;

type UnitDoc = ExperimentUnit & { _id: string; rev: number };
type AdDoc = AdReportUnit & { _id: string; rev: number };

/** Every document of `collection` matching `where`, in _id pages of the get() cap (no total cap). */
async function allById<T extends { _id: string }>(
  db: Database,
  collection: string,
  where: Record<string, unknown>,
): Promise<T[]> {
  const _ = db.command;
  const out: T[] = [];
  let after = '';
  for (;;) {
    const res = await settle(
      db
        .collection(collection)
        .where({ ...where, _id: _.gt(after) })
        .orderBy('_id', 'asc')
        .limit(MAX_GET)
        .get(),
    );
    const docs = res.data as T[];
    out.push(...docs);
    if (docs.length < MAX_GET) return out;
    after = docs[docs.length - 1]._id;
  }
}

/** Added once per revision: a conditional `_.inc` while the stamp is older, else an insert with the fixed _id. */
async function addStamped(
  db: Database,
  collection: string,
  _id: string,
  rev: number,
  sums: Record<string, number>,
  doc: Record<string, unknown>,
): Promise<void> {
  const _ = db.command;
  const col = db.collection(collection);
  const inc = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, _.inc(v)]));
  const update = async (): Promise<number> =>
    (await settle(col.where({ _id, rev: _.lt(rev) }).update({ data: { ...inc, rev } }))).stats
      .updated;
  if ((await update()) > 0) return;
  try {
    await settle(col.add({ data: { ...doc, ...sums, _id, rev } }));
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await update(); // stamped already (nothing to add) or created by a racing add
  }
}

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
                refunds: _.inc(u.refunds ?? 0),
                refundedFen: _.inc(u.refundedFen ?? 0),
                rev,
              },
            }),
          )
        ).stats.updated;
      if ((await update()) > 0) return;
      try {
        // The propensity is written with the document and kept (the update leaves it as first stored).
        const doc: UnitDoc = {
          ...u,
          refunds: u.refunds ?? 0,
          refundedFen: u.refundedFen ?? 0,
          propensity: u.propensity ?? null,
          _id,
          rev,
        };
        await settle(col.add({ data: doc }));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await update(); // stamped already (nothing to add) or created by a racing add
      }
    });
  }

  async experimentUnits(experimentId: string): Promise<ExperimentUnit[]> {
    const docs = await allById<UnitDoc>(this.db, EXPERIMENT_ROLLUPS, {
      experimentId: scalar(experimentId, 'experiment id'),
    });
    return docs.map((d) => ({
      experimentId: d.experimentId,
      variant: d.variant,
      openid: d.openid,
      impressions: d.impressions,
      clicks: d.clicks,
      likes: d.likes,
      paidFen: d.paidFen,
      // Documents stored before refunds were rolled up have neither field.
      refunds: d.refunds ?? 0,
      refundedFen: d.refundedFen ?? 0,
      ...(typeof d.propensity === 'number' ? { propensity: d.propensity } : {}),
    }));
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

  private perfDocs(): Promise<PerfDoc[]> {
    return allById<PerfDoc>(this.db, PERF_ROLLUPS, {});
  }

  async addAdReportUnits(rev: number, units: readonly AdReportUnit[]): Promise<void> {
    await mapLimit([...units], MAX_IN_FLIGHT, async (u) => {
      const ids = [
        scalar(u.campaignId, 'campaign id'),
        scalar(u.dim, 'dim'),
        scalar(u.day, 'day'),
        scalar(u.key, 'key'),
        scalar(u.openid, 'openid'),
      ];
      await addStamped(
        this.db,
        AD_REPORT_ROLLUPS,
        docId(...ids),
        rev,
        { impressions: u.impressions, clicks: u.clicks, events: u.events, paidFen: u.paidFen },
        { campaignId: u.campaignId, dim: u.dim, day: u.day, key: u.key, openid: u.openid },
      );
    });
  }

  async adReportUnits(
    campaignId: string,
    days: readonly string[],
    dims: readonly AdReportDim[],
  ): Promise<AdReportUnit[]> {
    const _ = this.db.command;
    const out: AdReportUnit[] = [];
    if (days.length === 0 || dims.length === 0) return out;
    await mapLimit([...dims], MAX_IN_FLIGHT, async (dim) => {
      const docs = await allById<AdDoc>(this.db, AD_REPORT_ROLLUPS, {
        campaignId: scalar(campaignId, 'campaign id'),
        dim: scalar(dim, 'dim'),
        day: _.in(days.map((d) => scalar(d, 'day'))),
      });
      for (const d of docs)
        out.push({
          campaignId: d.campaignId,
          day: d.day,
          dim: d.dim,
          key: d.key,
          openid: d.openid,
          impressions: d.impressions,
          clicks: d.clicks,
          events: d.events,
          paidFen: d.paidFen,
        });
    });
    return out;
  }

  async purgeAdReportUnitsBefore(day: string, limit: number): Promise<number> {
    const _ = this.db.command;
    const col = this.db.collection(AD_REPORT_ROLLUPS);
    let removed = 0;
    while (removed < limit) {
      const want = Math.min(limit - removed, MAX_GET);
      const res = await settle(
        col
          .where({ day: _.lt(scalar(day, 'day')), openid: _.neq('') })
          .field({ _id: true })
          .limit(want)
          .get(),
      );
      const ids = (res.data as { _id: string }[]).map((d) => d._id);
      if (ids.length === 0) break;
      removed += (await settle(col.where({ _id: _.in(ids) }).remove())).stats.removed;
      if (ids.length < want) break;
    }
    return removed;
  }
}
