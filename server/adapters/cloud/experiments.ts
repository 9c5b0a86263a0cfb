/** ExperimentStore over the cloud database: one document per experiment (_id from its id), updates conditional on version. */
import type { Experiment, ExperimentStatus } from '../../engine/experiments/definition';
import type { ExperimentStore } from '../../ports';
import { docId, isDuplicateKey, MAX_GET, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const EXPERIMENTS = COLLECTIONS.experiments.name;

type ExperimentDoc = Experiment & { _id: string };

const strip = ({ _id, ...e }: ExperimentDoc): Experiment => (void _id, e);

export class CloudExperimentStore implements ExperimentStore {
  constructor(private readonly db: Database) {}

  async create(e: Experiment): Promise<boolean> {
    try {
      await settle(
        this.db.collection(EXPERIMENTS).add({ data: { _id: docId(scalar(e.id, 'id')), ...e } }),
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async get(id: string): Promise<Experiment | null> {
    const res = await settle(
      this.db
        .collection(EXPERIMENTS)
        .where({ _id: docId(scalar(id, 'id')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as ExperimentDoc[])[0];
    return d ? strip(d) : null;
  }

  async list(filter: {
    merchantId?: string | null;
    status?: ExperimentStatus;
  }): Promise<Experiment[]> {
    const where: Record<string, unknown> = {};
    if (filter.merchantId === null) where.merchantId = null;
    else if (filter.merchantId !== undefined)
      where.merchantId = scalar(filter.merchantId, 'merchantId');
    if (filter.status !== undefined) where.status = scalar(filter.status, 'status');
    const out: Experiment[] = [];
    // Experiments are few (a layer holds at most 10,000 buckets' worth); page through them all the same.
    for (let skip = 0; ; skip += MAX_GET) {
      const res = await settle(
        this.db
          .collection(EXPERIMENTS)
          .where(where)
          .orderBy('createdAt', 'desc')
          .orderBy('id', 'desc')
          .skip(skip)
          .limit(MAX_GET)
          .get(),
      );
      const page = res.data as ExperimentDoc[];
      out.push(...page.map(strip));
      if (page.length < MAX_GET) return out;
    }
  }

  async update(e: Experiment, expectedVersion: number): Promise<boolean> {
    const { id, ...rest } = e;
    const _ = this.db.command;
    // Objects in an update are merged field by field; _.set replaces them whole (variants, range).
    const data = Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [k, v !== null && typeof v === 'object' ? _.set(v) : v]),
    );
    // A conditional update is atomic per document: of two writers holding one version, one matches.
    const res = await settle(
      this.db
        .collection(EXPERIMENTS)
        .where({ _id: docId(scalar(id, 'id')), version: scalar(expectedVersion, 'version') })
        .update({ data }),
    );
    return res.stats.updated === 1;
  }
}
