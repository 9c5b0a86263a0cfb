/**
 * ModelRegistry over the cloud database: one document per version (metadata as JSON text) and
 * one serving-pointer document, swapped with a conditional update (where version = expected),
 * which the service applies atomically per document.
 */
import type { ModelRegistry, ModelStatus, ModelVersion, ServingPointer } from '../../ports/models';
import { docId, isDuplicateKey, MAX_GET, scalar, settle, type Database } from './sdk';
import type { JsonDoc } from './slates';
import { COLLECTIONS } from './collections';

export const MODEL_VERSIONS = COLLECTIONS.modelVersions.name;
export const MODEL_SERVING = COLLECTIONS.modelServing.name;
const SERVING_ID = docId('serving');

export class CloudModelRegistry implements ModelRegistry {
  constructor(private readonly db: Database) {}

  async add(v: ModelVersion): Promise<boolean> {
    const data = {
      _id: docId(scalar(v.version, 'version')),
      version: v.version,
      createdAt: v.createdAt,
      doc: JSON.stringify(v),
    };
    try {
      await settle(this.db.collection(MODEL_VERSIONS).add({ data }));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async get(version: string): Promise<ModelVersion | null> {
    const res = await settle(
      this.db
        .collection(MODEL_VERSIONS)
        .where({ _id: docId(scalar(version, 'version')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as JsonDoc[])[0];
    return d ? (JSON.parse(d.doc) as ModelVersion) : null;
  }

  async list(limit: number): Promise<ModelVersion[]> {
    const res = await settle(
      this.db
        .collection(MODEL_VERSIONS)
        .where({})
        .orderBy('version', 'desc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as JsonDoc[]).map((d) => JSON.parse(d.doc) as ModelVersion);
  }

  async setStatus(version: string, status: ModelStatus, reason: string): Promise<void> {
    const v = await this.get(version);
    if (!v) throw new Error(`unknown model version ${version}`);
    await settle(
      this.db
        .collection(MODEL_VERSIONS)
        .doc(docId(version))
        .update({ data: { doc: JSON.stringify({ ...v, status, reason }) } }),
    );
  }

  async serving(): Promise<ServingPointer | null> {
    const res = await settle(
      this.db.collection(MODEL_SERVING).where({ _id: SERVING_ID }).limit(1).get(),
    );
    const d = (res.data as JsonDoc[])[0];
    return d ? (JSON.parse(d.doc) as ServingPointer) : null;
  }

  async swapServing(expected: string | null, next: ServingPointer): Promise<boolean> {
    const data = { version: scalar(next.version, 'version'), doc: JSON.stringify(next) };
    if (expected === null) {
      try {
        await settle(this.db.collection(MODEL_SERVING).add({ data: { _id: SERVING_ID, ...data } }));
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    }
    const res = await settle(
      this.db
        .collection(MODEL_SERVING)
        .where({ _id: SERVING_ID, version: scalar(expected, 'version') })
        .update({ data }),
    );
    return res.stats.updated === 1;
  }
}
